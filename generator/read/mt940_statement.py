"""SWIFT MT940 statements as lines, through the `mt-940` package.

One `:61:` per movement; its text is the `:86:` field after it, which German banks split into
`?20`..`?29` sub-fields (the package joins them into `purpose`) and others wrap at 65
characters. MT940 has no unique id per line, so a line is known by date + amount + reference.
"""

from __future__ import annotations

import re
from decimal import Decimal

import mt940
from mt940.processors import transaction_details_post_processor

from generator.errors import Problem, RemitError
from generator.model.statement import Line

TAG = re.compile(r"^:(\d\d[A-Z]?):", re.MULTILINE)


def looks_like_mt940(text: str) -> bool:
    return bool(re.search(r"^:20:", text, re.MULTILINE) and
                re.search(r"^:(25|60[FM]):", text, re.MULTILINE))


def _check_complete(text: str, rel: str) -> list[int]:
    """Line numbers of every :61:; a statement must close each :20: with a balance (:62F:)."""
    tags = [(m.group(1), text.count("\n", 0, m.start()) + 1) for m in TAG.finditer(text)]
    opened, lines, last = 0, [], 0
    for tag, line in tags:
        last = line
        if tag == "20":
            if opened:
                raise RemitError([Problem(rel, line, ":20:", "a new statement starts before the "
                                          "previous one's closing balance (:62F:)")])
            opened = line
        elif tag in ("62F", "62M"):
            opened = 0
        elif tag == "61":
            if not opened:
                raise RemitError([Problem(rel, line, ":61:", "a transaction outside a statement "
                                          "(no :20: before it)")])
            lines.append(line)
    if opened:
        raise RemitError([Problem(rel, last, None, "truncated: the statement that starts at "
                                  f"line {opened} ends without its closing balance (:62F:); "
                                  "download the statement again")])
    return lines


def read_mt940(text: str, rel: str) -> list[Line]:
    numbers = _check_complete(text, rel)
    statements = mt940.models.Transactions(processors={
        "post_transaction_details": [transaction_details_post_processor]})
    try:
        statements.parse(text)
    except Exception as exc:  # the package raises bare Exceptions, ValueErrors, KeyErrors
        raise RemitError([Problem(rel, None, None, f"not a readable MT940 statement ({exc})")]
                         ) from None
    if len(statements.transactions) != len(numbers):
        raise RemitError([Problem(rel, numbers[len(statements.transactions)]
                                  if len(numbers) > len(statements.transactions) else None,
                                  ":61:", "a :61: line that is not a valid transaction "
                                          "(date, C/D mark, amount, type code)")])
    lines = []
    for tr, number in zip(statements.transactions, numbers, strict=True):
        d = tr.data
        status = str(d.get("status", ""))
        amount = abs(Decimal(str(d["amount"].amount)))
        currency = d["amount"].currency or d.get("currency")
        raw = str(d.get("transaction_details") or "")
        parts = (d["purpose"],) if d.get("purpose") else tuple(
            s.strip() for s in raw.splitlines() if s.strip())
        refs = [d.get("end_to_end_reference"), d.get("bank_reference"),
                d.get("customer_reference")]
        bank_ref = next((r for r in refs if r and r.upper() not in ("NONREF", "NOTPROVIDED")),
                        None)
        if not currency:
            raise RemitError([Problem(rel, number, ":61:", "no currency: the statement's "
                                      "opening balance (:60F:) names none")])
        lines.append(Line(
            where=f"{rel}:{number}", date=d.get("entry_date") or d["date"], amount=amount,
            currency=str(currency),
            # RC reverses a credit (money leaves), RD a debit (money comes back): returns.
            credit=status in ("C", "RD"), returned=status in ("RC", "RD"),
            text=" ".join(parts), text_parts=parts,
            payer=d.get("applicant_name") or None, bank_reference=bank_ref,
        ))
    return lines
