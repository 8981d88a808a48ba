"""site.toml: the site's settings, read once into an immutable object."""

from __future__ import annotations

import os
import re
import zoneinfo
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from generator.errors import Problem, RemitError
from generator.fields import Reader
from generator.load import Locator, parse_toml
from generator.money import known_currencies
from generator.payments.config import PaymentConfig, read_site_payment
from generator.pdf_settings import PDF_SETTINGS, read_pdf_settings

SITE_FILE = "site.toml"


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
class SiteConfig:
    root: Path
    title: str
    base_url: str  # always ends with "/"
    language: str
    timezone: str
    seller: Party
    currency: str
    payment_terms_days: int
    theme: str
    content_dir: Path
    output_dir: Path
    cache_dir: Path
    tagline: str | None = None
    cname: str | None = None  # custom domain, written to output/CNAME for branch deploys
    hide_amounts_in_previews: bool = False  # keep amounts out of chat-app link previews
    payment: PaymentConfig = field(default_factory=PaymentConfig)  # [payment]: ways to pay
    paper: str = "A4"  # PDF page size: "A4" or "Letter"
    logo: Path | None = None  # resolved, inside root; shown on pages and PDFs

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. '/repo/' on a GitHub project page."""
        return urlsplit(self.base_url).path or "/"

    @property
    def theme_dir(self) -> Path:
        local = self.root / "themes" / self.theme
        return local if local.is_dir() else bundled_themes() / self.theme

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


def bundled_themes() -> Path:
    return Path(__file__).resolve().parent.parent / "themes"


def available_languages(theme_dir: Path) -> frozenset[str]:
    locales = theme_dir / "locales"
    return frozenset(p.name for p in locales.iterdir() if (p / "LC_MESSAGES").is_dir()) \
        if locales.is_dir() else frozenset({"en"})


def valid_base_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query \
        and not parts.fragment


HOSTNAME = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+"
                      r"[a-z][a-z0-9\-]{0,61}[a-z0-9]", re.IGNORECASE)


def read_cname(r: Reader) -> str | None:
    """GitHub's CNAME file holds a bare host name; a scheme or path there breaks the domain."""
    value = r.str("cname")
    if value is None:
        return None
    if "://" in value or "/" in value or not HOSTNAME.fullmatch(value.strip()):
        r.error("cname", "expected a bare domain name such as invoices.example.com, without "
                         f"https:// or a path (got {value!r})")
        return None
    return value.strip().lower()


def read_party(r: Reader, required_name: bool = True) -> Party:
    values = {k: r.str(k) for k in PARTY_FIELDS}
    if required_name and not values["name"]:
        r.error("name", "missing required field (expected text)")
    r.finish(PARTY_FIELDS)
    return Party(**{**values, "name": values["name"] or ""})


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """Read site.toml from `root`; raise RemitError listing every problem."""
    root = root.resolve()
    path = root / SITE_FILE
    problems: list[Problem] = []
    if not path.is_file():
        raise RemitError([Problem(SITE_FILE, None, None,
                                  f"not found in {root}: every site needs a site.toml")])
    text = path.read_text(encoding="utf-8")
    data, problem = parse_toml(text, SITE_FILE)
    if problem:
        raise RemitError([problem])
    assert data is not None
    r = Reader(data, SITE_FILE, Locator(text, 1), problems)
    title = r.str("title", required=True) or ""
    url = base_url or os.environ.get("REMIT_BASE_URL") or r.str("base_url", required=True) or ""
    if url and not valid_base_url(url):
        why = (f"must be an http(s) URL such as https://user.github.io/invoices/ "
               f"(got {url!r})")
        # Name where the bad value came from: the owner may not know CI set it.
        if base_url:
            problems.append(Problem("--base-url", None, None, why))
        elif os.environ.get("REMIT_BASE_URL"):
            problems.append(Problem("REMIT_BASE_URL", None, None, why))
        else:
            r.error("base_url", why)
    url = url if url.endswith("/") else url + "/"
    timezone = r.str("timezone", default="UTC") or "UTC"
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        r.error("timezone", f"unknown time zone {timezone!r}; expected an IANA name such as "
                            "Europe/Berlin or America/New_York")
        timezone = "UTC"
    theme = r.str("theme", default="default") or "default"
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", theme):
        r.error("theme", "expected a theme folder name such as 'default'")
        theme = "default"
    seller_r = r.table("seller", required=True)
    seller = read_party(seller_r) if seller_r else Party(name="")
    terms = r.int("payment_terms_days", default=14, minimum=0)
    currency = r.str("currency", default="EUR") or "EUR"
    language = r.str("language", default="en") or "en"
    tagline = r.str("tagline")
    cname = read_cname(r)
    hide_amounts = r.bool("hide_amounts_in_previews")
    payment = read_site_payment(r.table("payment"))
    paper, logo = read_pdf_settings(r, root)
    r.finish(["title", "base_url", "timezone", "theme", "seller", "payment_terms_days",
              "currency", "language", "tagline", "cname", "hide_amounts_in_previews",
              "payment", *PDF_SETTINGS])
    config = SiteConfig(
        root=root, title=title, base_url=url, language=language, timezone=timezone,
        seller=seller, currency=currency, payment_terms_days=terms, theme=theme,
        content_dir=root / "content", output_dir=root / "output",
        cache_dir=root / ".remit-cache", tagline=tagline, cname=cname,
        hide_amounts_in_previews=hide_amounts, payment=payment, paper=paper, logo=logo,
    )
    if not config.theme_dir.is_dir():
        r.error("theme", f"theme '{theme}' not found in themes/ or among the bundled themes")
    else:
        langs = available_languages(config.theme_dir)
        if language not in langs:
            r.error("language", f"no catalog for '{language}'; expected one of: "
                                f"{', '.join(sorted(langs))}")
    if currency not in known_currencies():
        r.error("currency", f"unknown currency {currency!r}; expected an ISO 4217 code "
                            "such as EUR, USD, CHF")
    if problems:
        raise RemitError(problems)
    return config


def with_output(config: SiteConfig, output: Path | None) -> SiteConfig:
    return replace(config, output_dir=output.resolve()) if output else config

