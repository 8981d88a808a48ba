"""`remit check`: every problem of the site, without writing anything."""

from __future__ import annotations

import argparse
import sys

from generator.read.site import load_site


def run(args: argparse.Namespace) -> int:
    site = load_site(args.site, create_secret=False)
    for warning in site.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"OK: {len(site.invoices)} invoice{'s' if len(site.invoices) != 1 else ''}, "
          "no problems")
    return 0
