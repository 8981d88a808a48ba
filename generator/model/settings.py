"""The site's settings from site.toml, and the parties an invoice names."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from generator.model.payment import PaymentConfig


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

    @property
    def display_name(self) -> str:
        return self.company or self.name


PARTY_FIELDS = ("name", "company", "address", "email", "phone", "website", "tax_id")


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
    # "link": pages readable by whoever has the folder's address; "encrypted": each invoice's
    # files published encrypted, the key in the link's fragment (render/seal.py).
    privacy: str = "link"

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
