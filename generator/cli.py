"""The `remit` command: build, check, list."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

from generator import __version__
from generator.build import build
from generator.derive import derive
from generator.errors import RemitError
from generator.i18n import money
from generator.site import load_site, today_in


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="remit", description="Build a static invoice portal.")
    p.add_argument("--version", action="version", version=f"remit {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def site_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("site", nargs="?", type=Path, default=Path("."),
                        help="the site folder, holding site.toml (default: .)")

    b = sub.add_parser("build", help="build the site into output/")
    site_arg(b)
    b.add_argument("--output", "-o", type=Path, help="output folder (default: SITE/output)")
    b.add_argument("--today", type=parse_day, help="build as of this day (default: today in "
                                                    "the site's time zone)")
    b.add_argument("--base-url", help="override site.toml's base_url (e.g. on CI)")
    b.add_argument("--no-pdf", dest="pdf", action="store_false",
                   help="pages only, no PDFs (fast previews)")
    b.add_argument("-j", "--jobs", type=positive_int, metavar="N",
                   help="render PDFs in N processes (default: one per core)")

    c = sub.add_parser("check", help="validate every invoice without writing anything")
    site_arg(c)

    ls = sub.add_parser("list", help="list invoices with their status and private URL")
    site_arg(ls)
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.add_argument("--today", type=parse_day)
    ls.add_argument("--base-url")
    return p


def cmd_build(args: argparse.Namespace) -> int:
    report = build(args.site, args.output, args.today, args.base_url, jobs=args.jobs,
                   pdf=args.pdf)
    for notice in report.notices:
        print(f"note: {notice}", file=sys.stderr)
    drafts = f", {report.drafts} draft{'s' if report.drafts != 1 else ''} skipped" \
        if report.drafts else ""
    fresh = f", {len(report.rendered)} re-rendered" if len(report.rendered) != report.pages \
        else ""
    print(f"Built {report.pages} invoice page{'s' if report.pages != 1 else ''}{drafts}{fresh} "
          f"into {report.output} in {report.seconds:.2f} s")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    site = load_site(args.site, create_secret=False)
    print(f"OK: {len(site.invoices)} invoice{'s' if len(site.invoices) != 1 else ''}, "
          "no problems")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    site = load_site(args.site, args.base_url)
    today = args.today or today_in(site.config)
    rows = []
    for inv in sorted(site.invoices, key=lambda i: (i.issued, i.number)):
        fig = derive(inv, today)
        rows.append({
            "number": inv.number, "client": inv.client.display_name,
            "currency": inv.currency, "total": str(fig.totals.total),
            "balance": str(fig.balance), "due_now": str(fig.due_now),
            "status": fig.status.value, "due": inv.due.isoformat(),
            "url": None if inv.draft else site.url(inv), "file": inv.source,
        })
    if args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    lang = site.config.language
    for row, inv in zip(rows, sorted(site.invoices, key=lambda i: (i.issued, i.number)),
                        strict=True):
        total = money(Decimal(row["total"]), inv.currency, lang)
        balance = money(Decimal(row["balance"]), inv.currency, lang)
        print(f"{row['number']:<12} {row['status']:<15} due {row['due']}  "
              f"total {total:>14}  balance {balance:>14}  {row['client']}")
        print(f"{'':<12} {row['url'] or '(draft: not published)'}")
    return 0


COMMANDS = {"build": cmd_build, "check": cmd_check, "list": cmd_list}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except RemitError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
