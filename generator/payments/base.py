"""The interface every payment method implements, and the shapes it hands back."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from generator.fields import Reader
from generator.model.payment import Method
from generator.money import minor_units

MAX_QR_BYTES = 2331  # a version-40 code at level M: no phone scans more


class PaymentError(ValueError):
    """A payload that cannot be made; `field` names the method's field at fault and `method`
    the configured method (known once the registry has tried it)."""

    def __init__(self, field: str | None, message: str, method: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.method = method


@dataclass(frozen=True)
class Context:
    """Everything of one invoice a payload depends on."""

    number: str
    amount: Decimal  # what is due now, never money already paid
    currency: str
    seller_name: str
    client_email: str | None
    part: tuple[str, int] = ("invoice", 0)  # what the amount pays: the invoice, or one part


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
    # The link itself asks for the amount (PayPal.me, UPI, BIP 21, a template with {amount}):
    # only then may its button say "Pay €X"; on a Stripe Payment Link the client types it.
    carries_amount: bool = False


def plain_amount(amount: Decimal, currency: str) -> str:
    """1800 EUR -> '1800.00'; 5000 JPY -> '5000': the currency's minor units, no grouping."""
    places = minor_units(currency)
    return f"{amount.quantize(Decimal(1).scaleb(-places)):.{places}f}"


def breaks_lines(text: str) -> bool:
    """Any control character (tab, CR, VT, NEL, ...) or Unicode line/paragraph separator."""
    # Printable text (most names, references and URLs) has none: Python counts every "Other"
    # and "Separator" character but the space as unprintable. Only the others are looked at.
    return not text.isprintable() and any(unicodedata.category(c) in ("Cc", "Zl", "Zp")
                                          for c in text)


def limit(text: str, max_chars: int, field: str | None, what: str) -> str:
    if breaks_lines(text):
        # Line-based payloads (EPC, QR-bill) would read the rest as the next field, and a
        # banking app may split on any of these.
        raise PaymentError(field, f"{what} must be a single line without control characters "
                                  f"(got {text!r})")
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


class PaymentMethod(Protocol):
    """One kind of payment method: a module of this package (sepa.py, paypal.py, ...)."""

    TYPE: str  # the name site.toml gives it: type = "sepa"
    DESCRIBED: str  # how an error message names it: "an EPC (SEPA) QR code"
    FIELDS: tuple[str, ...]  # its own fields in site.toml, beside type, label and currencies
    REQUIRED: tuple[str, ...]

    def read(self, r: Reader) -> dict[str, object]:
        """Its fields, each checked; problems go to the reader."""
        ...

    def missing(self, values: dict[str, object]) -> list[tuple[str | None, str]]:
        """(field, message) for what a whole method needs beyond its required fields."""
        ...

    def currencies(self, m: Method) -> frozenset[str] | None:
        """The currencies it can take; None for any."""
        ...

    def offer(self, m: Method, ctx: Context) -> Offer:
        """Link, QR payload and details for one amount; PaymentError if none can be made."""
        ...
