"""Stage 3: figures and states of an invoice on a given day. Pure functions only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from generator.model import Adjustment, Invoice, LineItem
from generator.money import HUNDRED, allocate, percent_of, round_money

ZERO = Decimal(0)


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
class TaxLine:
    rate: Decimal
    base: Decimal  # after discounts
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    lines: tuple[Decimal, ...]  # each line's net amount, after its own discount
    subtotal: Decimal
    discount: Decimal  # invoice-level discount
    taxes: tuple[TaxLine, ...]
    tax: Decimal
    total: Decimal


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


def line_net(item: LineItem, currency: str) -> Decimal:
    gross = item.quantity * item.unit_price
    return round_money(gross * (HUNDRED - item.discount_percent) / HUNDRED, currency)


def totals(invoice: Invoice) -> Totals:
    """total = lines - discount + tax, exactly, with tax computed per rate on discounted bases."""
    cur = invoice.currency
    nets = tuple(line_net(i, cur) for i in invoice.items)
    subtotal = sum(nets, ZERO)
    by_rate: dict[Decimal, Decimal] = {}
    for item, net in zip(invoice.items, nets, strict=True):
        by_rate[item.tax_rate] = by_rate.get(item.tax_rate, ZERO) + net
    rates = sorted(by_rate)
    discount = adjustment_amount(invoice.discount, subtotal, cur)
    discount = min(discount, subtotal)
    shares = allocate(discount, [by_rate[r] for r in rates], cur)
    taxes = []
    for rate, share in zip(rates, shares, strict=True):
        base = by_rate[rate] - share
        taxes.append(TaxLine(rate, base, percent_of(base, rate, cur)))
    tax = sum((t.tax for t in taxes), ZERO)
    return Totals(nets, subtotal, discount, tuple(taxes), tax, subtotal - discount + tax)


def adjustment_amount(adj: Adjustment | None, of: Decimal, currency: str) -> Decimal:
    if adj is None:
        return ZERO
    if adj.amount is not None:
        return round_money(adj.amount, currency)
    return percent_of(of, adj.percent or ZERO, currency)


Slice = tuple[str, int, str | None, dt.date, Decimal]  # kind, index, label, due, amount


def schedule(invoice: Invoice, total: Decimal) -> list[Slice]:
    """The parts the total is due in: deposit, installments, and whatever is left at `due`.

    Percent installments are rounded and the last installment absorbs the rounding, so that
    3 x 33.33% of 100.00 is 33.33 + 33.33 + 33.34, never 99.99.
    """
    cur = invoice.currency
    parts: list[Slice] = []
    rest = total
    if invoice.deposit is not None:
        amount = min(adjustment_amount(invoice.deposit, total, cur), total)
        parts.append(("deposit", 0, invoice.deposit.label, invoice.deposit.due or invoice.issued,
                      amount))
        rest -= amount
    if invoice.installments:
        amounts = [adjustment_amount(i, total, cur) for i in invoice.installments]
        if all(i.percent is not None for i in invoice.installments) and \
                sum((i.percent or ZERO for i in invoice.installments), ZERO) + (
                    invoice.deposit.percent or ZERO if invoice.deposit else ZERO) == HUNDRED:
            amounts[-1] = rest - sum(amounts[:-1], ZERO)
        for n, (inst, amount) in enumerate(zip(invoice.installments, amounts, strict=True), 1):
            parts.append(("installment", n, inst.label, inst.due or invoice.due, amount))
    elif rest > 0 or not parts:
        parts.append(("balance", 0, None, invoice.due, rest))
    return parts


def derive(invoice: Invoice, today: dt.date) -> Figures:
    t = totals(invoice)
    paid = sum((p.amount for p in invoice.payments if p.date <= today), ZERO)
    balance = ZERO if invoice.void else max(t.total - paid, ZERO)
    overpaid = max(paid - t.total, ZERO)
    raw = schedule(invoice, t.total)

    # Payments settle the earliest parts first, as a client paying "the invoice" would expect.
    parts: list[Part] = []
    left = paid
    for kind, index, label, due, amount in raw:
        settled = min(left, amount)
        left -= settled
        remaining = amount - settled
        if invoice.void:
            state = PartState.VOID
        elif remaining <= 0:
            state = PartState.PAID
        elif due < today:
            state = PartState.OVERDUE
        elif settled > 0:
            state = PartState.PARTIALLY_PAID
        else:
            state = PartState.UPCOMING
        parts.append(Part(kind, index, label, due, amount, settled, remaining, state))

    open_parts = [p for p in parts if p.remaining > 0]
    due_now, due_now_date = ZERO, None
    if open_parts and not invoice.void:
        # Everything already late plus the next part: one payment brings the client up to date.
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
    return Figures(t, paid, balance, overpaid, tuple(parts), due_now, due_now_date, status,
                   days_left)


def _with_state(part: Part, state: PartState) -> Part:
    return Part(part.kind, part.index, part.label, part.due, part.amount, part.paid,
                part.remaining, state)
