"""Bitcoin (BIP 21): bitcoin:<address>?amount=<BTC>&label=<payee>&message=<invoice number>.

The BTC amount comes from a price the owner states (no live exchange rates: a build must be
reproducible and offline): amount = due now / price of one bitcoin, to the satoshi.
"""

from __future__ import annotations

import re
from decimal import ROUND_UP, Decimal
from urllib.parse import quote

from generator.fields import Reader
from generator.model.payment import Method
from generator.payments import validate
from generator.payments.base import Context, Detail, Offer, PaymentError

TYPE = "bitcoin"
DESCRIBED = "Bitcoin (with the rates given)"
FIELDS = ("address", "beneficiary", "rates")
REQUIRED = ("address", "rates")
CURRENCIES = None  # those the owner gives a rate for
SATOSHI = Decimal("0.00000001")
ADDRESS = re.compile(r"(bc1|tb1)[02-9ac-hj-np-z]{8,87}|[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}")


def read(r: Reader) -> dict[str, object]:
    address = r.str("address")
    if address is not None and not ADDRESS.fullmatch(address.strip()):
        r.error("address", f"expected a Bitcoin address such as bc1q... (got {address!r})")
        address = None
    rates: dict[str, Decimal] = {}
    table = r.table("rates")
    if table is not None:
        for currency in list(table.data):
            if not validate.known_currency(currency):
                table.error(currency, "expected an ISO 4217 currency code such as EUR as the "
                                      "key, and the price of one bitcoin in it as the value")
                continue
            value = table.decimal(currency, positive=True)
            if value is not None:
                rates[currency] = value
        table.finish(table.data.keys())
    return {"address": address.strip() if address else None, "beneficiary": r.str("beneficiary"),
            "rates": rates or None}


def currencies(m: Method) -> frozenset[str]:
    return frozenset(m.get("rates", {}))


def btc_amount(amount: Decimal, rate: Decimal) -> str:
    """Rounded up to the satoshi, so the client never pays a fraction too little."""
    btc = (amount / rate).quantize(SATOSHI, rounding=ROUND_UP)
    text = f"{btc:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def offer(m: Method, ctx: Context) -> Offer:
    rate = m.get("rates", {}).get(ctx.currency)
    if rate is None:
        raise PaymentError("rates", f"no price of one bitcoin in {ctx.currency} given")
    btc = btc_amount(ctx.amount, rate)
    label = m.get("beneficiary", ctx.seller_name)
    link = f"bitcoin:{m.get('address')}?amount={btc}&label={quote(label, safe='')}" \
           f"&message={quote(ctx.number, safe='')}"
    details = (Detail("address", m.get("address"), m.get("address")),
               Detail("btc_amount", f"{btc} BTC", btc),
               Detail("reference", ctx.number, ctx.number))
    return Offer(m.name, m.type, m.get("label"), link, link.encode(), details, "bitcoin",
                 carries_amount=True)


def missing(values: dict[str, object]) -> list[tuple[str | None, str]]:
    return []
