"""A bank transfer in any currency: account details to copy, no standard QR code."""

from __future__ import annotations

from generator.fields import Reader
from generator.model.payment import Method
from generator.payments import validate
from generator.payments.base import Context, Detail, Offer

TYPE = "bank"
DESCRIBED = "a bank transfer"
# In the order a client's banking app asks for them.
FIELDS = ("beneficiary", "bank", "iban", "account_number", "branch_code", "sort_code",
          "routing_number", "bic", "account_type")
REQUIRED: tuple[str, ...] = ()
CURRENCIES = None  # any


def read(r: Reader) -> dict[str, object]:
    values: dict[str, object] = {k: r.str(k) for k in FIELDS if k not in ("iban", "bic")}
    values["iban"] = validate.checked(r, "iban", validate.iban)
    values["bic"] = validate.checked(r, "bic", validate.bic)
    return values


def missing(values: dict[str, object]) -> list[tuple[str | None, str]]:
    if not values.get("iban") and not values.get("account_number"):
        return [(None, "a bank transfer needs an 'iban' or an 'account_number'")]
    return []


def offer(m: Method, ctx: Context) -> Offer:
    details = [Detail("beneficiary", m.get("beneficiary", ctx.seller_name),
                      m.get("beneficiary", ctx.seller_name))]
    for key in FIELDS[1:]:
        value = m.get(key)
        if value:
            shown = validate.iban_shown(value) if key == "iban" else value
            if key in ("bank", "account_type"):
                copy = ""  # read, not typed into a form: no copy button
            elif key in ("account_number", "branch_code", "sort_code", "routing_number"):
                copy = value.replace(" ", "").replace("-", "")
            else:
                copy = value
            details.append(Detail(key, shown, copy))
    details.append(Detail("reference", ctx.number, ctx.number))
    return Offer(m.name, m.type, m.get("label"), None, None, tuple(details), None)


def currencies(m: Method) -> frozenset[str] | None:
    return CURRENCIES
