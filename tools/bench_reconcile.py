"""`make bench` (second part): `remit reconcile` with a 10,000-line camt.053 statement against
a site of 1,000 invoices. Aim: the whole command under 5 s on a 2-core machine.

The statement mixes what a busy account sees: payments by an issued RF reference (some of
them deposits), payments naming the invoice number with the open amount, credits that need a
look, and debits. Printed: each phase in process (load the site, read the statement, match,
write), the fresh command with and without --dry-run, and a second run over the same statement
(everything already recorded). Baseline measured in the same run: lxml alone parsing the
statement and visiting every element, the floor of reading it.

    python tools/bench_reconcile.py [--invoices N] [--lines L] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.figures.matching import reconcile  # noqa: E402
from generator.payments.reference import rf  # noqa: E402
from generator.read.site import load_site  # noqa: E402
from generator.read.statement import read_statement  # noqa: E402
from generator.write.payments import appended, write_all  # noqa: E402

SITE_TOML = """\
title = "Invoices · Bench Studio"
base_url = "https://bench.example/invoices/"
timezone = "Europe/Berlin"
currency = "EUR"

[seller]
name = "Anna Lindqvist"
company = "Bench Studio"

[payment.sepa]
iban = "DE89 3704 0044 0532 0130 00"
reference = "auto"
"""


def invoice(i: int) -> tuple[str, int]:
    """The file's text and its total in cents (one line, no tax: easy to pay exactly)."""
    cents = 10_000 + (i * 7919) % 400_000
    extra = "[deposit]\npercent = 30\ndue = 2026-02-10\n" if i % 4 == 1 else ""
    return (f'+++\nnumber = "B-{i:05d}"\nissued = 2026-02-01\ndue = 2026-03-31\n\n'
            f'[client]\nname = "Client {i}"\n\n[[items]]\ndescription = "Work {i}"\n'
            f"unit_price = {cents // 100}.{cents % 100:02d}\n{extra}+++\nThank you.\n", cents)


def entry(n: int, cents: int, credit: bool, remittance: str) -> str:
    day = 1 + n * 28 // 10_000 % 28
    return (f'<Ntry><Amt Ccy="EUR">{cents // 100}.{cents % 100:02d}</Amt>'
            f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
            f"<BookgDt><Dt>2026-03-{day:02d}</Dt></BookgDt><AcctSvcrRef>L{n:06d}</AcctSvcrRef>"
            f"<NtryDtls><TxDtls><Refs><AcctSvcrRef>L{n:06d}</AcctSvcrRef></Refs>"
            f'<Amt Ccy="EUR">{cents // 100}.{cents % 100:02d}</Amt>'
            f"<RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>\n")


