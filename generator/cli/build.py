"""`remit build`: the site into output/, PDFs included unless --no-pdf."""

from __future__ import annotations

import argparse
import sys

from generator.render import spare
from generator.render.forkserver import start_for_build


def run(args: argparse.Namespace) -> int:
    # An invoice or two edited: a spare process imports WeasyPrint while this one imports
    # the builder, reads the site and makes the letters' HTML; it prints them (render/spare.py).
    spare.start(args.site, args.pdf, args.jobs)
    try:
        # A first build of many invoices: the workers' fork server imports the renderer
        # while this process imports the builder (~0.15 s) and reads the site.
        start_for_build(args.site, args.jobs, args.pdf)
        from generator.build import build

        report = build(args.site, args.output, args.today, args.base_url, jobs=args.jobs,
                       pdf=args.pdf, keep_workers=False)
    except BaseException:
        spare.stop()
        raise
    spare.stop(touch=args.site)
    for notice in report.notices:
        print(f"note: {notice}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    drafts = f", {report.drafts} draft{'s' if report.drafts != 1 else ''} skipped" \
        if report.drafts else ""
    fresh = f", {len(report.rendered)} re-rendered" if len(report.rendered) != report.pages \
        else ""
    print(f"Built {report.pages} invoice page{'s' if report.pages != 1 else ''}{drafts}{fresh} "
          f"into {report.output} in {report.seconds:.2f} s")
    return 0
