"""A bank's CSV export as statement lines, its columns named once in site.toml [reconcile.csv].

Exports differ by bank and by country: the separator, the decimal comma, the date format and
the column names are the owner's to say. A positive amount is money received.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from generator.errors import Problem, RemitError
from generator.fields import Reader
from generator.model.statement import CsvLayout, Line

SETTING = "site.toml [reconcile.csv]"


def parse_amount(text: str, decimal_comma: bool) -> Decimal:
    """'1.800,00' (decimal comma) or '1,800.00'; spaces, apostrophes and a trailing minus ok."""
    t = re.sub(r"[\s\u00a0\u202f'’]", "", text)
    t = re.sub(r"^([+-]?)[^\d+\-.,]+|[^\d.,\-]+$", r"\1", t)  # a currency sign before or after
    if t.endswith("-"):
        t = "-" + t[:-1]
    t = t.replace(".", "").replace(",", ".") if decimal_comma else t.replace(",", "")
    value = Decimal(t)
    if not value.is_finite():
        raise InvalidOperation
    return value


def _amount(cell: Callable[[str], str | None], layout: CsvLayout) -> Decimal:
    """Signed: from the amount column, or from whichever of credit and debit is filled."""
    if layout.amount:
        return parse_amount(cell("amount") or "", layout.decimal_comma)
    credit, debit = cell("credit"), cell("debit")
    if credit and parse_amount(credit, layout.decimal_comma):
        return abs(parse_amount(credit, layout.decimal_comma))
    return -abs(parse_amount(debit or "", layout.decimal_comma))


def read_csv(text: str, rel: str, layout: CsvLayout | None) -> list[Line]:
    if layout is None:
        raise RemitError([Problem(rel, None, None, "neither camt XML nor MT940; to read a bank's "
                                  "CSV export, name its columns in site.toml under "
                                  "[reconcile.csv] (date, amount, text; see the README)")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    mapped = {"date": layout.date, "amount": layout.amount, "text": layout.text,
              "currency": layout.currency, "payer": layout.payer, "id": layout.id,
              "reference": layout.reference, "credit": layout.credit, "debit": layout.debit}
    # Some banks put the account, the period and the balances above the header: the header is
    # the first of the first rows that names the date, amount and text columns.
    first: list[str] | None = None
    header_line = 1
    for row in reader:
        cells = [h.strip() for h in row]
        first = first if first is not None else cells
        if {layout.date, layout.amount or layout.credit, layout.text} <= set(cells):
            header, header_line = cells, reader.line_num
            break
        if reader.line_num >= 30:
            header = first
            break
    else:
        if first is None:
            raise RemitError([Problem(rel, 1, None, "empty CSV file")])
        header = first
    missing = [f"'{col}' ({key})" for key, col in mapped.items() if col and col not in header]
    if missing:
        raise RemitError([Problem(rel, header_line, None, f"column {', '.join(missing)} named "
                                  f"in {SETTING} is not in the header; the header has: "
                                  f"{', '.join(repr(h) for h in header)}")])
    at = {key: header.index(col) for key, col in mapped.items() if col}
    lines: list[Line] = []
    problems: list[Problem] = []
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            problems.append(Problem(rel, number, None, f"{len(row)} columns; the header has "
                                                       f"{len(header)}"))
            continue

        def cell(key: str, row: list[str] = row) -> str | None:
            return row[at[key]].strip() or None if key in at else None

        try:
            date = dt.datetime.strptime(cell("date") or "", layout.date_format).date()
        except ValueError:
            problems.append(Problem(rel, number, layout.date, f"not a date in the format "
                                    f"{layout.date_format!r} (got {cell('date')!r}); set "
                                    f"date_format in {SETTING}"))
            continue
        try:
            amount = _amount(cell, layout)
        except (InvalidOperation, ValueError):
            hint = "decimal_comma = false" if layout.decimal_comma else "decimal_comma = true"
            got = cell("amount") if layout.amount else (cell("credit"), cell("debit"))
            problems.append(Problem(rel, number, layout.amount or layout.credit,
                                    f"not an amount (got {got!r}); is {hint} needed in "
                                    f"{SETTING}?"))
            continue
        currency = (cell("currency") or layout.account_currency or "").upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            problems.append(Problem(rel, number, layout.currency, f"no currency (got "
                                    f"{currency!r}); name a currency column or set "
                                    f"account_currency in {SETTING}"))
            continue
        text_ = cell("text") or ""
        lines.append(Line(
            where=f"{rel}:{number}", date=date, amount=abs(amount), currency=currency,
            credit=amount > 0, text=text_, text_parts=(text_,), payer=cell("payer"),
            line_id=cell("id"), reference=cell("reference"),
            bank_reference=cell("id") or cell("reference"),
        ))
    if problems:
        raise RemitError(problems)
    return lines


LAYOUT_FIELDS = ("date", "amount", "credit", "debit", "text", "currency", "payer", "id",
                 "reference",
                 "account_currency", "decimal_comma", "date_format", "delimiter", "encoding")


def read_layout(r: Reader | None) -> CsvLayout | None:
    """site.toml's [reconcile] table: only `csv` so far."""
    if r is None:
        return None
    c = r.table("csv")
    r.finish(("csv",))
    if c is None:
        return None
    columns = {k: c.str(k, required=k in ("date", "text"))
               for k in ("date", "amount", "credit", "debit", "text", "currency", "payer", "id",
                         "reference")}
    if not columns["amount"] and not columns["credit"]:
        c.error("amount", "missing: name the amount column (signed), or the credit and debit "
                          "columns")
    elif columns["amount"] and (columns["credit"] or columns["debit"]):
        c.error("amount", "give either 'amount' or 'credit' and 'debit', not both")
    ccy = c.str("account_currency")
    if ccy is not None and not re.fullmatch(r"[A-Z]{3}", ccy):
        c.error("account_currency", f"expected an ISO 4217 code such as EUR (got {ccy!r})")
    fmt = c.str("date_format", default="%Y-%m-%d")
    try:
        dt.date(2026, 12, 31).strftime(fmt)
        if not re.search(r"%[dj]", fmt) or not re.search(r"%[mbB]", fmt):
            raise ValueError
    except ValueError:
        c.error("date_format", f"expected a strftime format with day and month, such as "
                               f"\"%d.%m.%Y\" (got {fmt!r})")
    delimiter = c.str("delimiter", default=",")
    if len(delimiter) != 1:
        c.error("delimiter", f"expected one character such as \";\" (got {delimiter!r})")
    c.finish(LAYOUT_FIELDS)
    if not (columns["date"] and (columns["amount"] or columns["credit"]) and columns["text"]):
        return None
    return CsvLayout(
        date=columns["date"], amount=columns["amount"], text=columns["text"],
        currency=columns["currency"], payer=columns["payer"], id=columns["id"],
        reference=columns["reference"], credit=columns["credit"], debit=columns["debit"],
        account_currency=ccy,
        decimal_comma=c.bool("decimal_comma"), date_format=fmt, delimiter=delimiter,
        encoding=c.str("encoding", default="utf-8-sig"),
    )
