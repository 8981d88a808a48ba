"""`remit reconcile STATEMENT...`: record the payments a bank statement shows in the invoices
they pay. The only command that writes to content/, and it only ever appends [[payments]]."""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from typing import TextIO

from generator.errors import RemitError
from generator.figures.matching import Look, Match, Outcome, money, reconcile
from generator.model.invoice import Payment
from generator.model.statement import Line
from generator.read.site import load_site
from generator.read.statement import read_statement
from generator.write.payments import Edit, appended, write_all


def run(args: argparse.Namespace) -> int:
    site = load_site(args.site, create_secret=False)
    settings = site.settings
    statements: list[list[Line]] = []
    problems = []
    for path in args.statements:
        try:
            statements.append(read_statement(path, str(path), settings.reconcile_csv))
        except RemitError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RemitError(problems)
    outcome = reconcile(statements, site.invoices, settings.tz)
    by_file: dict[str, list[Payment]] = defaultdict(list)
    for m in outcome.matches:
        by_file[m.invoice.source].append(m.payment)
    edits = [appended(settings.root / rel, rel, payments) for rel, payments in by_file.items()]
    out = sys.stdout
    if args.dry_run:
        for edit in edits:
            out.write(edit.diff())
        if edits:
            out.write("\n")
    else:
        write_all(edits)
    report(outcome, edits, args.dry_run, out)
    return 0


def _line(line: Line) -> str:
    sign = "+" if line.credit else "-"
    who = f"  {line.payer}" if line.payer else ""
    text = line.text if len(line.text) <= 60 else line.text[:57] + "..."
    return f"{line.date}  {sign}{money(line.amount, line.currency)}  {text!r}{who}"


def report(outcome: Outcome, edits: list[Edit], dry_run: bool, out: TextIO) -> None:
    verb = "Would record" if dry_run else "Recorded"
    n = len(outcome.matches)
    out.write(f"{verb} {n} payment{'s' if n != 1 else ''} in {len(edits)} invoice "
              f"file{'s' if len(edits) != 1 else ''}.\n")
    for m in outcome.matches:
        out.write(_match(m))
    if outcome.looks:
        out.write(f"\nNeeds a look ({len(outcome.looks)}): nothing was recorded for these.\n")
        for look in outcome.looks:
            out.write(_look(look))
    tail = []
    if outcome.already:
        tail.append(f"{outcome.already} line{'s' if outcome.already != 1 else ''} already "
                    "recorded")
    if outcome.debits:
        tail.append(f"{outcome.debits} debit{'s' if outcome.debits != 1 else ''} naming no "
                    "invoice left alone")
    if tail:
        out.write("\n" + "; ".join(tail) + ".\n")
    if dry_run:
        out.write("Dry run: no file was written.\n")
    elif edits:
        out.write("Undo with: git diff content/ (and git checkout -- content/ to drop it all).\n")


def _match(m: Match) -> str:
    how = "by reference" if m.rule == "reference" else "by number and amount"
    notes = "; ".join(m.notes)
    return (f"  {m.invoice.number:<12} {money(m.payment.amount, m.line.currency):>16} on "
            f"{m.payment.date}  {how}, pays {m.pays}: {notes}  [{m.line.where}]\n")


def _look(look: Look) -> str:
    return f"  {look.line.where}  {_line(look.line)}\n      {look.why}\n"

