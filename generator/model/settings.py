"""The site's settings from site.toml, and the parties an invoice names."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from generator.model.payment import PaymentConfig
from generator.model.statement import CsvLayout


@dataclass(frozen=True)
class Party:
    name: str
    company: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    tax_id: str | None = None
    language: str | None = None
    country: str | None = None  # ISO 3166 alpha-2, e.g. "ZA": decides the document's title
    register: str | None = None  # company register and number, printed in the PDF's footer
    # The buyer's reference for e-invoices (BT-10), e.g. a German authority's Leitweg-ID.
    buyer_reference: str | None = None

    @property
    def display_name(self) -> str:
        return self.company or self.name


PARTY_FIELDS = ("name", "company", "address", "email", "phone", "website", "tax_id",
                "country", "register")


DEFAULT_REMINDER_DAYS = (-3, 0, 7, 14, 30)


@dataclass(frozen=True)
class Reminders:
    """[reminders]: on which days around each due date a reminder goes out, and how."""

    days: tuple[int, ...] = DEFAULT_REMINDER_DAYS  # relative to a due date; negative: before
    reply_to: str | None = None  # default: the seller's e-mail
    log: str = "reminders.log"  # relative to the site folder
    attach_pdf: bool = True


@dataclass(frozen=True)
class Smtp:
    """[smtp]: where `remit remind --send` hands its messages over. The password is never
    here: it comes from the REMIT_SMTP_PASSWORD environment variable."""

    host: str
    port: int
    user: str | None
    sender: str  # the From address ("from" in site.toml)
    tls: str  # "starttls" | "ssl" | "none"


@dataclass(frozen=True)
class Settings:
    """site.toml, read once: what every page of the site shares."""

    root: Path
    title: str
    base_url: str  # always ends with "/"
    language: str
    timezone: str
    seller: Party
    currency: str
    payment_terms_days: int
    theme: str
    theme_dir: Path  # the theme's folder: the site's own, or a bundled one (theme.py)
    content_dir: Path
    output_dir: Path
    cache_dir: Path
    tagline: str | None = None
    cname: str | None = None  # custom domain, written to output/CNAME for branch deploys
    hide_amounts_in_previews: bool = False  # keep amounts out of chat-app link previews
    payment: PaymentConfig = field(default_factory=PaymentConfig)  # [payment]: ways to pay
    paper: str = "A4"  # PDF page size: "A4" or "Letter"
    logo: Path | None = None  # resolved, inside root; shown on pages and PDFs
    reminders: Reminders = field(default_factory=Reminders)
    statements: bool = False  # a private statement page for every client (else opt-in)
    smtp: Smtp | None = None
    reconcile_csv: CsvLayout | None = None  # [reconcile.csv]: the bank's CSV export's columns
    address_form: str = "B"  # DIN 5008 form A or B: where the address window is on A4
    print_note: str = "short"  # the personal note on paper: "short", "always" or "never"
    # "link": pages readable by whoever has the folder's address; "encrypted": each invoice's
    # files published encrypted, the key in the link's fragment (render/seal.py).
    privacy: str = "link"
    einvoice: str | None = None  # "factur-x" or "xrechnung": the default of every invoice

    @property
    def encrypted(self) -> bool:
        return self.privacy == "encrypted"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. '/repo/' on a GitHub project page."""
        return urlsplit(self.base_url).path or "/"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)
