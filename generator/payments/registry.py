"""Every payment method by type, and the offers an invoice's methods make for one amount."""

from __future__ import annotations

from decimal import Decimal

from generator.model.invoice import Invoice
from generator.model.payment import Method
from generator.payments import bank, bitcoin, link, paypal, sepa, stripe, swiss, upi
from generator.payments.base import MAX_QR_BYTES, Context, Offer, PaymentError, PaymentMethod

METHODS: dict[str, PaymentMethod] = {m.TYPE: m for m in (sepa, bank, swiss, paypal, stripe,
                                                        upi, bitcoin, link)}


def currencies(m: Method) -> frozenset[str] | None:
    """Currencies the method can take; None for any."""
    allowed = METHODS[m.type].currencies(m)
    own = m.get("currencies")
    if own:
        allowed = frozenset(own) if allowed is None else allowed & frozenset(own)
    return allowed


def supports(m: Method, currency: str) -> bool:
    allowed = currencies(m)
    return allowed is None or currency in allowed


def context(inv: Invoice, amount: Decimal, part: tuple[str, int] = ("invoice", 0)) -> Context:
    return Context(inv.number, amount, inv.currency, inv.seller.display_name, inv.client.email,
                   part)


def make_offer(m: Method, ctx: Context) -> Offer:
    offer: Offer = METHODS[m.type].offer(m, ctx)
    if offer.qr is not None and len(offer.qr) > MAX_QR_BYTES:
        raise PaymentError(None, f"the payment link is {len(offer.qr)} bytes; a QR code holds "
                                 f"at most {MAX_QR_BYTES}: shorten it or set qr = false")
    return offer


def make_offers(inv: Invoice, amount: Decimal, part: tuple[str, int] = ("invoice", 0)
                ) -> tuple[Offer, ...]:
    """Raise PaymentError, naming its method, for the first method that cannot be made."""
    ctx = context(inv, amount, part)
    offers = []
    for m in inv.payment_methods:
        try:
            offers.append(make_offer(m, ctx))
        except PaymentError as exc:
            raise PaymentError(exc.field, exc.message, m.name) from None
    return tuple(offers)
