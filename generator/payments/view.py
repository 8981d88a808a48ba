"""The `pay` entry of an invoice's view: what the payment section of the page shows."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.derive import Figures, Status
from generator.errors import RemitError
from generator.model import Invoice
from generator.payments.base import Detail, Offer, PaymentError, plain_amount
from generator.payments.offers import make_offers, problem
from generator.render.qr import cached_qr_svg

NO_PAY_ACTION = (Status.PAID, Status.VOID, Status.DRAFT)
# Methods whose details a client types into a banking app: they also get the amount to copy.
WITH_AMOUNT = ("sepa", "bank", "swiss", "upi")


def pay_view(inv: Invoice, fig: Figures, money: Callable[[Decimal], str],
             cache_dir: Path | None = None) -> dict[str, Any] | None:
    """None when there is nothing to pay now or no way to pay; `money` formats amounts."""
    if fig.status in NO_PAY_ACTION or fig.due_now <= 0 or not inv.payment_methods:
        return None
    try:
        offers = make_offers(inv, fig.due_now)
    except PaymentError as exc:
        raise RemitError([problem(inv, None, getattr(exc, "method", "?"), exc)]) from None
    amount = Detail("amount", money(fig.due_now), plain_amount(fig.due_now, inv.currency))
    views = [offer_view(o, amount, cache_dir) for o in offers]
    return {"primary": views[0], "others": views[1:], "amount": amount.shown}


def offer_view(o: Offer, amount: Detail, cache_dir: Path | None) -> dict[str, Any]:
    details = list(o.details)
    if o.type in WITH_AMOUNT:
        # Just before the reference: the order a banking app's transfer form asks for them.
        at = next((i for i, d in enumerate(details) if d.key in ("reference", "message")),
                  len(details))
        details.insert(at, amount)
    code = cached_qr_svg(o.qr, o.qr_level, o.swiss_cross, cache_dir) if o.qr else None
    return {
        "name": o.name, "type": o.type, "label": o.label, "id": f"pay-{o.name}",
        "link": o.link, "scan": o.scan,
        "qr_svg": code.svg if code else None, "qr_version": code.version if code else None,
        "details": [{"key": d.key, "shown": d.shown, "raw": d.copy} for d in details],
    }

