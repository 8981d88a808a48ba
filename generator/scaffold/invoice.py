"""The text of a new invoice file: the next number, today's date, a client and items to edit.

It starts as a draft (checked by every build, never published) so that a half-written
invoice cannot reach a client by a push; the comment says how to publish it.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from generator.model.invoice import Invoice, LineItem
from generator.model.settings import PARTY_FIELDS, Party, Settings

CLIENT_FIELDS = ("name", "company", "address", "email", "phone", "website", "tax_id",
                 "country", "register", "language", "buyer_reference")
PLACEHOLDER_ITEM = LineItem("Describe the work", Decimal(1), None, Decimal("0.00"),
                            Decimal(0), Decimal(0))


def toml_str(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that TOML also refuses DEL."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_decimal(value: Decimal) -> str:
    return format(value, "f")  # as written, e.g. 180.00: read back exactly, never a float


def client_lines(client: Party | None) -> list[str]:
    if client is None:
        return ["[client]", 'name = "Client name"              # or company = "..."',
                '# email = "client@example.com"']
    lines = ["[client]"]
    for key in CLIENT_FIELDS:
        value = getattr(client, key)
        if value and not (key == "name" and client.company and value == client.company):
            lines.append(f"{key} = {toml_str(value)}")
    return lines


def item_lines(item: LineItem) -> list[str]:
    lines = ["[[items]]", f"description = {toml_str(item.description)}",
             f"quantity = {toml_decimal(item.quantity)}"]
    if item.unit:
        lines.append(f"unit = {toml_str(item.unit)}")
    if item.unit_code:
        lines.append(f"unit_code = {toml_str(item.unit_code)}")
    lines.append(f"unit_price = {toml_decimal(item.unit_price)}")
    if item.tax_rate:
        lines.append(f"tax_rate = {toml_decimal(item.tax_rate)}")
    if item.discount_percent:
        lines.append(f"discount = {toml_decimal(item.discount_percent)}")
    return lines


def seller_lines(seller: Party, site: Party) -> list[str]:
    """The invoice's own [seller] fields, where they differ from site.toml's seller."""
    lines = [f"{key} = {toml_str(getattr(seller, key))}" for key in PARTY_FIELDS
             if getattr(seller, key) and getattr(seller, key) != getattr(site, key)]
    return ["", "[seller]", *lines] if lines else []


def new_invoice_text(number: str, issued: dt.date, settings: Settings,
                     model: Invoice | None) -> str:
    """The file for invoice `number` issued on `issued`, copying client, currency, language,
    e-invoice kind, the invoice's own [seller] fields and items from `model` (the client's
    last invoice, or the one given with --like)."""
    due = issued + dt.timedelta(days=settings.payment_terms_days)
    lines = [
        "+++",
        f"number = {toml_str(number)}",
        f"issued = {issued.isoformat()}",
        f"due = {due.isoformat()}              # issue date + {settings.payment_terms_days} "
        "days (site.toml payment_terms_days)",
        "draft = true                    # checked but not published: delete this line to "
        "publish",
    ]
    if model is not None and model.currency != settings.currency:
        lines.append(f"currency = {toml_str(model.currency)}")
    if model is not None and model.language not in (model.client.language, settings.language):
        lines.append(f"language = {toml_str(model.language)}")
    if model is not None and model.terms:
        lines.append(f"terms = {toml_str(model.terms)}")
    if model is not None and not model.void and model.einvoice != settings.einvoice:
        # The client's e-invoice kind (an authority's XRechnung, say), or none for them.
        kind = toml_str(model.einvoice) if model.einvoice else "false"
        lines.append(f"einvoice = {kind}")
    if model is not None:
        lines += seller_lines(model.seller, settings.seller)
    lines += ["", *client_lines(model.client if model else None)]
    for item in (model.items if model else (PLACEHOLDER_ITEM,)):
        lines += ["", *item_lines(item)]
    lines += ["+++", "Thank you for your business!", ""]
    return "\n".join(lines)
