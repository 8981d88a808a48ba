"""The `remit` command: build, check, list, share, deploy, watch, serve."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import json
import sys
from decimal import Decimal
from pathlib import Path

from generator import __version__, share
from generator.build import build
from generator.config import SITE_FILE, load_config
from generator.deploy import deploy
from generator.derive import derive
from generator.errors import Problem, RemitError
from generator.i18n import money, translations
from generator.model import Invoice
from generator.serve import PreviewServer, serve_forever
from generator.site import Site, load_site, today_in
from generator.watch import Watcher, watch_forever


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

    sh = sub.add_parser("share", help="print a message with an invoice's link, ready to send")
    sh.add_argument("number", help="the invoice number, e.g. 2026-014")
    site_arg(sh)
    sh.add_argument("--json", action="store_true", help="machine-readable output")
    sh.add_argument("--today", type=parse_day)
    sh.add_argument("--base-url")

    d = sub.add_parser("deploy", help="build, then publish output/ to a gh-pages branch")
    site_arg(d)
    d.add_argument("--remote", default="origin", help="git remote to push to (default: origin)")
    d.add_argument("--branch", default="gh-pages", help="branch to publish (default: gh-pages)")
    d.add_argument("--no-push", action="store_true", help="update the local branch only")
    d.add_argument("--today", type=parse_day)
    d.add_argument("--base-url")
    for name, text in (("watch", "rebuild the site whenever content/, themes/ or site.toml "
                                 "changes"),
                       ("serve", "watch, and preview the site on localhost with live reload")):
        w = sub.add_parser(name, help=text)
        site_arg(w)
        w.add_argument("--output", "-o", type=Path, help="output folder (default: SITE/output)")
        w.add_argument("--today", type=parse_day, help="build as of this day (default: today)")
        w.add_argument("--base-url", help="override site.toml's base_url (its path is where "
                                          "serve mounts the site)")
        w.add_argument("--poll", action="store_true", help="poll the disk instead of using OS "
                                                           "file events (network mounts, "
                                                           "containers)")
        if name == "serve":
            w.add_argument("--port", "-p", type=int, default=8000, help="default: 8000")
            w.add_argument("--bind", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
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
        fig = derive(inv, today, site.config.tz)
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


def cmd_share(args: argparse.Namespace) -> int:
    site = load_site(args.site, args.base_url)
    inv = find_invoice(site, args.number)
    fig = derive(inv, args.today or today_in(site.config), site.config.tz)
    msg = share.message(inv, fig, site.url(inv),
                        translations(site.config.theme_dir, inv.language))
    if args.json:
        json.dump(dataclasses.asdict(msg), sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    print(msg.text)
    print()
    print(f"E-mail:   {msg.mailto}")
    print(f"WhatsApp: {msg.whatsapp}")
    print(f"SMS:      {msg.sms}")
    return 0


def find_invoice(site: Site, number: str) -> Invoice:
    found = [i for i in site.invoices if i.number == number]
    if not found:
        numbers = sorted(i.number for i in site.invoices)
        close = difflib.get_close_matches(number, numbers, n=1)
        hint = f"did you mean {close[0]}?" if close else \
            "`remit list` shows every invoice number"
        raise RemitError([Problem("share", None, None, f"no invoice numbered {number!r}; {hint}")])
    if found[0].draft:
        raise RemitError([Problem(found[0].source, None, "draft",
                                  f"invoice {number} is a draft and not published, so its link "
                                  "leads nowhere; remove `draft = true` and build first")])
    return found[0]


def cmd_deploy(args: argparse.Namespace) -> int:
    report = deploy(args.site, None if args.no_push else args.remote, args.branch, args.today,
                    args.base_url)
    for notice in report.build.notices:
        print(f"note: {notice}", file=sys.stderr)
    pages = report.build.pages
    where = f"and pushed to {report.remote}" if report.remote else "(not pushed: --no-push)"
    print(f"Published {pages} invoice page{'s' if pages != 1 else ''} from commit "
          f"{report.commit} to branch {report.branch} {where}")
    return 0


def make_watcher(args: argparse.Namespace) -> Watcher:
    if not (args.site / SITE_FILE).is_file():
        load_config(args.site, args.base_url)  # raises the usual "site.toml not found"
    # Anything else wrong (site.toml included) is reported by the first build, and the
    # watcher then waits for the fix instead of exiting.
    return Watcher(args.site, args.output, args.today, args.base_url, poll=args.poll)


def cmd_watch(args: argparse.Namespace) -> int:
    return watch_forever(make_watcher(args))


def cmd_serve(args: argparse.Namespace) -> int:
    watcher = make_watcher(args)
    try:
        server = PreviewServer(watcher, args.bind, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.bind}:{args.port}: {exc.strerror} "
              "(try another --port)", file=sys.stderr)
        return 1
    return serve_forever(server)


COMMANDS = {"build": cmd_build, "check": cmd_check, "list": cmd_list, "share": cmd_share,
            "deploy": cmd_deploy, "watch": cmd_watch, "serve": cmd_serve}


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
