"""One table of instants and what an invoice page must say at each, for both implementations.

tests/test_countdown.py checks the build's logic (generator/countdown.py through derive)
against it; tests/test_countdown_browser.py checks the page's inline script against it, in
Chromium, from pages built days earlier. Site time zone: Europe/Berlin (UTC+1, UTC+2 in
summer; summer time ends 2026-10-25 and starts 2027-03-28).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from generator.figures.derive import derive
from generator.model.site import Site
from generator.read.site import load_site
from generator.view.countdown import countdown_view
from generator.view.format import Formatter
from generator.view.segments import segments_view
from tests.conftest import SiteDir

BUILT = dt.date(2026, 11, 23)  # pages are built for this day; cases lie at or after it

BASE = """\
+++
number = "{number}"
issued = 2026-11-01
due = {due}
{extra_top}
[client]
name = "{name}"

[[items]]
description = "Work"
quantity = 2
unit_price = 100.00
tax_rate = 19
{extra}
+++
"""

INVOICES = {
    # Milestones (one with a time and a consequence), an early-payment discount, a late fee.
    "C-1": BASE.format(number="C-1", due="2026-11-30", name="Jonas Weber", extra_top="""\
late_fee = "From the day after the due date, a late fee of 5 EUR applies."
""", extra="""
[[milestones]]
by = 2026-11-25T18:00:00
message = "Pay by Wednesday 18:00 so we can buy your materials before prices rise 15%."
after = "Supplier prices have risen; we will still order as soon as you pay."

[[milestones]]
by = 2026-11-27
message = "Pay by Friday and your project starts on Monday."

[incentive]
by = 2026-11-26
percent = 5
review_url = "https://example.com/review"
"""),
    # Russian, with price tiers: 200.00 until the 24th, 220.00 until the 27th, then 238.00.
    "C-2": BASE.format(number="C-2", due="2026-11-30", name="Жанна Петрова",
                       extra_top='language = "ru"\n', extra="""
[[price_tiers]]
by = 2026-11-24
amount = 200.00

[[price_tiers]]
by = 2026-11-27
amount = 220.00
"""),
    # A deposit due first: the amount due now grows when the balance falls due.
    "C-3": BASE.format(number="C-3", due="2026-12-10", name="Pieter van der Merwe",
                       extra_top='language = "af"\n', extra="""
[deposit]
percent = 30
due = 2026-11-25
"""),
    # Across the spring DST change (2027-03-28, 02:00 CET -> 03:00 CEST).
    "C-4": BASE.format(number="C-4", due="2027-03-29", name="Lena Kraus", extra_top="",
                       extra="""
