"""The `remit` command line: arguments, the command that runs, errors printed as file:line."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import __version__
from generator.errors import RemitError


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def common_options() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """Options shared by several commands, declared once: (site folder, day and base URL)."""
    site = argparse.ArgumentParser(add_help=False)
    site.add_argument("site", nargs="?", type=Path, default=Path("."),
                      help="the site folder, holding site.toml (default: .)")
    when = argparse.ArgumentParser(add_help=False)
    when.add_argument("--today", type=parse_day, help="as of this day (default: today in the "
                                                      "site's time zone)")
    when.add_argument("--base-url", help="override site.toml's base_url (e.g. on CI)")
    return site, when


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with a `command`, that command alone (what `main` parses
    once it sees which command runs: declaring all twelve cost each run ~3 ms more)."""
    p = argparse.ArgumentParser(prog="remit", description="Build a static invoice portal.")
    p.add_argument("--version", action="version", version=f"remit {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    site, when = common_options()
    for name in (command,) if command else DECLARE:
        DECLARE[name](sub, name, site, when)
    return p


Declare = Callable[[Any, str, argparse.ArgumentParser, argparse.ArgumentParser], None]


def _build(sub: Any, name: str, site: argparse.ArgumentParser,
           when: argparse.ArgumentParser) -> None:
    b = sub.add_parser(name, parents=[site, when], help="build the site into output/")
    b.add_argument("--output", "-o", type=Path, help="output folder (default: SITE/output)")
    b.add_argument("--no-pdf", dest="pdf", action="store_false",
                   help="pages only, no PDFs (fast previews)")
    b.add_argument("-j", "--jobs", type=positive_int, metavar="N",
                   help="render PDFs in N processes (default: one per core)")


def _check(sub: Any, name: str, site: argparse.ArgumentParser,
           when: argparse.ArgumentParser) -> None:
    c = sub.add_parser(name, parents=[site],
                       help="find every problem a build would, without writing anything")
    c.add_argument("--no-pdf", dest="pdf", action="store_false",
                   help="do not print the PDFs (faster; a PDF-only problem goes unseen)")
    c.add_argument("-j", "--jobs", type=positive_int, metavar="N",
                   help="print PDFs in N processes (default: one per core)")


def _list(sub: Any, name: str, site: argparse.ArgumentParser,
          when: argparse.ArgumentParser) -> None:
    ls = sub.add_parser(name, parents=[site, when],
                        help="list invoices with their status and private URL")
    fmt = ls.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="machine-readable output")
    fmt.add_argument("--csv", action="store_true",
                     help="CSV for a spreadsheet or accounting (exact amounts, ISO dates)")


def _report(sub: Any, name: str, site: argparse.ArgumentParser,
            when: argparse.ArgumentParser) -> None:
    rp = sub.add_parser(name, parents=[site, when],
                        help="what is owed: per currency, overdue by age, due soon, by week, "
                             "per client")
    rp.add_argument("--json", action="store_true", help="machine-readable output")


def _new(sub: Any, name: str, site: argparse.ArgumentParser,
         when: argparse.ArgumentParser) -> None:
    nw = sub.add_parser(name, parents=[site],
                        help="write the next invoice file and print its path")
    like = nw.add_mutually_exclusive_group()
    like.add_argument("--client", metavar="NAME",
                      help="copy the client from this client's last invoice")
    like.add_argument("--like", metavar="NUMBER", help="copy client and items of this invoice")
    nw.add_argument("--today", type=parse_day, help="issue date (default: today)")


def _init(sub: Any, name: str, site: argparse.ArgumentParser,
          when: argparse.ArgumentParser) -> None:
    it = sub.add_parser(name, help="make a new, ready site in a folder")
    it.add_argument("folder", type=Path, help="the new site's folder (empty or missing)")


