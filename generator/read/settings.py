"""site.toml: the site's settings, read once into an immutable object."""

from __future__ import annotations

import os
import re
import zoneinfo
from pathlib import Path

from generator.digest import CACHE_DIR
from generator.errors import Problem, RemitError
from generator.fields import MAX_TERMS_DAYS, Reader, text_fields, url_parts
from generator.model.invoice import EINVOICE_KINDS
from generator.model.settings import PARTY_FIELDS, Party, Settings
from generator.payments import validate
from generator.read.csv_statement import read_layout
from generator.read.notify import read_reminders, read_smtp
from generator.read.payment import read_site_payment
from generator.theme import available_languages, find_theme
from generator.toml import Locator, parse_toml

SITE_FILE = "site.toml"

PDF_SETTINGS = ("paper", "logo", "address_form", "print_note")

PAPERS = ("A4", "Letter")

PRIVACY = ("link", "encrypted")

# What WeasyPrint and every browser can show; other formats would silently vanish from PDFs.
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")



def read_pdf_settings(r: Reader, root: Path) -> tuple[str, Path | None]:
    paper = r.choice("paper", PAPERS, default="A4")
    rel = r.str("logo")
    logo = None
    if rel is not None:
        path = (root / rel).resolve()
        if not path.is_relative_to(root):
            r.error("logo", f"{rel!r} is outside the site folder; put the image inside it, "
                            "e.g. logo = \"images/logo.png\"")
        elif path.suffix.lower() not in LOGO_SUFFIXES:
            r.error("logo", f"{rel!r} is not an image Remit can embed; expected one of: "
                            f"{', '.join(LOGO_SUFFIXES)}")
        elif not path.is_file():
            r.error("logo", f"{rel!r} not found in the site folder")
        else:
            try:
                with path.open("rb") as fh:
                    fh.read(1)
                logo = path
            except OSError as exc:
                r.error("logo", f"{rel!r} cannot be read ({exc.strerror})")
    return paper, logo


def valid_base_url(url: str) -> bool:
    parts = url_parts(url)
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc) \
        and not parts.query and not parts.fragment


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
    values = text_fields(r, PARTY_FIELDS)
    if required_name and not values["name"]:
        r.error("name", "missing required field (expected text)")
    r.finish(PARTY_FIELDS)
    values["country"] = read_country(r, values["country"])
    return Party(**{**values, "name": values["name"] or ""})


COUNTRY = re.compile(r"[A-Z]{2}")


def read_einvoice(r: Reader, default: str | None) -> str | None:
    """`einvoice = "factur-x"` or `"xrechnung"`, or `false` for none; `default` if absent."""
    if not r.has("einvoice"):
        return default
    value = r.raw("einvoice")
    if value is False:
        return None
    if value not in EINVOICE_KINDS:
        r.error("einvoice", "expected \"factur-x\" (the e-invoice inside the PDF), "
                            "\"xrechnung\" (also a standalone XRechnung file) or false "
                            f"(got {value!r})")
        return None
    return value


def read_country(r: Reader, value: str | None) -> str | None:
    """An ISO 3166 alpha-2 code; upper case so 'za' and 'ZA' mean the same country."""
    if value is None:
        return None
    code = value.strip().upper()
    if not COUNTRY.fullmatch(code):
        r.error("country", f"expected a two-letter ISO 3166 country code such as DE, ZA or "
                           f"US (got {value!r})")
        return None
    return code


def load_settings(root: Path, base_url: str | None = None) -> Settings:
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
    terms = r.int("payment_terms_days", default=14, minimum=0, maximum=MAX_TERMS_DAYS)
    currency = r.str("currency", default="EUR") or "EUR"
    language = r.str("language", default="en") or "en"
    tagline = r.str("tagline")
    cname = read_cname(r)
    hide_amounts = r.bool("hide_amounts_in_previews")
    statements = r.bool("statements")
    payment = read_site_payment(r.table("payment"))
    paper, logo = read_pdf_settings(r, root)
    reminders = read_reminders(r.table("reminders"), seller)
    smtp = read_smtp(r.table("smtp"), seller)
    reconcile_csv = read_layout(r.table("reconcile"))
    address_form = r.choice("address_form", ("A", "B"), default="B")
    print_note = r.choice("print_note", ("short", "always", "never"), default="short")
    privacy = r.choice("privacy", PRIVACY, default="link")
    einvoice = read_einvoice(r, None)
    r.finish(["privacy", "einvoice", "title", "base_url", "timezone", "theme", "seller",
              "payment_terms_days",
              "currency", "language", "tagline", "cname", "hide_amounts_in_previews",
              "payment", "reminders", "smtp", "statements", "reconcile", *PDF_SETTINGS])
    theme_dir = find_theme(root, theme)
    if theme_dir is None:
        r.error("theme", f"theme '{theme}' not found in themes/ or among the bundled themes")
    else:
        langs = available_languages(theme_dir)
        if language not in langs:
            r.error("language", f"no catalog for '{language}'; expected one of: "
                                f"{', '.join(sorted(langs))}")
    if not validate.known_currency(currency):
        r.error("currency", f"unknown currency {currency!r}; expected an ISO 4217 code "
                            "such as EUR, USD, CHF")
    if problems:
        raise RemitError(problems)
    assert theme_dir is not None
    return Settings(
        root=root, title=title, base_url=url, language=language, timezone=timezone,
        seller=seller, currency=currency, payment_terms_days=terms, theme=theme,
        theme_dir=theme_dir, content_dir=root / "content", output_dir=root / "output",
        cache_dir=root / CACHE_DIR, tagline=tagline, cname=cname,
        hide_amounts_in_previews=hide_amounts, payment=payment, paper=paper, logo=logo,
        reminders=reminders, smtp=smtp, statements=statements, reconcile_csv=reconcile_csv,
        address_form=address_form or "B", print_note=print_note or "short",
        privacy=privacy, einvoice=einvoice,
    )