[[milestones]]
by = 2027-03-28T12:00:00
message = "Pay by Sunday noon and we book the spring slot."
"""),
    # A leap day due date.
    "C-5": BASE.format(number="C-5", due="2028-02-29", name="Aiko Tanaka", extra_top="",
                       extra=""),
}


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# (invoice, instant, stage, amount due now, index of the next milestone or None, countdown)
CASES = [
    ("C-1", "2026-11-22T23:00:00Z", "upcoming", "€226.10", 0, "2 days 18 hours left"),
    ("C-1", "2026-11-25T16:59:00Z", "upcoming", "€226.10", 0, "1 minute left"),
    ("C-1", "2026-11-25T16:59:59Z", "upcoming", "€226.10", 0, "1 minute left"),
    ("C-1", "2026-11-25T17:00:00Z", "upcoming", "€226.10", 1, "2 days 6 hours left"),
    ("C-1", "2026-11-26T22:59:59Z", "upcoming", "€226.10", 1, "1 day left"),
    ("C-1", "2026-11-26T23:00:00Z", "soon", "€238.00", 1, "1 day left"),
    ("C-1", "2026-11-27T22:30:00Z", "soon", "€238.00", 1, "30 minutes left"),
    ("C-1", "2026-11-27T23:00:00Z", "soon", "€238.00", None, ""),
    ("C-1", "2026-11-29T22:59:59Z", "soon", "€238.00", None, ""),
    ("C-1", "2026-11-29T23:00:00Z", "today", "€238.00", None, ""),
    ("C-1", "2026-11-30T22:59:59Z", "today", "€238.00", None, ""),
    ("C-1", "2026-11-30T23:00:00Z", "overdue_1", "€238.00", None, ""),
    ("C-1", "2026-12-07T12:00:00Z", "overdue_7", "€238.00", None, ""),
    ("C-1", "2026-12-14T12:00:00Z", "overdue_14", "€238.00", None, ""),
    ("C-1", "2026-12-30T12:00:00Z", "overdue_30", "€238.00", None, ""),
    ("C-2", "2026-11-22T23:00:00Z", "upcoming", "200,00\xa0€", None, ""),
    ("C-2", "2026-11-24T22:59:59Z", "upcoming", "200,00\xa0€", None, ""),
    ("C-2", "2026-11-24T23:00:00Z", "upcoming", "220,00\xa0€", None, ""),
    ("C-2", "2026-11-27T22:59:59Z", "soon", "220,00\xa0€", None, ""),
    ("C-2", "2026-11-27T23:00:00Z", "soon", "238,00\xa0€", None, ""),
    ("C-2", "2026-12-01T09:00:00Z", "overdue_1", "238,00\xa0€", None, ""),
    ("C-3", "2026-11-22T23:00:00Z", "soon", "€71,40", None, ""),
    ("C-3", "2026-11-24T23:00:00Z", "today", "€71,40", None, ""),
    ("C-3", "2026-11-25T23:00:00Z", "overdue_1", "€71,40", None, ""),
    ("C-3", "2026-12-09T23:00:00Z", "overdue_14", "€238,00", None, ""),
    ("C-4", "2027-03-27T22:59:59Z", "soon", "€238.00", 0, "11 hours 1 minute left"),
    ("C-4", "2027-03-27T23:00:00Z", "soon", "€238.00", 0, "11 hours left"),
    ("C-4", "2027-03-28T00:59:00Z", "soon", "€238.00", 0, "9 hours 1 minute left"),
    ("C-4", "2027-03-28T01:00:00Z", "soon", "€238.00", 0, "9 hours left"),
    ("C-4", "2027-03-28T10:00:00Z", "soon", "€238.00", None, ""),
    ("C-4", "2027-03-28T21:59:59Z", "soon", "€238.00", None, ""),
    ("C-4", "2027-03-28T22:00:00Z", "today", "€238.00", None, ""),
    ("C-5", "2028-02-27T22:59:59Z", "soon", "€238.00", None, ""),
    ("C-5", "2028-02-28T23:00:00Z", "today", "€238.00", None, ""),
    ("C-5", "2028-02-29T22:59:59Z", "today", "€238.00", None, ""),
    ("C-5", "2028-02-29T23:00:00Z", "overdue_1", "€238.00", None, ""),
]


def write_cases_site(root: Path) -> SiteDir:
    site = SiteDir(root)
    for number, text in INVOICES.items():
        site.invoice(f"{number}.md", text)
    return site


def load_cases_site(root: Path) -> Site:
    write_cases_site(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", "test-secret")
        return load_site(root)


def state_at(loaded: Site, number: str, instant: dt.datetime) -> dict[str, Any]:
    """What the build would render at `instant`: stage, amount, next milestone, message."""
    inv = next(i for i in loaded.invoices if i.number == number)
    fig = derive(inv, BUILT, loaded.settings.tz, instant)
    f = Formatter(inv.language, inv.currency)
    view = countdown_view(inv, fig, loaded.settings, f)
    nxt = next((n for n, m in enumerate(view["milestones"]) if m["state"] == "next"), None)
    # The page block a build for BUILT shows at `instant` (view/segments.py).
    seg = segments_view(inv, derive(inv, BUILT, loaded.settings.tz), loaded.settings, f)
    at = max((n for n, (m, _) in enumerate(seg.moments) if m <= instant), default=0)
    return {"stage": fig.stage.value, "amount": f.money(fig.due_now), "milestone": nxt,
            "left": view["milestones"][nxt]["left"] if nxt is not None else "",
            "message": view["message"], "fig": fig, "view": view,
            "block": seg.blocks[seg.block_of[at]]}
