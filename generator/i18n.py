"""Languages: gettext catalogs from the theme, money and dates through Babel's CLDR data."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_date_format, get_timezone_location
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (
    NumberPattern,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_quantum,
    get_decimal_symbol,
    get_group_symbol,
)
from babel.support import NullTranslations, Translations
from babel.units import format_unit

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


# Babel formats a number in ~0.1 ms, and a build formats the same few amounts, rates and
# dates over and over (a page has dozens): each is formatted once per process. Decimals are
# remembered by their text, since 1.5 and 1.50 are equal (and hash alike) as Decimals.
_MEMO = 16384


def money(amount: Decimal, currency: str, language: str) -> str:
    return _money(str(amount), currency, language)


@lru_cache(maxsize=_MEMO)
def _money(amount: str, currency: str, language: str) -> str:
    fast = _money_pattern(currency, language)
    if fast is None:
        return format_currency(Decimal(amount), currency, locale=language)
    pattern, locale, digits, symbol, signs = fast
    # Babel's NumberPattern.apply step by step, minus its per-call look-ups: the locale is
    # parsed, the symbols found and the rounding quantum made once per currency and
    # language, and the currency's long name (which apply computes for every amount, though
    # only a "¤¤¤" pattern prints it) is never looked up. tests/test_money_format.py holds
    # the strings equal to Babel's.
    value = Decimal(amount).scaleb(pattern.scale)
    negative = int(value.is_signed())
    magnitude = abs(value).normalize()
    if magnitude.is_finite():
        text = _digits(magnitude, pattern, digits, *signs)
    else:
        text = pattern._quantize_value(magnitude, locale, digits, True, numbering_system="latn")
    text = pattern.prefix[negative] + text + pattern.suffix[negative]
    if "¤" in text:
        text = text.replace("¤¤", currency.upper()).replace("¤", symbol)
    if "'" in text:
        text = re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", text)
    return text


def _digits(value: Decimal, pattern: NumberPattern, digits: tuple[int, int], quantum: Decimal,
            group: str, point: str) -> str:
    """Babel's NumberPattern._quantize_value (with _format_int and _format_frac) for a finite
    value, with grouping on, given the locale's group and decimal symbols."""
    whole, _, fraction = f"{value.quantize(quantum):f}".partition(".")
    low, high = digits
    if len(whole) < pattern.int_prec[0]:
        whole = "0" * (pattern.int_prec[0] - len(whole)) + whole
    size, grouped = pattern.grouping[0], ""
    while len(whole) > size:
        grouped = group + whole[-size:] + grouped
        whole = whole[:-size]
        size = pattern.grouping[1]
    fraction = fraction or "0"
    if len(fraction) < low:
        fraction += "0" * (low - len(fraction))
    if high == 0 or (low == 0 and int(fraction) == 0):
        return whole + grouped
    while len(fraction) > low and fraction[-1] == "0":
        fraction = fraction[:-1]
    return whole + grouped + point + fraction


@cache
def _money_pattern(currency: str, language: str) -> tuple | None:
    """What _money needs to format amounts of one currency in one language, or None for a
    pattern outside the plain shape (scientific, significant digits, long name, no number):
    those go through Babel's format_currency as they are."""
    locale = Locale.parse(language)
    pattern = locale.currency_formats["standard"]
    affixes = "".join(pattern.prefix) + "".join(pattern.suffix)
    if pattern.exp_prec or "@" in pattern.pattern or "¤¤¤" in affixes \
            or pattern.number_pattern == "":
        return None
    digits = (get_currency_precision(currency),) * 2
    signs = (get_decimal_quantum(digits[1]), get_group_symbol(locale, numbering_system="latn"),
             get_decimal_symbol(locale, numbering_system="latn"))
    return pattern, locale, digits, get_currency_symbol(currency, locale), signs


def number(value: Decimal, language: str) -> str:
    return _number(str(value), language)


@lru_cache(maxsize=_MEMO)
def _number(text: str, language: str) -> str:
    value = Decimal(text)
    return format_decimal(value.normalize() if value == value.to_integral() else value,
                          locale=language)


