"""An invoice as the owner wrote it, validated and frozen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from generator.model.countdown import NO_COUNTDOWN, Countdown
from generator.model.payment import Method
from generator.model.settings import Party


@dataclass(frozen=True)
class LineItem:
    description: str
    quantity: Decimal
    unit: str | None
    unit_price: Decimal
    tax_rate: Decimal  # percent
    discount_percent: Decimal
    unit_code: str | None = None  # UN/ECE Recommendation 20 code for e-invoices, e.g. "HUR"


@dataclass(frozen=True)
class Adjustment:
    """A discount, deposit or installment: a fixed amount or a percentage of the total."""

    amount: Decimal | None
    percent: Decimal | None
    label: str | None = None
    due: dt.date | None = None


@dataclass(frozen=True)
class Payment:
    date: dt.date
    amount: Decimal
    method: str | None
    reference: str | None
    id: str | None = None  # the bank statement line it was recorded from (remit reconcile)


@dataclass(frozen=True)
class Period:
    """A service period, both days included."""

    start: dt.date
    end: dt.date


# Why a line carries no tax: each has standard wording per language in the theme.
ZERO_RATE_REASONS = ("reverse-charge", "small-business", "export", "not-taxable",
                     "intra-community")

EINVOICE_KINDS = ("factur-x", "xrechnung")


@dataclass(frozen=True)
class Invoice:
    source: str  # path relative to the site folder
    number: str
    issued: dt.date
    due: dt.date
    currency: str
    language: str
    seller: Party
    client: Party
    items: tuple[LineItem, ...]
    discount: Adjustment | None
    deposit: Adjustment | None
    installments: tuple[Adjustment, ...]
    payments: tuple[Payment, ...]
    terms: str | None
    note: str  # Markdown
    draft: bool
    void: bool
    void_reason: str | None
    slug: str | None
    title: str | None
    po_number: str | None
    countdown: Countdown = NO_COUNTDOWN  # milestones, incentive, tiers, late fee, video
    payment_methods: tuple[Method, ...] = ()  # what the client may pay with, preferred first
    reminders: bool = True  # `reminders = false`: `remit remind` leaves this invoice alone
    statement: bool | None = None  # [client] statement: opt this client in or out (None: site)
    delivered: dt.date | None = None  # date of supply
    service_period: Period | None = None  # or the period the service covers
    tax_note: str | None = None  # free text printed under the tax lines
    customer_reference: str | None = None  # the client's own reference for this invoice
    zero_rate_reason: str | None = None  # one of ZERO_RATE_REASONS, for every 0% line
    # A second lock on an encrypted site's invoice: asked for in the browser after the link.
    passphrase: str | None = None
    # "factur-x" (the data inside the PDF), "xrechnung" (and a standalone XRechnung file),
    # or None: already resolved against site.toml's `einvoice`.
    einvoice: str | None = None
