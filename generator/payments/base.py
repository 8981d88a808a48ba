"""Shared shapes of the payment package: a configured method, what a payload needs, an offer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.money import minor_units

MAX_QR_BYTES = 2331  # a version-40 code at level M: no phone scans more


class PaymentError(ValueError):
    """A payload that cannot be made; `field` names the method's field at fault."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Method:
    """One way to pay, as configured: site-wide in site.toml, possibly overridden per invoice."""

    name: str  # the owner's name for it: the key under [payment]
    type: str  # sepa, bank, swiss, paypal, stripe, upi, bitcoin, link
    # Left out of the hash (a dict has none) so that invoices stay hashable.
    fields: dict[str, Any] = field(default_factory=dict, hash=False)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.fields.get(key)
        return default if value is None else value


@dataclass(frozen=True)
class Context:
    """Everything of one invoice a payload depends on."""

    number: str
    amount: Decimal  # what is due now, never money already paid
    currency: str
    seller_name: str
    client_email: str | None


@dataclass(frozen=True)
class Detail:
    key: str  # beneficiary, iban, bic, reference, amount, ...: the template names it
    shown: str  # as the client reads it (IBAN in groups of four)
    copy: str  # as it is pasted into a banking app (compact, plain number); "" for no button


@dataclass(frozen=True)
class Offer:
    """A method made concrete for one invoice on one day: a link, a QR payload, details."""

    name: str
    type: str
    label: str | None  # the owner's own title for the method, if any
    link: str | None
    qr: bytes | None
    details: tuple[Detail, ...]
    scan: str | None  # what to scan the code with: bank, swiss, link, upi, bitcoin
    qr_level: str = "M"
    swiss_cross: bool = False


def plain_amount(amount: Decimal, currency: str) -> str:
    """1800 EUR -> '1800.00'; 5000 JPY -> '5000': the currency's minor units, no grouping."""
    places = minor_units(currency)
    return f"{amount.quantize(Decimal(1).scaleb(-places)):.{places}f}"


def limit(text: str, max_chars: int, field: str | None, what: str) -> str:
    if any(c in text for c in "\r\n\t"):
        # Line-based payloads (EPC, QR-bill) would read the rest as the next field.
        raise PaymentError(field, f"{what} must be a single line (got {text!r})")
    if len(text) > max_chars:
        raise PaymentError(field, f"{what} is {len(text)} characters long; the standard allows "
                                  f"at most {max_chars}")
    return text


def check_size(payload: bytes, maximum: int, what: str) -> bytes:
    if len(payload) > maximum:
        raise PaymentError(None, f"the {what} payload is {len(payload)} bytes; its standard "
                                 f"allows at most {maximum}")
    return payload


HTTP_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?")
