"""Field checks shared by several methods, each returning the clean value or raising ValueError.

IBANs and BICs go through schwifty (checksums, per-country lengths, registry-backed formats);
creditor references through python-stdnum's ISO 11649 implementation. Both are imported by
the functions that use them (together ~40 ms, and ssl, pydoc and importlib.metadata with
them): a build whose settings name no IBAN, or whose invoices all come from the memo,
needs neither. Nor does one whose IBANs and BICs were found valid by an earlier build of the
same code and schwifty version: schwifty's checks are pure functions of the value and its
version (the bank registry ships inside the package), so read/checked.py remembers their
results in the build cache. So are currency codes, checked against Babel's list of ISO 4217
codes (data of its version; loading it costs a build ~7 ms). Only valid values are
remembered; an invalid one is checked, and reported, every time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from generator.fields import Reader, url_parts
from generator.money import known_currencies
from generator.payments.base import HTTP_URL

# "<check>\0<value>" -> the clean value: recalled from the build cache (REMEMBERED; USED:
# those asked for since) and found by this process (LEARNED), for read/checked.py to keep.
REMEMBERED: dict[str, str] = {}
USED: set[str] = set()
LEARNED: dict[str, str] = {}


def _remembered(check: Callable[[str], str]) -> Callable[[str], str]:
    def remembering(value: str) -> str:
        key = f"{check.__name__}\0{value}"
        clean = REMEMBERED.get(key)
        if clean is not None:
            USED.add(key)
            return clean
        clean = LEARNED.get(key)
        if clean is None:
            clean = LEARNED[key] = check(value)  # a ValueError is never remembered
        return clean

    remembering.__name__ = remembering.__qualname__ = check.__name__
    remembering.__doc__ = check.__doc__
    return remembering


@_remembered
def currency(value: str) -> str:
    if value not in known_currencies():
        raise ValueError(f"unknown currency {value!r}")
    return value


def known_currency(code: str) -> bool:
    """Is `code` an ISO 4217 currency code that Babel knows (and so can format)?"""
    try:
        currency(code)
    except ValueError:
        return False
    return True


@_remembered
def iban(value: str) -> str:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        return IBAN(value).compact
    except SchwiftyException as exc:
        raise ValueError(f"not a valid IBAN ({describe(exc)}): check it against your bank's "
                         "documents") from None


# Remembered: a site's few IBANs are shown on every invoice's page, and schwifty parses and
# validates the number each time (~50 us).
@lru_cache(maxsize=64)
def iban_shown(value: str) -> str:
    from schwifty import IBAN

    return IBAN(value).formatted


@_remembered
def bic(value: str) -> str:
    from schwifty import BIC
    from schwifty.exceptions import SchwiftyException

    try:
        return str(BIC(value).compact)
    except SchwiftyException as exc:
        raise ValueError(f"not a valid BIC ({describe(exc)}); expected 8 or 11 characters "
                         "such as COBADEFFXXX") from None


def rf_reference(value: str) -> str:
    from stdnum import iso11649
    from stdnum.exceptions import ValidationError

    try:
        return iso11649.validate(value)
    except ValidationError as exc:
        raise ValueError(f"not a valid ISO 11649 creditor reference ({describe(exc)}); expected "
                         "one such as RF18 5390 0754 7034") from None


def rf_or_auto(value: str) -> str:
    """A creditor reference set by hand, or "auto": one per invoice and part (reference.py)."""
    return "auto" if value.strip() == "auto" else rf_reference(value)


def rf_shown(value: str) -> str:
    from stdnum import iso11649

    return iso11649.format(value)


def http_url(value: str) -> str:
    if not HTTP_URL.fullmatch(value.strip()) or url_parts(value.strip()) is None:
        raise ValueError("expected a web address starting with https://")
    return value.strip()


def describe(exc: Exception) -> str:
    text = (getattr(exc, "message", None) or str(exc)).strip().rstrip(".")
    return text[0].lower() + text[1:] if text else type(exc).__name__


def checked(r: Reader, key: str, check: Callable[[str], str]) -> str | None:
    """Read text field `key` and clean it with `check`, reporting its ValueError there."""
    value = r.str(key)
    if value is None:
        return None
    try:
        return check(value)
    except ValueError as exc:
        r.error(key, str(exc))
        return None
