"""The next invoice number, in the pattern the site already uses. Pure.

The pattern is read from the latest invoice (by issue date): its last run of digits is the
counter, kept at its width ("007" -> "008"); a run equal to its issue year (or the year's
last two digits, before the counter) is the year, which becomes the new invoice's year, the
counter starting again at 1 in a new year. So "2026-014" -> "2026-015" (or "2027-001" in
2027), "INV-26-0042" -> "INV-26-0043", "A17" -> "A18", "RE2026/5" -> "RE2026/6". The counter
continues from the highest number of the same pattern and year, never reusing one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

FIRST = "{year}-001"  # for a site without invoices


@dataclass(frozen=True)
class Pattern:
    prefix: str  # before the year, or before the counter when there is no year
    year: str | None  # "yyyy" or "yy" when the number carries its year
    middle: str  # between the year and the counter
    width: int  # the counter's digits, zero-padded
    suffix: str

    def format(self, year: int, counter: int) -> str:
        y = "" if self.year is None else (f"{year:04d}" if self.year == "yyyy"
                                          else f"{year % 100:02d}")
        return f"{self.prefix}{y}{self.middle}{counter:0{self.width}d}{self.suffix}"

    def counter_of(self, number: str, year: int) -> int | None:
        """The counter of `number` if it has this pattern (and this year), else None."""
        y = "" if self.year is None else re.escape(self.format(year, 0)[
            len(self.prefix):len(self.prefix) + len(self.year)])
        found = re.fullmatch(re.escape(self.prefix) + y + re.escape(self.middle) + r"(\d+)"
                             + re.escape(self.suffix), number)
        return int(found.group(1)) if found else None


def pattern_of(number: str, issued: dt.date) -> Pattern:
    runs = list(re.finditer(r"\d+", number))
    if not runs:
        return Pattern(number + "-", None, "", 1, "")
    counter = runs[-1]
    start, end = counter.span()
    suffix = number[end:]
    full, short = f"{issued.year:04d}", f"{issued.year % 100:02d}"
    for run in runs[:-1]:
        if run.group() in (full, short):
            kind = "yyyy" if run.group() == full else "yy"
            return Pattern(number[:run.start()], kind, number[run.end():start],
                           end - start, suffix)
    # "2026001": the year glued to the counter.
    text = counter.group()
    if len(runs) == 1 and text.startswith(full) and len(text) > len(full) + 1:
        return Pattern(number[:start], "yyyy", "", len(text) - 4, suffix)
    return Pattern(number[:start], None, "", end - start, suffix)


def next_number(existing: Iterable[tuple[str, dt.date]], today: dt.date) -> str:
    """The number after the latest of `existing` (number, issue date) for an invoice issued
    `today`; unique among `existing`."""
    known = list(existing)
    if not known:
        return FIRST.format(year=today.year)
    latest = max(known, key=lambda ni: (ni[1], natural_key(ni[0])))
    pattern = pattern_of(*latest)
    counters = [c for c in (pattern.counter_of(n, today.year) for n, _ in known)
                if c is not None]
    taken = {n for n, _ in known}
    counter = max(counters, default=0) + 1
    while pattern.format(today.year, counter) in taken:
        counter += 1
    return pattern.format(today.year, counter)


def natural_key(number: str) -> tuple:
    """'A9' < 'A10': digit runs compare as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", number))
