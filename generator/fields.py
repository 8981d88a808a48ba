"""Typed reading of TOML tables with every problem collected, located and explained.

Config and model both read through a `Reader`, so every field error has the same shape:
file, line, dotted field path, and what a valid value looks like.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from urllib.parse import SplitResult, urlsplit

from generator.errors import Problem
from generator.toml import Locator

T = TypeVar("T")
MISSING: Any = object()


class Reader:
    """A view of one TOML table at `path` inside file `rel`."""

    def __init__(self, data: dict[str, Any], rel: str, locator: Locator | None,
                 problems: list[Problem], path: str = "") -> None:
        self.data = data
        self.rel = rel
        self.locator = locator
        self.problems = problems
        self.path = path
        self.seen: set[str] = set()

    # -- plumbing --------------------------------------------------------------------
    def field_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | None, message: str) -> None:
        where = self.field_path(key) if key else (self.path or None)
        line = self.locator.line_of(where) if (self.locator and where) else None
        self.problems.append(Problem(self.rel, line, where, message))

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.data.get(key, MISSING)

    def finish(self, allowed: Iterable[str] | None = None) -> None:
        """Report keys nobody read: almost always a typo, which would otherwise silently vanish."""
        allowed_set = set(allowed) if allowed is not None else self.seen
        for key in self.data:
            if key not in self.seen and key not in allowed_set:
                known = sorted(allowed_set)  # sorted only for a message: most tables have none
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else (
                    f"; valid fields here: {', '.join(known)}" if known else "")
                self.error(key, f"unknown field{hint}")

    def _get(self, key: str, required: bool, default: Any, kind: str,
             convert: Callable[[Any], T]) -> T | Any:
        self.seen.add(key)  # what raw() does, a call shorter (~100 fields a file)
        value = self.data.get(key, MISSING)
        if value is MISSING:
            if required:
                self.error(key, f"missing required field (expected {kind})")
            return default
        try:
            return convert(value)
        except (TypeError, ValueError, InvalidOperation) as exc:
            detail = str(exc) or f"expected {kind}"
            self.error(key, f"{detail} (got {shown(value)})")
            return default

    # -- typed getters -------------------------------------------------------------------
    def str(self, key: str, required: bool = False, default: str | None = None) -> Any:
        self.seen.add(key)
        value = self.data.get(key, MISSING)
        if type(value) is str and len(value) <= SHARED_MAX_TEXT:  # what to_str gives it
            return shared(value, value)
        return self._get(key, required, default, "text", to_str)

    def bool(self, key: str, default: bool = False) -> bool:
        return self._get(key, False, default, "true or false", to_bool)

    def decimal(self, key: str, required: bool = False, default: Decimal | None = None,
                minimum: Decimal | None = None, maximum: Decimal | None = None,
                positive: bool = False) -> Any:
        value = self._get(key, required, MISSING, "a number such as 1800.00 or \"1800.00\"",
                          to_decimal)
        if value is MISSING:
            return default
        if positive and value <= 0:
            self.error(key, f"must be greater than 0 (got {value})")
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.error(key, f"must be between {minimum} and {maximum} (got {value})")
            return default
        return value

    def date(self, key: str, required: bool = False) -> dt.date | None:
        return self._get(key, required, None, "a date such as 2026-11-30", to_date)

    def int(self, key: str, required: bool = False, default: int | None = None,
            minimum: int = 0, maximum: int | None = None) -> Any:
        value = self._get(key, required, MISSING, "a whole number", to_int)
        if value is MISSING:
            return default
        if value < minimum:
            self.error(key, f"must be at least {minimum} (got {value})")
            return default
        if maximum is not None and value > maximum:
            self.error(key, f"must be at most {maximum} (got {value})")
            return default
        return value

    def choice(self, key: str, options: Iterable[str], required: bool = False,
               default: str | None = None) -> Any:
        opts = sorted(options)
        value = self.str(key, required)
        if value is None:
            return default
        if value not in opts:
            close = difflib.get_close_matches(value, opts, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            listed = ", ".join(opts) if len(opts) <= 12 else ", ".join(opts[:12]) + ", …"
            self.error(key, f"unknown value '{value}'; {hint}expected one of: {listed}")
            return default
        return value

    def table(self, key: str, required: bool = False) -> Reader | None:
        value = self.raw(key)
        if value is MISSING:
            if required:
                self.error(key, "missing required table")
            return None
        if not isinstance(value, dict):
            self.error(key, f"expected a table such as [{self.field_path(key)}] "
                            f"(got {shown(value)})")
            return None
        return Reader(value, self.rel, self.locator, self.problems, self.field_path(key))

    def tables(self, key: str) -> list[Reader]:
        value = self.raw(key)
        if value is MISSING:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(key, f"expected an array of tables such as [[{self.field_path(key)}]]")
            return []
        return [Reader(v, self.rel, self.locator, self.problems, f"{self.field_path(key)}[{i}]")
                for i, v in enumerate(value)]


def shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(
        value, bool) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


# Equal values read from many files share one object: a build holds every invoice at once,
# and 10,000 invoices repeat the same descriptions, names, rates and prices thousands of
# times. Decimals are keyed by their exact text, so 1.5 and 1.50 stay apart. Values are
# immutable, so sharing them changes nothing but memory; the table is per process and
# bounded by what the files hold.
_shared: dict[object, Any] = {}
SHARED_MAX_TEXT = 200  # longer text (a note) is rarely repeated


def shared(value: Any, key: object) -> Any:
    if len(_shared) > 100_000:  # a process that has read very much (watch mode): start over
        _shared.clear()
    return _shared.setdefault(key, value)


def to_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text in quotes")
    return shared(value, value) if len(value) <= SHARED_MAX_TEXT else value


def to_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value


def to_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected a whole number")
    return value


MAX_DIGITS = 12


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("expected a number")
    if isinstance(value, int | Decimal):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace("_", ""))
        except InvalidOperation:
            raise ValueError("expected a number such as 1800.00 or \"1800.00\"") from None
    else:
        raise TypeError("expected a number such as 1800.00 or \"1800.00\"")
    if not result.is_finite():
        raise ValueError("expected a finite number")
    # Beyond this, products of two such numbers no longer fit Decimal's 28 digits and
    # rounding to cents fails: no invoice needs a trillion of anything.
    if result and result.adjusted() >= MAX_DIGITS:
        raise ValueError(f"too large: at most {MAX_DIGITS} digits before the decimal point")
    return shared(result, ("decimal", str(result)))


MAX_TERMS_DAYS = 3660  # ten years to pay is plenty

# Dates an invoice can mean; beyond them, date arithmetic (a due date, the day after a
# deadline) would leave what Python's dates can hold.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("expected a real date in the form YYYY-MM-DD") from None
    else:
        raise TypeError("expected a date such as 2026-11-30")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"expected a date between {FIRST_DAY} and {LAST_DAY}")
    return day


def text_fields(r: Reader, keys: tuple[str, ...]) -> dict[str, str | None]:
    """Text fields of a party (seller or client); a `website` must be a web address: it
    becomes a link on the page, and a javascript: or data: link would run in the client's
    browser."""
    values = {k: r.str(k) for k in keys}
    site = values.get("website")
    if site is not None:
        parts = url_parts(site.strip())
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            r.error("website", f"expected a web address such as https://studio.example "
                               f"(got {site!r})")
            values["website"] = None
    return values


def url_parts(text: str) -> SplitResult | None:
    """urlsplit, or None for text it cannot split (an unclosed `[` in the host, ...)."""
    try:
        return urlsplit(text)
    except ValueError:
        return None
