"""What is owed across every invoice on a day: the owner's figures. Pure.

Sums are per currency (amounts in different currencies never add up) and come from each
invoice's parts (deposit, installments, balance) as `derive` settles them, so the dashboard,
`remit report` and the invoice pages can never disagree. Drafts are listed but never counted;
void invoices owe nothing.

- Aging: each overdue part by its own age, `today - due` in days, in the buckets 1-30,
  31-60, 61-90 and over 90 (a part due yesterday is 1 day overdue).
- Due soon: unpaid parts due from today on, within 7 (or 30) days: `0 <= due - today < N`.
- Cash-in by week: unpaid parts not yet late, by the Monday of the week they fall due in;
  while an offer is open (a price tier, an early-payment discount), at its price in the week
  it ends, as a client taking it would pay.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from generator.figures.clients import client_key
from generator.figures.derive import Figures, Part, Status, derive
from generator.figures.totals import ZERO
from generator.model.countdown import UTC, local_day
from generator.model.invoice import Invoice

# (first day, last day or None for "and later") of each aging bucket, in days overdue.
AGING: tuple[tuple[int, int | None], ...] = ((1, 30), (31, 60), (61, 90), (91, None))
SOON = (7, 30)


def bucket_of(days_overdue: int) -> int | None:
    """The index in AGING of a part `days_overdue` days late; None when it is not late."""
    for n, (first, last) in enumerate(AGING):
        if days_overdue >= first and (last is None or days_overdue <= last):
            return n
    return None


@dataclass(frozen=True)
class Entry:
    """One invoice on the day, as the owner's list shows it."""

    invoice: Invoice
    figures: Figures
    next_date: dt.date | None  # when the next unpaid part is (or was) due
    days_overdue: int  # of the earliest unpaid part; 0 when nothing is late

    @property
    def counted(self) -> bool:
        """Whether its money counts in the sums: published, not void."""
        return self.figures.status not in (Status.DRAFT, Status.VOID)

    @property
    def open_parts(self) -> tuple[Part, ...]:
        return tuple(p for p in self.figures.parts if p.remaining > 0) if self.counted else ()


@dataclass(frozen=True)
class CurrencySums:
    currency: str
    outstanding: Decimal  # every balance still to be paid
    overdue: Decimal
    aging: tuple[Decimal, ...]  # one per AGING bucket
    due_soon: tuple[Decimal, ...]  # one per SOON horizon
    open_invoices: int


@dataclass(frozen=True)
class WeekCash:
    monday: dt.date
    currency: str
    amount: Decimal


@dataclass(frozen=True)
class ClientBalance:
    client: str  # as their latest invoice names them
    key: str  # client_key
    currency: str
    balance: Decimal
    overdue: Decimal
    invoices: int  # with something left to pay


@dataclass(frozen=True)
class Ledger:
    today: dt.date
    entries: tuple[Entry, ...]  # every invoice, drafts and paid ones too
    currencies: tuple[CurrencySums, ...]  # sorted by currency code
    weeks: tuple[WeekCash, ...]  # by week, then currency
    clients: tuple[ClientBalance, ...]  # largest balance first within each currency


def entry(inv: Invoice, today: dt.date, tz: ZoneInfo | None = None) -> Entry:
    fig = derive(inv, today, tz)
    unpaid = [p for p in fig.parts if p.remaining > 0] \
        if fig.status not in (Status.DRAFT, Status.VOID) else []
    next_date = unpaid[0].due if unpaid else None
    late = (today - unpaid[0].due).days if unpaid and unpaid[0].due < today else 0
    return Entry(inv, fig, next_date, late)


def offer_ends(e: Entry, tz: ZoneInfo | None) -> dt.date | None:
    """The last day of the offer in force, if any. Offers apply to invoices without a
    schedule (one part), which checks.py guarantees."""
    price = e.figures.price
    if price.offer is None or price.until is None or len(e.open_parts) != 1:
        return None
    return local_day(price.until - dt.timedelta(microseconds=1), tz or UTC)


def expected_week(e: Entry, part: Part, tz: ZoneInfo | None) -> tuple[dt.date, str]:
    ends = offer_ends(e, tz)
    return monday(min(ends, part.due) if ends else part.due), e.invoice.currency


def expected_amount(e: Entry, part: Part) -> Decimal:
    price = e.figures.price
    return price.offer if price.offer is not None and len(e.open_parts) == 1 \
        else part.remaining


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def ledger(invoices: tuple[Invoice, ...] | list[Invoice], today: dt.date,
           tz: ZoneInfo | None = None) -> Ledger:
    entries = tuple(sorted((entry(i, today, tz) for i in invoices),
                           key=lambda e: (e.invoice.issued, e.invoice.number)))
    outstanding: dict[str, Decimal] = defaultdict(lambda: ZERO)
    overdue: dict[str, Decimal] = defaultdict(lambda: ZERO)
    aging: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * len(AGING))
    soon: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * len(SOON))
    count: dict[str, int] = defaultdict(int)
    weeks: dict[tuple[dt.date, str], Decimal] = defaultdict(lambda: ZERO)
    clients: dict[tuple[str, str], list] = {}  # (key, currency) -> [balance, overdue, n]
    names = {client_key(e.invoice): e.invoice.client.display_name for e in entries}
    for e in entries:
        if not e.counted:
            continue
        cur = e.invoice.currency
        outstanding[cur] += e.figures.balance
        client = clients.setdefault((client_key(e.invoice), cur), [ZERO, ZERO, 0])
        client[0] += e.figures.balance
        if e.figures.balance > 0:
            count[cur] += 1
            client[2] += 1
        for part in e.open_parts:
            late = (today - part.due).days
            if late > 0:
                overdue[cur] += part.remaining
                client[1] += part.remaining
                aging[cur][bucket_of(late) or 0] += part.remaining
                continue
            weeks[expected_week(e, part, tz)] += expected_amount(e, part)
            for n, horizon in enumerate(SOON):
                if -late < horizon:
                    soon[cur][n] += part.remaining
    sums = tuple(CurrencySums(c, outstanding[c], overdue[c], tuple(aging[c]), tuple(soon[c]),
                              count[c]) for c in sorted(outstanding))
    return Ledger(
        today, entries, sums,
        tuple(WeekCash(m, c, a) for (m, c), a in sorted(weeks.items())),
        tuple(ClientBalance(names[key], key, cur, b, o, n) for (key, cur), (b, o, n)
              in sorted(clients.items(), key=lambda kv: (kv[0][1], -kv[1][0], kv[0][0]))))
