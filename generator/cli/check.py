"""`remit check`: every problem a build would find (theme errors included), without writing
anything into the site."""

from __future__ import annotations

import argparse
import sys

from generator.build import check


def run(args: argparse.Namespace) -> int:
    site = check(args.site, jobs=args.jobs, pdf=args.pdf)
    for warning in site.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"OK: {len(site.invoices)} invoice{'s' if len(site.invoices) != 1 else ''}, "
          "no problems")
    return 0
