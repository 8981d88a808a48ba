"""UPI (India): upi://pay?pa=<VPA>&pn=<payee>&am=<amount>&cu=INR&tn=<invoice number>."""

from __future__ import annotations

import re
from urllib.parse import quote

from generator.fields import Reader
from generator.model.payment import Method
from generator.payments.base import Context, Detail, Offer, plain_amount

TYPE = "upi"
DESCRIBED = "UPI"
FIELDS = ("vpa", "beneficiary")
REQUIRED = ("vpa",)
CURRENCIES = frozenset({"INR"})
VPA = re.compile(r"[A-Za-z0-9.\-_]{2,256}@[A-Za-z][A-Za-z0-9.\-]{1,63}")


def read(r: Reader) -> dict[str, object]:
    vpa = r.str("vpa")
    if vpa is not None and not VPA.fullmatch(vpa.strip()):
        r.error("vpa", f"expected a UPI ID such as studio@okaxis (got {vpa!r})")
        vpa = None
    return {"vpa": vpa.strip() if vpa else None, "beneficiary": r.str("beneficiary")}


def offer(m: Method, ctx: Context) -> Offer:
    name = m.get("beneficiary", ctx.seller_name)
    params = [("pa", m.get("vpa")), ("pn", name), ("am", plain_amount(ctx.amount, "INR")),
              ("cu", "INR"), ("tn", ctx.number)]
    link = "upi://pay?" + "&".join(f"{k}={quote(v, safe='@')}" for k, v in params)
    details = (Detail("upi_id", m.get("vpa"), m.get("vpa")),
               Detail("reference", ctx.number, ctx.number))
    return Offer(m.name, m.type, m.get("label"), link, link.encode(), details, "upi",
                 carries_amount=True)


def currencies(m: Method) -> frozenset[str] | None:
    return CURRENCIES


def missing(values: dict[str, object]) -> list[tuple[str | None, str]]:
    return []
