"""The `pay` entry of an invoice's view: what the payment section of the page shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.errors import RemitError
from generator.figures.checks import payment_problem
from generator.figures.derive import Figures, Status
from generator.model.invoice import Invoice
from generator.payments.base import Detail, Offer, PaymentError, plain_amount
from generator.payments.registry import make_offers
from generator.view.format import Formatter

NO_PAY_ACTION = (Status.PAID, Status.VOID, Status.DRAFT)

# Methods whose details a client types into a banking app: they also get the amount to copy.
WITH_AMOUNT = ("sepa", "bank", "swiss", "upi")


@dataclass(frozen=True)
class QrSpec:
    """A QR code to draw: its payload, error correction level, and the Swiss cross or not."""

    payload: bytes
    level: str
    cross: bool


def pay_for(inv: Invoice, due: Decimal, f: Formatter, suffix: str = "",
            part: tuple[str, int] = ("invoice", 0)) -> dict[str, Any]:
    """Every method's link, QR code and details for paying `due` (which pays `part`: its
    reference goes into the codes); `suffix` keeps element ids unique when a page holds one
    payment section per amount it may ask for."""
    try:
        offers = make_offers(inv, due, part)
    except PaymentError as exc:
        raise RemitError([payment_problem(inv, None, exc)]) from None
    amount = Detail("amount", f.money(due), plain_amount(due, inv.currency))
    views = [offer_view(o, amount, suffix) for o in offers]
    return {"primary": views[0], "others": views[1:], "amount": amount.shown,
            "raw": amount.copy, "suffix": suffix}


def paying_part(fig: Figures) -> tuple[str, int]:
    """The one deposit or installment that what is due now pays, so that its code carries that
    part's own reference; the invoice's when it pays the balance or several parts at once."""
    now = [p for p in fig.parts if p.remaining > 0 and fig.due_now_date
           and p.due <= fig.due_now_date]
    if len(now) == 1 and now[0].kind in ("deposit", "installment"):
        return now[0].kind, now[0].index
    return "invoice", 0


def offer_view(o: Offer, amount: Detail, suffix: str = "") -> dict[str, Any]:
    details = list(o.details)
    if o.type in WITH_AMOUNT:
        # Just before the reference: the order a banking app's transfer form asks for them.
        at = next((i for i, d in enumerate(details) if d.key in ("reference", "message")),
                  len(details))
        details.insert(at, amount)
    return {
        "name": o.name, "type": o.type, "label": o.label, "id": f"pay-{o.name}{suffix}",
        "link": o.link, "scan": o.scan, "carries_amount": o.carries_amount,
        # What to draw; render/ turns it into the code's SVG (`qr_svg`).
        "qr": QrSpec(o.qr, o.qr_level, o.swiss_cross) if o.qr else None,
        "details": [{"key": d.key, "shown": d.shown, "raw": d.copy} for d in details],
    }
