"""Bank statement lines as `remit reconcile` reads them, and how a bank's CSV export is laid out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Line:
    """One booked movement on the account: one transaction of a camt entry, one MT940 :61:,
    one CSV row. Amounts are positive; `credit` says which way the money went."""

    where: str  # "statement.xml:120 (Ntry/TxDtls)", "bank.sta:14", "export.csv:8": for messages
    date: dt.date  # booking date (value date when a format has no booking date)
    amount: Decimal
    currency: str
    credit: bool
    text: str  # the remittance text, lines joined with a space
    text_parts: tuple[str, ...] = ()  # the text as the bank split it (Ustrd, ?20..?29)
    reference: str | None = None  # a structured creditor reference (RF..., QR reference)
    payer: str | None = None
    line_id: str | None = None  # the bank's unique id of this line, if the format has one
    bank_reference: str | None = None  # what the payment entry records as its reference
    returned: bool = False  # a return or reversal, never a client's payment
    booked: bool = True  # pending or information-only entries are not money received
    instructed: tuple[Decimal, str] | None = None  # what the payer sent, when converted
    unclear: str | None = None  # why the line cannot be matched at all (a batch without amounts)


@dataclass(frozen=True)
class CsvLayout:
    """site.toml's [reconcile.csv]: which column holds what, and how numbers and dates look."""

    date: str
    amount: str | None  # signed: positive is money in; or, instead, the two columns below
    text: str
    currency: str | None = None  # a column; without one every row is in `account_currency`
    payer: str | None = None
    id: str | None = None
    reference: str | None = None  # a column with a structured reference, if the bank has one
    credit: str | None = None  # money in, for banks with separate credit and debit columns
    debit: str | None = None
    account_currency: str | None = None
    decimal_comma: bool = False
    date_format: str = "%Y-%m-%d"
    delimiter: str = ","
    encoding: str = "utf-8-sig"
