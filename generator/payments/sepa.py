"""SEPA credit transfer as an EPC QR code ("GiroCode"; EPC069-12, version 002).

Payload: fixed lines separated by LF. Character set 1 (UTF-8) is declared and the bytes are
UTF-8, so a name such as "Ünal" reaches the banking app intact. Error level M and at most
331 bytes keep the code at version 13 or below, as the guideline requires.
"""

from __future__ import annotations

from decimal import Decimal

from generator.fields import Reader
from generator.model.payment import Method
from generator.payments import reference, validate
from generator.payments.base import Context, Detail, Offer, PaymentError, check_size, limit

TYPE = "sepa"
DESCRIBED = "an EPC (SEPA) QR code"
FIELDS = ("beneficiary", "iban", "bic", "reference")
REQUIRED = ("iban",)
CURRENCIES = frozenset({"EUR"})
MAX_BYTES = 331
MAX_AMOUNT = Decimal("999999999.99")


def read(r: Reader) -> dict[str, object]:
    name = r.str("beneficiary")
    if name is not None and len(name) > 70:
        r.error("beneficiary", f"an EPC QR code allows at most 70 characters for the name "
                               f"(got {len(name)})")
        name = None
    return {
        "beneficiary": name,
        "iban": validate.checked(r, "iban", validate.iban),
        "bic": validate.checked(r, "bic", validate.bic),
        "reference": validate.checked(r, "reference", validate.rf_or_auto),
    }


def payload(name: str, iban: str, amount: Decimal, bic: str | None = None,
            reference: str | None = None, text: str | None = None) -> bytes:
    """The EPC069-12 v002 payload; either a structured RF reference or unstructured text."""
    limit(name, 70, "beneficiary", "the beneficiary name")
    if not Decimal("0.01") <= amount <= MAX_AMOUNT:
        raise PaymentError(None, f"an EPC QR code takes 0.01 to {MAX_AMOUNT} EUR "
                                 f"(got {amount})")
    if reference:
        limit(reference, 35, "reference", "the creditor reference")
    else:
        limit(text or "", 140, None, "the remittance text")
    lines = ["BCD", "002", "1", "SCT", bic or "", name, iban, f"EUR{amount:.2f}", "",
             reference or ""]
    if not reference:
        lines.append(text or "")
    return check_size("\n".join(lines).encode("utf-8"), MAX_BYTES, "EPC QR code")


def offer(m: Method, ctx: Context) -> Offer:
    name = m.get("beneficiary", ctx.seller_name)
    ref = reference.for_offer(m, ctx)
    data = payload(name, m.get("iban"), ctx.amount, m.get("bic"), reference=ref,
                   text=None if ref else ctx.number)
    details = [Detail("beneficiary", name, name),
               Detail("iban", validate.iban_shown(m.get("iban")), m.get("iban"))]
    if m.get("bic"):
        details.append(Detail("bic", m.get("bic"), m.get("bic")))
    # An RF reference is shown in groups of four, as printed; pasted without the spaces.
    details.append(Detail("reference", validate.rf_shown(ref), ref) if ref
                   else Detail("reference", ctx.number, ctx.number))
    return Offer(m.name, m.type, m.get("label"), None, data, tuple(details), "bank")


def currencies(m: Method) -> frozenset[str] | None:
    return CURRENCIES


def missing(values: dict[str, object]) -> list[tuple[str | None, str]]:
    return []
