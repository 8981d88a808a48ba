"""`remit check`: every problem of the site, without writing anything."""

from __future__ import annotations

import argparse

from generator.read.site import load_site


def run(args: argparse.Namespace) -> int:
    site = load_site(args.site, create_secret=False)
    print(f"OK: {len(site.invoices)} invoice{'s' if len(site.invoices) != 1 else ''}, "
          "no problems")
    return 0
