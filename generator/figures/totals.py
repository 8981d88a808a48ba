"""What an invoice adds up to, and the parts (deposit, installments, balance) it is due in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from generator.model.invoice import Adjustment, Invoice, LineItem
from generator.money import HUNDRED, allocate, percent_of, round_money

ZERO = Decimal(0)


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


@dataclass(frozen=True)
class Slice:
    """One part of the total as scheduled, before any payment."""

    kind: str  # "deposit" | "installment" | "balance"
    index: int  # 1-based among installments; 0 otherwise
    label: str | None
    due: dt.date
    amount: Decimal


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
        parts.append(Slice("deposit", 0, invoice.deposit.label,
                           invoice.deposit.due or invoice.issued, amount))
        rest -= amount
    if invoice.installments:
        amounts = [adjustment_amount(i, total, cur) for i in invoice.installments]
        if all(i.percent is not None for i in invoice.installments) and \
                sum((i.percent or ZERO for i in invoice.installments), ZERO) + (
                    invoice.deposit.percent or ZERO if invoice.deposit else ZERO) == HUNDRED:
            amounts[-1] = rest - sum(amounts[:-1], ZERO)
        for n, (inst, amount) in enumerate(zip(invoice.installments, amounts, strict=True), 1):
            parts.append(Slice("installment", n, inst.label, inst.due or invoice.due, amount))
    elif rest > 0 or not parts:
        parts.append(Slice("balance", 0, None, invoice.due, rest))
    return parts
