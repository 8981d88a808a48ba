"""A client's statement of account on a day: every published invoice, per currency. Pure.

A client is known by `clients.client_key`: the name their invoices show, whatever its case.
Amounts in different currencies are never added up: the statement has one section per
currency, each with its total outstanding, what of it is late, and its next payment (the
earliest unpaid part, with everything due by then, as a payment link asks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from generator.figures.ledger import Entry, entry
from generator.figures.totals import ZERO
from generator.model.invoice import Invoice


@dataclass(frozen=True)
class Section:
    currency: str
    entries: tuple[Entry, ...]  # oldest first
    total: Decimal  # invoiced, void excluded
    paid: Decimal
    outstanding: Decimal
    next_date: dt.date | None  # the next payment: by this date...
    next_amount: Decimal  # ...this much (overdue parts included)
    overdue: Decimal  # of it, what is already late


@dataclass(frozen=True)
class Statement:
    client: Invoice  # the latest invoice: whose client block and language the page uses
    today: dt.date
    sections: tuple[Section, ...]  # by currency code


def statement(invoices: Iterable[Invoice], today: dt.date,
              tz: ZoneInfo | None = None) -> Statement:
    """The statement of one client's published invoices (at least one)."""
    chosen = sorted((i for i in invoices if not i.draft), key=lambda i: (i.issued, i.number))
    entries = [entry(i, today, tz) for i in chosen]
    sections = []
    for cur in sorted({e.invoice.currency for e in entries}):
        mine = tuple(e for e in entries if e.invoice.currency == cur)
        counted = [e for e in mine if e.counted]
        parts = sorted((p for e in counted for p in e.open_parts), key=lambda p: p.due)
        next_date, next_amount = None, ZERO
        overdue = sum((p.remaining for p in parts if p.due < today), ZERO)
        if parts:
            horizon = max(today, parts[0].due)
            next_date = parts[0].due
            next_amount = sum((p.remaining for p in parts if p.due <= horizon), ZERO)
        sections.append(Section(
            cur, mine, sum((e.figures.totals.total for e in counted), ZERO),
            sum((min(e.figures.paid, e.figures.totals.total) for e in counted), ZERO),
            sum((e.figures.balance for e in counted), ZERO), next_date, next_amount, overdue))
    return Statement(chosen[-1], today, tuple(sections))
