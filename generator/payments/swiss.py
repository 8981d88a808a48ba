"""Swiss QR-bill (SIX Implementation Guidelines 2.x) through the `qrbill` library.

Only structured addresses (street, house number, postcode, city, country): the combined
address type is no longer accepted by Swiss banks. The code carries the Swiss cross.
"""

from __future__ import annotations

from generator.fields import Reader
from generator.model.payment import Method
from generator.payments import reference, validate
from generator.payments.base import Context, Detail, Offer, PaymentError, breaks_lines, check_size

TYPE = "swiss"
DESCRIBED = "a Swiss QR-bill"
FIELDS = ("iban", "beneficiary", "street", "house_number", "postal_code", "city", "country",
          "reference")
REQUIRED = ("iban", "postal_code", "city")
CURRENCIES = frozenset({"CHF", "EUR"})
MAX_CHARS = 997  # the QR-bill's limit on the whole payload


def swiss_iban(value: str) -> str:
    compact = validate.iban(value)
    if compact[:2] not in ("CH", "LI"):
        raise ValueError(f"a Swiss QR-bill needs a Swiss (CH) or Liechtenstein (LI) IBAN; "
                         f"{validate.iban_shown(compact)} is from {compact[:2]}: use a 'sepa' or "
                         "'bank' method for it")
    return compact


def read(r: Reader) -> dict[str, object]:
    values: dict[str, object] = {k: r.str(k) for k in FIELDS if k not in ("iban", "country")}
    values["iban"] = validate.checked(r, "iban", swiss_iban)
    if values["reference"] is not None and values["reference"] != reference.AUTO:
        values["reference"] = str(values["reference"]).strip()
    country = r.str("country")
    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
        r.error("country", f"expected a two-letter country code such as CH (got {country!r})")
        country = None
    values["country"] = country.upper() if country else None
    return values


def offer(m: Method, ctx: Context) -> Offer:
    # Imported here: qrbill brings svgwrite (~0.1 s), and a no-op build makes no offers.
    from qrbill import QRBill

    name = m.get("beneficiary", ctx.seller_name)
    ref = reference.for_offer(m, ctx)
    creditor = {"name": name, "street": m.get("street"), "house_num": m.get("house_number"),
                "pcode": m.get("postal_code"), "city": m.get("city"),
                "country": m.get("country", "CH")}
    # The QR-bill is line-based too: a control character would shift every later field.
    fields = {"name": "beneficiary", "street": "street", "house_num": "house_number",
              "pcode": "postal_code", "city": "city"}
    for key, field in fields.items():
        if creditor[key] and breaks_lines(creditor[key]):
            raise PaymentError(field, f"must be a single line without control characters "
                                      f"(got {creditor[key]!r})")
    try:
        bill = QRBill(account=m.get("iban"), creditor=creditor, amount=str(ctx.amount),
                      currency=ctx.currency, reference_number=ref,
                      additional_information=ctx.number)
    except ValueError as exc:
        field = "reference" if "reference" in str(exc).lower() else None
        raise PaymentError(field, f"Swiss QR-bill: {validate.describe(exc)}") from None
    data = bill.qr_data()
    check_size(data.encode("utf-8"), MAX_CHARS, "Swiss QR-bill")
    details = [Detail("beneficiary", name, name),
               Detail("iban", validate.iban_shown(m.get("iban")), m.get("iban"))]
    if ref:
        details.append(Detail("reference", reference.shown(ref), ref))
    details.append(Detail("message", ctx.number, ctx.number))
    return Offer(m.name, m.type, m.get("label"), None, data.encode("utf-8"), tuple(details),
                 "swiss", swiss_cross=True)


def currencies(m: Method) -> frozenset[str] | None:
    return CURRENCIES


def missing(values: dict[str, object]) -> list[tuple[str | None, str]]:
    return []
