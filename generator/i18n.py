"""Languages: gettext catalogs from the theme, money and dates through Babel's CLDR data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

from generator import theme


@cache
def translations(theme_dir: Path, language: str) -> NullTranslations:
    """Compile the theme's .po in memory: no generated .mo files to keep in sync in git."""
    po = theme.catalog(theme_dir, language)
    if po is None:
        return NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def money(amount: Decimal, currency: str, language: str) -> str:
    return format_currency(amount, currency, locale=language)


def number(value: Decimal, language: str) -> str:
    return format_decimal(value.normalize() if value == value.to_integral() else value,
                          locale=language)


def percent(value: Decimal, language: str) -> str:
    """Tax rates such as 19 or 7.7 (per cent) shown the locale's way: 19 %, 7,7 %."""
    return format_percent(value / 100, format="#,##0.###%", locale=language)


def date(value: dt.date, language: str, style: str = "long") -> str:
    return format_date(value, style, locale=language)


def language_name(code: str) -> str:
    return Locale.parse(code).get_display_name(code) or code
