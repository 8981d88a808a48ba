"""Figures and states of an invoice on a given day, or at a given instant. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from generator.figures import countdown as cdn
from generator.figures.countdown import Stage
from generator.figures.totals import ZERO, Totals, schedule, totals
from generator.model.countdown import UTC, local_day
from generator.model.invoice import Invoice
from generator.money import percent_of


class Status(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    VOID = "void"


class PartState(StrEnum):
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DUE = "due"  # due today, or the next part to pay
    UPCOMING = "upcoming"
    OVERDUE = "overdue"
    VOID = "void"


@dataclass(frozen=True)
class Part:
    """One slice of what the client owes: deposit, installment, or the whole balance."""

    kind: str  # "deposit" | "installment" | "balance"
    index: int  # 1-based among installments; 0 otherwise
    label: str | None
    due: dt.date
    amount: Decimal
    paid: Decimal
    remaining: Decimal
    state: PartState


@dataclass(frozen=True)
class Price:
    """What an offer (price tier or early-payment incentive) does to the amount due now.

    `Figures.due_now` already is the amount to pay now, offer included: payment links and QR
    codes read it and need nothing from here. This is for the page's wording.
    """

    full: Decimal  # due now without any offer
    offer: Decimal | None  # due now under the offer in force (== due_now); None when none is
    until: dt.datetime | None  # UTC instant at which the offer in force ends
    step: int | None  # index of the step in force (countdown.price_steps)
    cashback: Decimal | None  # an open "pay by ... and get X% back" incentive: X% of the total
    settled: int | None  # the step whose price was paid in full in time, if any


NO_PRICE = Price(ZERO, None, None, None, None, None)


@dataclass(frozen=True)
class Figures:
    totals: Totals
    paid: Decimal
    balance: Decimal
    overpaid: Decimal
    parts: tuple[Part, ...]
    due_now: Decimal  # what a payment link asks for today
    due_now_date: dt.date | None
    status: Status
    days_left: int | None  # until the next due date; negative when overdue
    stage: Stage = Stage.UPCOMING  # which default wording applies (countdown.stage)
    stage_date: dt.date | None = None  # the earliest unpaid part's due date: what is late
    price: Price = NO_PRICE
    instant: dt.datetime | None = None  # the moment these figures are true at (UTC)


def derive(invoice: Invoice, today: dt.date, tz: ZoneInfo | None = None,
           at: dt.datetime | None = None, known: Totals | None = None) -> Figures:
    """Figures on `today`, or at the instant `at` (whose day in `tz` then is today).

    Without `at`, the instant is the start of `today` in the site's time zone `tz`. `known`
    is `totals(invoice)` when the caller has it already (the timeline derives the same
    invoice at each of its moments, and totals depend on the invoice alone).
    """
    tz = tz or ZoneInfo("UTC")
    if at is not None:
        today = local_day(at, tz)
    instant = at.astimezone(UTC) if at is not None else cdn.build_instant(today, tz)
    t = known if known is not None else totals(invoice)
    received = [(p.date, p.amount) for p in invoice.payments if p.date <= today]
    paid = sum((a for _, a in received), ZERO)
    steps = cdn.price_steps(invoice.countdown, t.total, invoice.currency)
    settled_at = cdn.settled_step(steps, received)
    # Paying a tier's price in time settles the invoice at that price.
    price_total = steps[settled_at].amount if settled_at is not None else t.total
    balance = ZERO if invoice.void else max(price_total - paid, ZERO)
    # Nothing is owed on a void invoice: whatever was paid on it is owed back, a credit.
    overpaid = paid if invoice.void else max(paid - price_total, ZERO)
    raw = schedule(invoice, price_total)

    # Payments settle the earliest parts first, as a client paying "the invoice" would expect.
    parts: list[Part] = []
    left = paid
    for s in raw:
        settled = min(left, s.amount)
        left -= settled
        remaining = s.amount - settled
        if invoice.void:
            state = PartState.VOID
        elif remaining <= 0:
            state = PartState.PAID
        elif s.due < today:
            state = PartState.OVERDUE
        elif settled > 0:
            state = PartState.PARTIALLY_PAID
        else:
            state = PartState.UPCOMING
        parts.append(Part(s.kind, s.index, s.label, s.due, s.amount, settled, remaining, state))

    open_parts = [p for p in parts if p.remaining > 0]
    due_now, due_now_date = ZERO, None
    if open_parts and not invoice.void:
        # Whatever is late (or, when nothing is, the next part): one payment brings the
        # client up to date, and nothing is asked for before its own date.
        horizon = max(today, open_parts[0].due)
        now = [p for p in open_parts if p.due <= horizon]
        due_now = sum((p.remaining for p in now), ZERO)
        due_now_date = now[-1].due
        parts = [_with_state(p, PartState.DUE) if p in now and p.state is PartState.UPCOMING
                 else p for p in parts]

    if invoice.draft:
        status = Status.DRAFT
    elif invoice.void:
        status = Status.VOID
    elif balance <= 0:
        status = Status.PAID
    elif any(p.state is PartState.OVERDUE for p in parts):
        status = Status.OVERDUE
    elif paid > 0:
        status = Status.PARTIALLY_PAID
    else:
        status = Status.OPEN
    days_left = (due_now_date - today).days if due_now_date else None
    price = offer(invoice, t.total, steps, settled_at, paid, due_now, instant, tz)
    if price.offer is not None:
        due_now = price.offer
    # Lateness counts from the earliest unpaid part, even when later parts are due too.
    stage_date = open_parts[0].due if open_parts and not invoice.void else None
    stage = cdn.stage(void=invoice.void, draft=invoice.draft, balance=balance, paid=paid,
                      days_left=(stage_date - today).days if stage_date else None)
    return Figures(t, paid, balance, overpaid, tuple(parts), due_now, due_now_date, status,
                   days_left, stage, stage_date, price, instant)


def offer(invoice: Invoice, total: Decimal, steps: tuple[cdn.Step, ...], settled: int | None,
          paid: Decimal, due_now: Decimal, instant: dt.datetime, tz: ZoneInfo) -> Price:
    """The price step in force at `instant`; offers apply only while something is due."""
    inc = invoice.countdown.incentive
    open_ = due_now > 0 and not invoice.void and settled is None
    step = cdn.first_open([s.by.instant(tz) for s in steps], instant) if open_ else None
    if step is not None:
        return Price(due_now, max(steps[step].amount - paid, ZERO), steps[step].by.instant(tz),
                     step, None, None)
    if open_ and inc is not None and inc.kind == "back" and instant < inc.by.instant(tz):
        return Price(due_now, None, inc.by.instant(tz), None,
                     percent_of(total, inc.percent, invoice.currency), None)
    return Price(due_now, None, None, None, None, settled)


def _with_state(part: Part, state: PartState) -> Part:
    return Part(part.kind, part.index, part.label, part.due, part.amount, part.paid,
                part.remaining, state)