def _remind(sub: Any, name: str, site: argparse.ArgumentParser,
            when: argparse.ArgumentParser) -> None:
    rm = sub.add_parser(name, parents=[site, when],
                        help="list (or --send) the reminders due today")
    rm.add_argument("--send", action="store_true", help="send them by e-mail (site.toml [smtp])")
    rm.add_argument("--dry-run", action="store_true",
                    help="with --send: show the messages, send nothing, log nothing")
    rm.add_argument("--log", type=Path, metavar="FILE",
                    help="the reminder log (default: site.toml's reminders.log, "
                         "else SITE/reminders.log)")


def _share(sub: Any, name: str, site: argparse.ArgumentParser,
           when: argparse.ArgumentParser) -> None:
    sh = sub.add_parser(name, parents=[when],
                        help="print a message with an invoice's link, ready to send")
    sh.add_argument("number", help="the invoice number, e.g. 2026-014")
    sh.add_argument("site", nargs="?", type=Path, default=Path("."),
                    help="the site folder, holding site.toml (default: .)")
    sh.add_argument("--json", action="store_true", help="machine-readable output")


def _deploy(sub: Any, name: str, site: argparse.ArgumentParser,
            when: argparse.ArgumentParser) -> None:
    d = sub.add_parser(name, parents=[site, when],
                       help="build, then publish output/ to a gh-pages branch")
    d.add_argument("--remote", default="origin", help="git remote to push to (default: origin)")
    d.add_argument("--branch", default="gh-pages", help="branch to publish (default: gh-pages)")
    d.add_argument("--no-push", action="store_true", help="update the local branch only")


WATCHING = {"watch": "rebuild the site whenever content/, themes/ or site.toml changes",
            "serve": "watch, and preview the site on localhost with live reload"}


def _watch(sub: Any, name: str, site: argparse.ArgumentParser,
           when: argparse.ArgumentParser) -> None:
    w = sub.add_parser(name, parents=[site, when], help=WATCHING[name])
    w.add_argument("--output", "-o", type=Path, help="output folder (default: SITE/output)")
    w.add_argument("--poll", action="store_true", help="poll the disk instead of using OS "
                                                       "file events (network mounts, "
                                                       "containers)")
    if name == "serve":
        w.add_argument("--port", "-p", type=int, default=8000, help="default: 8000")
        w.add_argument("--bind", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")


def _reconcile(sub: Any, name: str, site: argparse.ArgumentParser,
               when: argparse.ArgumentParser) -> None:
    r = sub.add_parser(name, help="record the payments in bank statements (camt.053/054, "
                                  "MT940, CSV) in the invoices they pay")
    r.add_argument("statements", nargs="+", type=Path, metavar="STATEMENT",
                   help="statement files downloaded from the bank")
    r.add_argument("--site", "-C", type=Path, default=Path("."),
                   help="the site folder, holding site.toml (default: .)")
    r.add_argument("--dry-run", "-n", action="store_true",
                   help="print what would be written, as a diff, and write nothing")


# Each command's options, in the order `remit --help` lists them.
DECLARE: dict[str, Declare] = {
    "build": _build, "check": _check, "list": _list, "report": _report, "new": _new,
    "init": _init, "remind": _remind, "share": _share, "deploy": _deploy, "watch": _watch,
    "serve": _watch, "reconcile": _reconcile}


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C: temporary trees are removed, the PDF pool is shut down.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser(argv[0] if argv and argv[0] in DECLARE else None).parse_args(argv)
    # Each command's module, imported when it runs: `remit build` never loads watchdog.
    command = importlib.import_module(f"generator.cli.{args.command}")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        result = command.run(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return result
    except RemitError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `remit list --json | head`: the reader has all it wants. Exit quietly, as `cat`
        # does; stdout goes to /dev/null so that the flush at exit cannot complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE


def command() -> int:
    """The `remit` program (and `python -m generator`): main, in a process that ends after.
    Everything it made goes at once when it ends, so the collector's last full pass over
    all of it is skipped (2% of the instructions of a no-op build of 1,000 invoices); main
    itself leaves the collector alone, for callers that go on (tests, tools)."""
    code = main()
    gc.freeze()
    return code
