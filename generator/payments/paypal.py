"""PayPal.me: https://paypal.me/<handle>/<amount><CURRENCY>, the amount filled in."""

from __future__ import annotations

import re

from generator.fields import Reader
from generator.model.payment import Method
from generator.payments.base import Context, Offer, plain_amount

TYPE = "paypal"
DESCRIBED = "PayPal"
FIELDS = ("handle",)
REQUIRED = ("handle",)
# The currencies PayPal accepts payments in; for others the method is left off the page.
CURRENCIES = frozenset({
    "AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF", "ILS", "JPY", "MYR", "MXN",
    "TWD", "NZD", "NOK", "PHP", "PLN", "GBP", "SGD", "SEK", "CHF", "THB", "USD",
})
HANDLE = re.compile(r"[A-Za-z0-9]{1,20}")


def read(r: Reader) -> dict[str, object]:
    handle = r.str("handle")
    if handle is not None:
        handle = handle.strip().removeprefix("https://").removeprefix("paypal.me/")
        if not HANDLE.fullmatch(handle):
            r.error("handle", f"expected your PayPal.me name: letters and digits, at most 20 "
                              f"(got {handle!r})")
            handle = None
    return {"handle": handle}


def offer(m: Method, ctx: Context) -> Offer:
    link = f"https://paypal.me/{m.get('handle')}/{plain_amount(ctx.amount, ctx.currency)}" \
           f"{ctx.currency}"
    return Offer(m.name, m.type, m.get("label"), link, link.encode(), (), "link",
                 carries_amount=True)


def currencies(m: Method) -> frozenset[str] | None:
    return CURRENCIES


def missing(values: dict[str, object]) -> list[tuple[str | None, str]]:
    return []