def make(root: Path, invoices: int, lines: int) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, "utf-8")
    totals = []
    for i in range(invoices):
        text, cents = invoice(i)
        (root / "content" / f"b-{i:05d}.md").write_text(text, "utf-8")
        totals.append(cents)
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:'
           'tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>BENCH</Id>\n']
    for n in range(lines):
        i = n % invoices
        kind = n * 10 // lines  # the statement runs through the cases in blocks
        if kind < 1:  # by reference (deposits by the deposit's own reference)
            ref = rf(f"B-{i:05d}", "deposit") if i % 4 == 1 else rf(f"B-{i:05d}")
            cents = totals[i] * 30 // 100 if i % 4 == 1 else totals[i]
            out.append(entry(n, cents, True, f"<Strd><CdtrRefInf><Ref>{ref}</Ref></CdtrRefInf>"
                                             "</Strd>"))
        elif kind < 2:  # by number and amount (what is left after the first block)
            cents = totals[i] - (totals[i] * 30 // 100 if i % 4 == 1 else totals[i])
            out.append(entry(n, cents or 100, True, f"<Ustrd>Invoice B-{i:05d}</Ustrd>"))
        elif kind < 3:  # credits that need a look
            out.append(entry(n, 1234 + n, True, f"<Ustrd>Transfer {n}</Ustrd>"))
        else:
            out.append(entry(n, 500 + n % 9000, False, f"<Ustrd>Card payment {n}</Ustrd>"))
    out.append("</Stmt></BkToCstmrStmt></Document>\n")
    statement = root / "statement.xml"
    statement.write_text("".join(out), "utf-8")
    return statement


BASELINE = """
import sys, time
from lxml import etree
t = time.perf_counter()
sum(1 for _ in etree.parse(sys.argv[1]).getroot().iter())
print(time.perf_counter() - t)
"""


def timed(fn, *args, **kwargs):
    """(wall seconds, CPU seconds), result: on a shared machine the CPU time is the steadier."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - started, time.process_time() - cpu), result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command(site: Path, statement: Path, *extra: str) -> tuple[float, float]:
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([sys.executable, "-m", "generator", "reconcile", "--site", str(site),
                    str(statement), *extra], check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                   env={**os.environ, "REMIT_SECRET": "bench"})
    return time.perf_counter() - started, _children_cpu() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--invoices", "-n", type=int, default=1000)
    ap.add_argument("--lines", "-l", type=int, default=10_000)
    ap.add_argument("--keep", type=Path, help="make the site here and keep it")
    args = ap.parse_args()
    os.environ["REMIT_SECRET"] = "bench"
    tmp = Path(tempfile.mkdtemp(prefix="remit-bench-reconcile-"))
    site = args.keep or tmp / "site"
    if site.exists():
        shutil.rmtree(site)
    statement = make(site, args.invoices, args.lines)
    rows: list[tuple[str, tuple[float, float]]] = []
    try:
        t, loaded = timed(load_site, site, create_secret=False)
        rows.append(("load the site (in process)", t))
        t, lines = timed(read_statement, statement, statement.name, None)
        rows.append((f"read the statement: {len(lines)} lines (in process)", t))
        t, outcome = timed(reconcile, [lines], loaded.invoices, loaded.settings.tz)
        rows.append((f"match: {len(outcome.matches)} recorded, {len(outcome.looks)} to look "
                     f"at, {outcome.debits} debits (in process)", t))

        def write() -> int:
            by_file: dict[str, list] = {}
            for m in outcome.matches:
                by_file.setdefault(m.invoice.source, []).append(m.payment)
            write_all([appended(site / rel, rel, payments) for rel, payments in by_file.items()])
            return len(by_file)

        shutil.copytree(site / "content", tmp / "content-before")
        t, files = timed(write)
        rows.append((f"append to {files} invoice files (in process)", t))
        shutil.rmtree(site / "content")
        shutil.copytree(tmp / "content-before", site / "content")
        dry = command(site, statement, "--dry-run")
        rows.append(("`remit reconcile --dry-run` (fresh process)", dry))
        real = command(site, statement)
        rows.append(("`remit reconcile` (fresh process, writing)", real))
        rows.append(("`remit reconcile` again: all already recorded", command(site, statement)))
        baseline = float(subprocess.run([sys.executable, "-c", BASELINE, str(statement)],
                                        check=True, capture_output=True, text=True).stdout)
        timings = [(label, wall, cpu) for label, (wall, cpu) in rows]
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nRemit reconcile bench: {args.lines} statement lines, {args.invoices} invoices, "
          f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    width = max(len(r[0]) for r in timings) + 2
    print(f"{'':<{width}}{'wall':>9} {'CPU':>9}")
    for label, wall, cpu in timings:
        print(f"{label:<{width}}{wall:>8.3f}s {cpu:>8.3f}s")
    print(f"{'baseline: lxml alone parsing the statement':<{width}}{baseline:>8.3f}s")
    print(f"reading / lxml baseline = {timings[1][1] / baseline:.1f}; whole command "
          f"{real[0]:.2f} s wall, {real[1]:.2f} s CPU (target < 5 s)")


if __name__ == "__main__":
    main()
