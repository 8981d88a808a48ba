"""Stripe Payment Link: the owner's link (Stripe takes no amount in the URL), with the invoice
number as client_reference_id and the client's e-mail prefilled."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from generator.fields import Reader
from generator.model.payment import Method
from generator.payments import validate
from generator.payments.base import Context, Offer

TYPE = "stripe"
DESCRIBED = "a Stripe Payment Link"
FIELDS = ("link",)
REQUIRED = ("link",)
CURRENCIES = None


def read(r: Reader) -> dict[str, object]:
    link = r.str("link")
    if link is not None:
        try:
            link = validate.http_url(link)
        except ValueError as exc:
            r.error("link", f"{exc}, such as https://buy.stripe.com/... (got {link!r})")
            link = None
    return {"link": link}


def reference_id(number: str) -> str:
    # Stripe drops a client_reference_id with characters other than these, silently.
    return re.sub(r"[^A-Za-z0-9_\-]", "-", number)[:200]


def with_query(url: str, extra: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in extra]
    query += list(extra.items())
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def offer(m: Method, ctx: Context) -> Offer:
    extra = {"client_reference_id": reference_id(ctx.number)}
    if ctx.client_email:
        extra["prefilled_email"] = ctx.client_email
    link = with_query(m.get("link"), extra)
    return Offer(m.name, m.type, m.get("label"), link, link.encode(), (), "link")


def currencies(m: Method) -> frozenset[str] | None:
    return CURRENCIES


def missing(values: dict[str, object]) -> list[tuple[str | None, str]]:
    return []
