"""Pure: (methods, invoice, amount due now) -> links, QR payloads and details. No I/O."""

from __future__ import annotations

from decimal import Decimal

from generator.errors import Problem
from generator.load import Source
from generator.model import Invoice
from generator.payments.base import MAX_QR_BYTES, Context, Method, Offer, PaymentError
from generator.payments.config import TYPES


def context(inv: Invoice, amount: Decimal) -> Context:
    return Context(inv.number, amount, inv.currency, inv.seller.display_name, inv.client.email)


def make_offer(m: Method, ctx: Context) -> Offer:
    offer: Offer = TYPES[m.type].offer(m, ctx)
    if offer.qr is not None and len(offer.qr) > MAX_QR_BYTES:
        raise PaymentError(None, f"the payment link is {len(offer.qr)} bytes; a QR code holds "
                                 f"at most {MAX_QR_BYTES}: shorten it or set qr = false")
    return offer


def make_offers(inv: Invoice, amount: Decimal) -> tuple[Offer, ...]:
    """Raise PaymentError (with `.method` set) for the first method that cannot be made."""
    ctx = context(inv, amount)
    offers = []
    for m in inv.payment_methods:
        try:
            offers.append(make_offer(m, ctx))
        except PaymentError as exc:
            exc.method = m.name  # type: ignore[attr-defined]
            raise
    return tuple(offers)


def problem(inv: Invoice, src: Source | None, method: str, exc: PaymentError) -> Problem:
    where = f"payment.{method}" + (f".{exc.field}" if exc.field else "")
    line = src.locator.line_of(where) if src else None
    return Problem(inv.source, line, where, exc.message)


def check_payments(inv: Invoice, src: Source, largest: Decimal) -> list[Problem]:
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
            problems.append(problem(inv, src, m.name, exc))
    return problems
