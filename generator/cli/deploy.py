"""`remit deploy`: build afresh and publish output/ to a gh-pages branch."""

from __future__ import annotations

import argparse
import sys

from generator.deploy import deploy


def run(args: argparse.Namespace) -> int:
    report = deploy(args.site, None if args.no_push else args.remote, args.branch, args.today,
                    args.base_url)
    for notice in report.build.notices:
        print(f"note: {notice}", file=sys.stderr)
    pages = report.build.pages
    where = f"and pushed to {report.remote}" if report.remote else "(not pushed: --no-push)"
    print(f"Published {pages} invoice page{'s' if pages != 1 else ''} from commit "
          f"{report.commit} to branch {report.branch} {where}")
    return 0
