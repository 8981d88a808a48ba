"""Checks that need more than one field: money that must add up, offers that must make sense
against the total, payloads within their standards' limits, numbers that must be unique."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from generator.errors import Problem
from generator.model.countdown import Countdown
from generator.model.invoice import ZERO_RATE_REASONS, Invoice
from generator.money import HUNDRED
from generator.payments.base import PaymentError
from generator.payments.registry import context, make_offer
from generator.toml import Locator

# A payment dated over a year before the invoice is almost always a typo in the year.
_GRACE = dt.timedelta(days=366)


def check_invoice(inv: Invoice, locator: Locator) -> list[Problem]:
    # Here, not above: a build whose invoices all come from the memo calls only the site's
    # checks below, and never imports the totals.
    from generator.figures.totals import ZERO, schedule, totals

    problems: list[Problem] = []

    def err(field: str, message: str) -> None:
        problems.append(Problem(inv.source, locator.line_of(field), field, message))

    t = totals(inv)
    if inv.discount and inv.discount.amount is not None and inv.discount.amount > t.subtotal:
        err("discount.amount", f"discount {inv.discount.amount} is larger than the subtotal "
                               f"{t.subtotal}")
    if inv.deposit:
        if inv.deposit.amount is not None and inv.deposit.amount > t.total:
            err("deposit.amount", f"deposit {inv.deposit.amount} is larger than the total "
                                  f"{t.total} {inv.currency}")
        if inv.deposit.due and inv.deposit.due > inv.due:
            err("deposit.due", f"the deposit is due {inv.deposit.due}, after the invoice's due "
                               f"date {inv.due}")
    if inv.installments:
        parts = schedule(inv, t.total)
        scheduled = sum((p.amount for p in parts), ZERO)
        percents = [i.percent for i in inv.installments if i.percent is not None]
        if percents and len(percents) == len(inv.installments) and not inv.deposit \
                and sum(percents, ZERO) != HUNDRED:
            err("installments", f"installment percentages add up to {sum(percents, ZERO)}%, "
                                "not 100%")
        elif scheduled != t.total:
            err("installments", f"installments{' and deposit' if inv.deposit else ''} add up "
                                f"to {scheduled} but the invoice total is {t.total} "
                                f"{inv.currency}")
        for n, inst in enumerate(inv.installments):
            if inst.due and inst.due < inv.issued:
                err(f"installments[{n}].due", f"due {inst.due}, before the issue date "
                                              f"{inv.issued}")
    for field, message in countdown_problems(inv.countdown, t.total, inv.currency,
                                             bool(inv.deposit or inv.installments)):
        err(field, message)
    for n, pay in enumerate(inv.payments):
        if pay.date < inv.issued - _GRACE:
            err(f"payments[{n}].date", f"payment dated {pay.date}, long before the issue date "
                                       f"{inv.issued}; is the year right?")
    problems.extend(payment_problems(inv, locator, t.total))
    return problems


def invoice_warnings(inv: Invoice, locator: Locator | None) -> list[Problem]:
    """What a build prints but does not refuse: a 0% line with no reason for it (an auditor
    asks why no VAT was charged; the invoice should say)."""
    if inv.zero_rate_reason is not None:
        return []
    zero = [n for n, item in enumerate(inv.items) if not item.tax_rate]
    if not zero:
        return []
    field = f"items[{zero[0]}].tax_rate"
    more = f" (and {len(zero) - 1} more line{'s' if len(zero) > 2 else ''})" \
        if len(zero) > 1 else ""
    reasons = ", ".join(f'"{r}"' for r in ZERO_RATE_REASONS)
    return [Problem(inv.source, locator.line_of(field) if locator else None, field,
                    f"0% tax{more} without a reason: set zero_rate_reason to one of {reasons} "
                    "so the invoice says why no tax is charged")]


def countdown_problems(cd: Countdown, total: Decimal, currency: str, has_schedule: bool,
                       ) -> list[tuple[str, str]]:
    """(field, message) for what needs the invoice's total: tiers must make sense against it."""
    found: list[tuple[str, str]] = []
    if has_schedule and (cd.tiers or (cd.incentive and cd.incentive.kind == "off")):
        field = "price_tiers" if cd.tiers else "incentive"
        found.append((field, "a price tier or early-payment discount applies to the whole "
                             "invoice; it cannot be combined with a deposit or installments "
                             "(use kind = \"back\" for an incentive, or a milestone)"))
    for n, tier in enumerate(cd.tiers):
        if tier.amount > total:
            found.append((f"price_tiers[{n}].amount",
                          f"tier price {tier.amount} is more than the invoice total {total} "
                          f"{currency}, which applies after the last tier; a later tier must "
                          "not be cheaper"))
    return found


def payment_problem(inv: Invoice, locator: Locator | None, exc: PaymentError) -> Problem:
    where = f"payment.{exc.method or '?'}" + (f".{exc.field}" if exc.field else "")
    line = locator.line_of(where) if locator else None
    return Problem(inv.source, line, where, exc.message)


def payment_problems(inv: Invoice, locator: Locator, largest: Decimal) -> list[Problem]:
    """Make every payload once at load time, with the largest amount the invoice can ask for,
    so a payload over its standard's limit is a build error naming the file and field."""
    if inv.void or largest <= 0:
        return []
    ctx = context(inv, largest)
    problems = []
    for m in inv.payment_methods:
        try:
            make_offer(m, ctx)
        except PaymentError as exc:
            problems.append(payment_problem(inv, locator, PaymentError(exc.field, exc.message,
                                                                       m.name)))
    return problems


def check_unique(invoices: list[Invoice], urls: dict[str, str]) -> list[Problem]:
    """Numbers and URLs must be unique across the site; report each clash on both files."""
    problems: list[Problem] = []
    seen_number: dict[str, str] = {}
    seen_url: dict[str, str] = {}
    for inv in invoices:
        other = seen_number.setdefault(inv.number, inv.source)
        if other != inv.source:
            problems.append(Problem(inv.source, None, "number",
                                    f"invoice number {inv.number!r} is also used by {other}"))
        url = urls[inv.source]
        other = seen_url.setdefault(url, inv.source)
        if other != inv.source:
            problems.append(Problem(inv.source, None, "slug",
                                    f"URL {url!r} is also used by {other}; choose another slug"))
    return problems
