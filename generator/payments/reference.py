"""Structured payment references that Remit issues, one per invoice and per part of it.

`reference = "auto"` on a sepa or swiss method gives each invoice an ISO 11649 creditor
reference (RF) derived from its number, and each deposit and installment its own, so that a
bank statement line names exactly what it pays (`remit reconcile`). A Swiss QR-IBAN takes a
27-digit QR reference instead, derived the same way. Pure: same number, same reference.

    invoice 2026-014          RF.. 2026014          QR: 0..0 2026014 000 c
    its deposit               RF.. 2026014D         QR: 0..0 2026014 999 c
    its 2nd installment       RF.. 2026014I2        QR: 0..0 2026014 002 c
"""

from __future__ import annotations

import re

from generator.model.invoice import Invoice
from generator.model.payment import Method
from generator.payments.base import Context, PaymentError

AUTO = "auto"
TYPES = ("sepa", "swiss")  # the methods whose codes carry a creditor reference
INVOICE, DEPOSIT, INSTALLMENT = "invoice", "deposit", "installment"

_RF_BODY = 21  # ISO 11649: RF, two check digits, at most 21 letters and digits
_QR_BODY = 26  # a QR reference: 26 digits and a check digit


def _suffix(kind: str, index: int) -> str:
    return {INVOICE: "", DEPOSIT: "D"}.get(kind, f"I{index}")


def rf(number: str, kind: str = INVOICE, index: int = 0) -> str:
    """The RF reference of an invoice (or of one part of it); ValueError when too long."""
    body = re.sub(r"[^0-9A-Z]", "", number.upper()) + _suffix(kind, index)
    if not body or len(body) > _RF_BODY:
        raise ValueError(f"invoice number {number!r} is too long for a creditor reference: "
                         f"its letters and digits, with the part's suffix, must be at most "
                         f"{_RF_BODY} (got {len(body)}); set the method's reference by hand")
    from stdnum.iso7064 import mod_97_10  # here: python-stdnum imports ssl and pydoc

    return "RF" + mod_97_10.calc_check_digits(body + "RF") + body


def qr_reference(number: str, kind: str = INVOICE, index: int = 0) -> str:
    """The Swiss QR reference: the number's digits (letters as 10..35) and a part code."""
    digits = "".join(c if c.isdigit() else str(int(c, 36)) for c in number.upper()
                     if c.isalnum() and c.isascii())
    code = {INVOICE: 0, DEPOSIT: 999}.get(kind, index)
    if not digits or len(digits) > _QR_BODY - 3 or not 0 <= code <= 999:
        raise ValueError(f"invoice number {number!r} is too long for a QR reference (at most "
                         f"{_QR_BODY - 3} digits, letters counting as two); set the method's "
                         "reference by hand")
    body = digits.rjust(_QR_BODY - 3, "0") + f"{code:03d}"
    from stdnum.ch import esr

    return body + esr.calc_check_digit(body)


def is_qr_iban(iban: str) -> bool:
    """A Swiss QR-IBAN: its institution id is 30000-31999, and it takes only QR references."""
    return iban[:2] in ("CH", "LI") and iban[4:9].isdigit() and 30000 <= int(iban[4:9]) <= 31999


def issued(m: Method, number: str, kind: str = INVOICE, index: int = 0) -> str | None:
    """The reference method `m` puts in its code for this invoice or part, compact; None for
    none. A fixed reference set by hand is the same for every part."""
    ref = m.get("reference")
    if m.type not in TYPES or not ref:
        return None
    if ref != AUTO:
        return str(ref).replace(" ", "").upper()
    if m.type == "swiss" and is_qr_iban(str(m.get("iban", ""))):
        return qr_reference(number, kind, index)
    return rf(number, kind, index)


def for_offer(m: Method, ctx: Context) -> str | None:
    """The reference a payload for `ctx` carries (the part it pays, under reference = "auto";
    else the method's own), or PaymentError naming the field."""
    try:
        return issued(m, ctx.number, *ctx.part)
    except ValueError as exc:
        raise PaymentError("reference", str(exc)) from None


def compact(reference: str) -> str:
    return re.sub(r"\s", "", reference).upper()


def shown(reference: str) -> str:
    """In groups as printed: RF in fours, a QR reference as 2 + 5 x 5."""
    from stdnum import iso11649
    from stdnum.ch import esr

    if reference.startswith("RF"):
        return iso11649.format(reference)
    return esr.format(reference) if reference.isdigit() else reference


def part_reference(inv: Invoice, kind: str, index: int) -> str | None:
    """As printed, the reference that pays one part (a balance is paid with the invoice's):
    from the first sepa or swiss method with reference = "auto"; None without one."""
    kind = INVOICE if kind == "balance" else kind
    for m in inv.payment_methods:
        if m.type in TYPES and m.get("reference") == AUTO:
            try:
                ref = issued(m, inv.number, kind, index)
            except ValueError:
                return None
            return shown(ref) if ref else None
    return None


def invoice_references(inv: Invoice) -> list[tuple[str, str, int, str]]:
    """(reference, part kind, part index, method name) for every reference issued for `inv`."""
    parts = [(INVOICE, 0)]
    if inv.deposit is not None:
        parts.append((DEPOSIT, 0))
    parts.extend((INSTALLMENT, n) for n in range(1, len(inv.installments) + 1))
    found: dict[str, tuple[str, str, int, str]] = {}
    for m in inv.payment_methods:
        for kind, index in parts:
            try:
                ref = issued(m, inv.number, kind, index)
            except ValueError:
                continue  # reported when the invoice is read (figures.checks)
            if ref and ref not in found:
                found[ref] = (ref, kind, index, m.name)
    return list(found.values())
