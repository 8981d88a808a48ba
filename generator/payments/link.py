"""Any other provider: a URL template with {number}, {amount}, {currency} and {email}.

Each value is URL-encoded into its place; an unknown placeholder is an error at load time,
not a broken link on the client's page.
"""

from __future__ import annotations

import string
from urllib.parse import quote

from generator.fields import Reader
from generator.model.payment import Method
from generator.payments import validate
from generator.payments.base import Context, Offer, plain_amount

TYPE = "link"
DESCRIBED = "a payment link"
FIELDS = ("url", "qr")
REQUIRED = ("url",)
CURRENCIES = None
PLACEHOLDERS = ("number", "amount", "currency", "email")


def placeholders(template: str) -> list[str]:
    """The names in `template`; ValueError for a malformed one or a format spec."""
    names = []
    for _text, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if spec or conversion:
            raise ValueError(f"placeholder {{{name}}} takes no format; write just {{{name}}}")
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise ValueError(f"unknown placeholder {{{name}}}; expected one of: {known} "
                             "(write {{ and }} for literal braces)")
        names.append(name)
    return names


def read(r: Reader) -> dict[str, object]:
    url = r.str("url")
    if url is not None:
        try:
            placeholders(url)
            validate.http_url(url)
        except ValueError as exc:
            r.error("url", str(exc))
            url = None
    return {"url": url, "qr": r.bool("qr", default=True) if r.has("qr") else None}


def fill(template: str, ctx: Context) -> str:
    values = {"number": ctx.number, "amount": plain_amount(ctx.amount, ctx.currency),
              "currency": ctx.currency, "email": ctx.client_email or ""}
    return template.format(**{k: quote(v, safe="") for k, v in values.items()})


def offer(m: Method, ctx: Context) -> Offer:
    link = fill(m.get("url"), ctx)
    return Offer(m.name, m.type, m.get("label"), link,
                 link.encode() if m.get("qr", True) else None, (), "link",
                 carries_amount="{amount}" in m.get("url"))


def currencies(m: Method) -> frozenset[str] | None:
    return CURRENCIES


def missing(values: dict[str, object]) -> list[tuple[str | None, str]]:
    return []