def percent(value: Decimal, language: str) -> str:
    """Tax rates such as 19 or 7.7 (per cent) shown the locale's way: 19 %, 7,7 %."""
    return _percent(str(value), language)


@lru_cache(maxsize=_MEMO)
def _percent(text: str, language: str) -> str:
    return format_percent(Decimal(text) / 100, format="#,##0.###%", locale=language)


@lru_cache(maxsize=_MEMO)
def date(value: dt.date, language: str, style: str = "long") -> str:
    """Every date a reader sees (page, PDF, share text, calendar, countdown) comes from here."""
    return format_date(value, date_pattern(language, style), locale=language)


@lru_cache(maxsize=256)
def clock(time: dt.time, language: str, tz: ZoneInfo) -> str:
    """A deadline's time of day with the site's city, as "18:00 (Berlin)": Babel's city
    look-up and time format cost ~40 us, and a page names its few deadlines many times."""
    city = get_timezone_location(tz, locale=language, return_city=True)
    return f"{format_time(time, 'short', locale=language)} ({city})"


@cache
def date_pattern(language: str, style: str) -> str:
    """The CLDR pattern, but a written-out date never pads its day: CLDR's Afrikaans long
    pattern is "dd MMMM y" ("04 Desember 2026"), which reads as a form, not as prose. All-numeric
    patterns keep their padding (04.12.2026 lines up in a column)."""
    pattern = get_date_format(style, locale=language).pattern
    if "MMM" not in pattern:
        return pattern
    # Quoted literals ('г.') are left alone; only the day field outside quotes is unpadded.
    parts = re.split(r"('(?:[^']|'')*')", pattern)
    return "".join(p if p.startswith("'") else re.sub(r"(?<!d)dd(?!d)", "d", p) for p in parts)


def language_name(code: str) -> str:
    return Locale.parse(code).get_display_name(code) or code


# Units a client reads in their own language, with the number's plural form (1 page,
# 5 pages; 1 час, 2 часа, 5 часов). Durations come from CLDR; the rest from the theme's
# catalogs. A unit written otherwise ("стр.", "m²", "Tag") is printed as the owner wrote it.
_CLDR_UNITS = {"minute": "duration-minute", "hour": "duration-hour", "day": "duration-day",
               "week": "duration-week", "month": "duration-month", "year": "duration-year"}


def _catalog_unit(ngettext: Callable[[str, str, int], str], unit: str, n: int) -> str | None:
    forms = {
        "page": ngettext("%(num)s page", "%(num)s pages", n),
        "word": ngettext("%(num)s word", "%(num)s words", n),
        "item": ngettext("%(num)s item", "%(num)s items", n),
        "photo": ngettext("%(num)s photo", "%(num)s photos", n),
    }
    return forms.get(unit)


def unit_key(unit: str) -> str | None:
    """"hours", "Hour" and "hour" name one known unit; anything else is free text."""
    word = unit.strip().lower()
    for key in (word, word[:-1] if word.endswith("s") else word):
        if key in _CLDR_UNITS or key in ("page", "word", "item", "photo"):
            return key
    return None


def quantity(value: Decimal, unit: str | None, language: str, theme_dir: Path) -> str:
    """A line's quantity with its unit, in the language's plural form."""
    shown = number(value, language)
    key = unit_key(unit) if unit else None
    if key is None:
        return f"{shown} {unit}" if unit else shown
    if key in _CLDR_UNITS:
        return _unit(str(value), _CLDR_UNITS[key], language)
    # gettext's plural rules take whole numbers. A fraction reads like 2 in the languages
    # shipped ("1.5 pages", "1,5 страницы", "1,5 bladsye"; Polish and Czech alike).
    n = int(value) if value == value.to_integral() else 2
    text = _catalog_unit(translations(theme_dir, language).ngettext, key, n)
    return (text or shown) % {"num": shown}


@lru_cache(maxsize=_MEMO)
def _unit(text: str, unit: str, language: str) -> str:
    # Babel takes ~50 us a call, and an invoice of hours repeats "8 hours" line after line.
    return format_unit(Decimal(text), unit, length="long", locale=language)
