"""Checks that need more than one field: money that must add up, numbers that must be unique."""

from __future__ import annotations

import datetime as dt

from generator.countdown_fields import countdown_problems
from generator.derive import ZERO, schedule, totals
from generator.errors import Problem
from generator.load import Source
from generator.model import Invoice
from generator.money import HUNDRED
from generator.payments.offers import check_payments

# A payment dated over a year before the invoice is almost always a typo in the year.
_GRACE = dt.timedelta(days=366)


def check_invoice(inv: Invoice, src: Source) -> list[Problem]:
    problems: list[Problem] = []

    def err(field: str, message: str) -> None:
        problems.append(Problem(inv.source, src.locator.line_of(field), field, message))

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
        scheduled = sum((p[4] for p in parts), ZERO)
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
    problems.extend(check_payments(inv, src, t.total))
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

