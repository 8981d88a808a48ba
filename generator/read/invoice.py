"""An invoice file's fields read into an immutable Invoice, collecting every problem."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from generator.errors import Problem
from generator.fields import MAX_TERMS_DAYS, Reader, text_fields
from generator.model.invoice import (
    ZERO_RATE_REASONS,
    Adjustment,
    Invoice,
    LineItem,
    Payment,
    Period,
)
from generator.model.settings import PARTY_FIELDS, Party, Settings
from generator.money import HUNDRED
from generator.payments import validate
from generator.read.countdown import COUNTDOWN_FIELDS, read_countdown
from generator.read.files import Source
from generator.read.payment import read_invoice_payment
from generator.read.settings import read_country, read_einvoice
from generator.theme import available_languages

SLUG = re.compile(r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?")

MAX_TAX_RATE = Decimal(100)

INVOICE_FIELDS = (
    "number", "title", "issued", "due", "terms_days", "currency", "language", "seller",
    "client", "items", "discount", "deposit", "installments", "payments", "terms", "note",
    "draft", "void", "void_reason", "slug", "po_number", "payment", "reminders", "delivered",
    "service_period", "tax_note", "zero_rate_reason", "customer_reference", "passphrase",
    "einvoice",
    *COUNTDOWN_FIELDS,
)

ITEM_FIELDS = ("description", "quantity", "unit", "unit_price", "tax_rate", "discount",
               "unit_code")

UNIT_CODE = re.compile(r"[A-Z0-9]{2,3}")


def read_adjustment(r: Reader, with_due: bool, what: str) -> Adjustment | None:
    amount = r.decimal("amount", positive=True)
    percent = r.decimal("percent", positive=True)
    if percent is not None and percent > HUNDRED:
        r.error("percent", f"must be at most 100 (got {percent})")
        percent = None
    if (amount is None) == (percent is None) and not (r.has("amount") or r.has("percent")):
        r.error(None, f"{what} needs either 'amount' or 'percent'")
        return None
    if r.has("amount") and r.has("percent"):
        r.error(None, f"{what} takes either 'amount' or 'percent', not both")
        return None
    if amount is None and percent is None:
        return None
    due = r.date("due") if with_due else None
    label = r.str("label")
    r.finish(("amount", "percent", "label", *(("due",) if with_due else ())))
    return Adjustment(amount, percent, label, due)


def read_item(r: Reader) -> LineItem | None:
    description = r.str("description", required=True)
    quantity = r.decimal("quantity", default=Decimal(1), positive=True)
    unit = r.str("unit")
    unit_price = r.decimal("unit_price", required=True, minimum=Decimal(0),
                           maximum=Decimal("1e15"))
    tax_rate = r.decimal("tax_rate", default=Decimal(0), minimum=Decimal(0),
                         maximum=MAX_TAX_RATE)
    discount = r.decimal("discount", default=Decimal(0), minimum=Decimal(0), maximum=HUNDRED)
    unit_code = r.str("unit_code")
    if unit_code is not None and not UNIT_CODE.fullmatch(unit_code):
        r.error("unit_code", "expected a UN/ECE Recommendation 20 unit code such as HUR "
                             f"(hour), DAY, C62 (one) or MON (got {unit_code!r})")
        unit_code = None
    r.finish(ITEM_FIELDS)
    if description is None or quantity is None or unit_price is None or tax_rate is None \
            or discount is None:
        return None
    return LineItem(description, quantity, unit, unit_price, tax_rate, discount, unit_code)


def read_payment(r: Reader) -> Payment | None:
    date = r.date("date", required=True)
    amount = r.decimal("amount", required=True, positive=True)
    method = r.str("method")
    reference = r.str("reference")
    line_id = r.str("id")
    r.finish(("date", "amount", "method", "reference", "id"))
    if date is None or amount is None:
        return None
    return Payment(date, amount, method, reference, line_id)


def merge_party(base: Party, r: Reader | None) -> Party:
    if r is None:
        return base
    override = text_fields(r, PARTY_FIELDS)
    r.finish(PARTY_FIELDS)
    override["country"] = read_country(r, override["country"])
    return Party(**{k: override[k] if override[k] is not None else getattr(base, k)
                    for k in PARTY_FIELDS})


def read_invoice(src: Source, settings: Settings, problems: list[Problem],
                 languages: frozenset[str] | None = None) -> Invoice | None:
    """The invoice, or None with its problems added; `languages`: the theme's (looked up
    once per load by the caller, or here)."""
    before = len(problems)
    r = Reader(src.data, src.rel, src.locator, problems)
    number = r.str("number", required=True)
    if number is not None and not re.fullmatch(r"[\w][\w.\-/ ]{0,63}", number):
        r.error("number", "expected letters, digits, '-', '.', '/' or spaces, at most 64 "
                          f"characters (got {number!r})")
    title = r.str("title")
    issued = r.date("issued", required=True)
    due = r.date("due")
    terms_days = r.int("terms_days", minimum=0, maximum=MAX_TERMS_DAYS)
    if due is not None and terms_days is not None:
        r.error("terms_days", "give either 'due' or 'terms_days', not both")
    if due is None and issued is not None:
        due = issued + dt.timedelta(days=terms_days if terms_days is not None
                                    else settings.payment_terms_days)
    if issued and due and due < issued:
        r.error("due", f"due date {due} is before the issue date {issued}")

    currency = r.str("currency", default=settings.currency)
    if not validate.known_currency(currency):
        r.error("currency", f"unknown currency {currency!r}; expected an ISO 4217 code such "
                            "as EUR, USD, GBP, CHF, JPY")
    client_r = r.table("client", required=True)
    client, statement = read_client(client_r) if client_r else (None, None)
    if languages is None:
        languages = available_languages(settings.theme_dir)
    language = r.choice("language", languages)
    if client and client.language and client.language not in languages:
        client_r.error("language", f"no catalog for '{client.language}'; expected one of: "  # type: ignore[union-attr]
                                   f"{', '.join(sorted(languages))}")
    if language is None:
        language = client.language if client and client.language in languages else settings.language
    seller = merge_party(settings.seller, r.table("seller"))

    item_tables = r.tables("items")
    items = tuple(i for i in (read_item(t) for t in item_tables) if i)
    if not r.has("items"):
        r.error("items", "missing: an invoice needs at least one [[items]] line")
    elif not item_tables and src.data.get("items") == []:
        r.error("items", "an invoice needs at least one [[items]] line")

    discount_r = r.table("discount")
    discount = read_adjustment(discount_r, False, "discount") if discount_r else None
    deposit_r = r.table("deposit")
    deposit = read_adjustment(deposit_r, True, "deposit") if deposit_r else None
    installments = []
    for t in r.tables("installments"):
        part = read_adjustment(t, True, "installment")
        if part is not None:
            if part.due is None:
                t.error("due", "missing required field (expected a date such as 2026-11-30)")
            installments.append(part)
    dues = [p.due for p in installments if p.due]
    if dues != sorted(dues):
        r.error("installments", "installments must be listed in order of their due dates")
    payments = tuple(p for p in (read_payment(t) for t in r.tables("payments")) if p)

    terms = r.str("terms")
    note_field = r.str("note")
    if src.body is not None and note_field is not None and src.body.strip():
        r.error("note", "the note is the Markdown after the front matter; remove 'note' "
                        "from the front matter")
    note = (src.body if src.body is not None and src.body.strip() else note_field) or ""
    draft = r.bool("draft")
    void = r.bool("void")
    void_reason = r.str("void_reason")
    slug = r.str("slug")
    if slug is not None and not (SLUG.fullmatch(slug) and len(slug) <= 80):
        r.error("slug", f"expected lower-case letters, digits and '-' (got {slug!r})")
    po_number = r.str("po_number")
    reminders = r.bool("reminders", default=True)
    delivered, service_period = read_supply(r, issued, bool(deposit or installments))
    tax_note = r.str("tax_note")
    customer_reference = r.str("customer_reference")
    zero_rate_reason = r.choice("zero_rate_reason", ZERO_RATE_REASONS)
    # Both VAT numbers are on a reverse-charge invoice (Article 226, Directive 2006/112/EC).
    if zero_rate_reason == "reverse-charge" and client and not client.tax_id:
        r.error("zero_rate_reason", "a reverse-charge invoice must state the client's VAT "
                                    "number: add tax_id to [client]")
    if zero_rate_reason == "reverse-charge" and not seller.tax_id:
        r.error("zero_rate_reason", "a reverse-charge invoice must state your own VAT number: "
                                    "add tax_id to [seller] in site.toml (or the invoice's "
                                    "[seller])")
    if zero_rate_reason and items and all(i.tax_rate for i in items):
        r.error("zero_rate_reason", f"'{zero_rate_reason}' explains a 0% tax rate, but no "
                                    "line has tax_rate = 0")
    passphrase = read_passphrase(r, settings, slug)
    # A cancelled invoice is nothing to book: it carries no e-invoice.
    einvoice = None if void else read_einvoice(r, settings.einvoice)
    countdown = read_countdown(r, issued, due, settings.content_dir)
    payment_methods = read_invoice_payment(r.table("payment"), settings.payment, currency or "")
    r.finish(INVOICE_FIELDS)

    if len(problems) > before or number is None or issued is None or due is None \
            or client is None:
        return None
    return Invoice(
        source=src.rel, number=number, issued=issued, due=due, currency=currency,
        language=language, seller=seller, client=client, items=items, discount=discount,
        deposit=deposit, installments=tuple(installments), payments=payments, terms=terms,
        note=note, draft=draft, void=void, void_reason=void_reason, slug=slug, title=title,
        po_number=po_number, countdown=countdown, payment_methods=payment_methods,
        reminders=reminders, statement=statement,
        delivered=delivered, service_period=service_period, tax_note=tax_note,
        zero_rate_reason=zero_rate_reason, customer_reference=customer_reference,
        passphrase=passphrase, einvoice=einvoice,
    )


MIN_PASSPHRASE = 6


def read_passphrase(r: Reader, settings: Settings, slug: str | None) -> str | None:
    """The optional second lock, and the slug rule of encrypted sites (both need them)."""
    if settings.encrypted and slug is not None:
        r.error("slug", "with privacy = \"encrypted\" in site.toml every invoice's folder is "
                        "an opaque token (a slug could name the client); remove 'slug'")
    value = r.str("passphrase")
    if value is None:
        return None
    if not settings.encrypted:
        r.error("passphrase", "a passphrase needs privacy = \"encrypted\" in site.toml; "
                              "without encryption it would protect nothing")
        return None
    if len(value.strip()) < MIN_PASSPHRASE or value != value.strip():
        r.error("passphrase", f"expected at least {MIN_PASSPHRASE} characters, without "
                              "leading or trailing spaces")
        return None
    return value


def read_client(r: Reader) -> tuple[Party, bool | None]:
    """The client, and whether they get a statement page (None: as site.toml says)."""
    fields = (*PARTY_FIELDS, "language", "buyer_reference")
    values = text_fields(r, fields)
    if not values["name"] and not values["company"]:
        r.error("name", "missing: a client needs a 'name' or a 'company'")
    statement = r.bool("statement") if r.has("statement") else None
    r.finish((*fields, "statement"))
    values["country"] = read_country(r, values["country"])
    return Party(**{**values, "name": values["name"] or values["company"] or ""}), statement


def read_supply(r: Reader, issued: dt.date | None, advance: bool,
                ) -> tuple[dt.date | None, Period | None]:
    """`delivered` (the date of supply) or `service_period` (from, to), never both.

    Goods delivered after the invoice is issued make it an advance invoice: allowed only when
    it asks for a deposit or installments, otherwise the date is almost surely a typo."""
    delivered = r.date("delivered")
    period_r = r.table("service_period")
    period = None
    if period_r is not None:
        start, end = period_r.date("from", required=True), period_r.date("to", required=True)
        period_r.finish(("from", "to"))
        if start and end and end < start:
            period_r.error("to", f"the service period ends on {end}, before it starts on "
                                 f"{start}")
        elif start and end:
            period = Period(start, end)
    if delivered is not None and period_r is not None:
        r.error("service_period", "give either 'delivered' (one date) or 'service_period' "
                                  "(from, to), not both")
    if delivered and issued and delivered > issued and not advance:
        r.error("delivered", f"delivered on {delivered}, after the issue date {issued}: an "
                             "invoice is issued once the goods are delivered (or, as an advance "
                             "invoice, asks for a [deposit] or [[installments]])")
    return delivered, period
