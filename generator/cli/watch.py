"""`remit watch`: rebuild whenever content/, themes/ or site.toml changes."""

from __future__ import annotations

import argparse

from generator.read.settings import SITE_FILE, load_settings
from generator.serve.watch import Watcher, watch_forever


def make_watcher(args: argparse.Namespace) -> Watcher:
    if not (args.site / SITE_FILE).is_file():
        load_settings(args.site, args.base_url)  # raises the usual "site.toml not found"
    # Anything else wrong (site.toml included) is reported by the first build, and the
    # watcher then waits for the fix instead of exiting.
    return Watcher(args.site, args.output, args.today, args.base_url, poll=args.poll)


def run(args: argparse.Namespace) -> int:
    return watch_forever(make_watcher(args))
