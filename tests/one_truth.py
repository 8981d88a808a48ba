"""Generated invoices and what a page must show at an instant, for tests/test_one_truth*.py.

The schedules cover deposits, installments, partial payments, price tiers, early-payment
discounts and late fees, in EUR, JPY and KWD and in English, Russian and Afrikaans, around a
DST change and a leap day. `expected` is the Python model: derive() at the instant itself, not
at the segment the page picked, so a missing boundary in the timeline shows up as a mismatch.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from generator.figures.derive import PartState, derive
from generator.i18n import translations
from generator.model.countdown import local_day
from generator.model.invoice import Invoice
from generator.model.site import Site
from generator.money import minor_units
from generator.payments.base import plain_amount
from generator.view.countdown import countdown_view, relative_days
from generator.view.format import Formatter
from generator.view.segments import segments_view
from generator.view.terms import due_line, terms

SITE_TOML = """\
title = "One truth"
base_url = "https://example.github.io/invoices/"
language = "en"
timezone = "{tz}"
currency = "EUR"

[seller]
name = "Anna Lindqvist"
company = "Studio Lindqvist"

[payment]
preferred = "online"

[payment.online]                 # a QR code of a link carrying the amount, any currency
type = "link"
url = "https://pay.example/{{number}}?amount={{amount}}&currency={{currency}}"

[payment.sepa]
iban = "DE89 3704 0044 0532 0130 00"

[payment.bank]                   # details to copy, with the amount
beneficiary = "Studio Lindqvist"
account_number = "62 1234 5678 9"
"""

STATUS = {"paid": "Paid", "void": "Cancelled", "overdue": "Overdue",
          "partially_paid": "Partially paid", "draft": "Draft", "open": "Open"}

BUILD_DAYS = (dt.date(2026, 11, 23), dt.date(2027, 3, 20), dt.date(2028, 2, 22))
SITE_ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney")
VIEWER_ZONES = ("Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Auckland")


def money_text(amount: Decimal) -> str:
    return f"{amount:f}"


KINDS = ("single", "deposit", "installments", "tiers", "offer")


@st.composite
def invoices(draw: st.DrawFn, built: dt.date, kind: str | None = None) -> str:
    """One invoice's text, valid by construction, with its dates around `built`; `kind`
    picks its schedule or offer (drawn when None)."""
    currency = draw(st.sampled_from(["EUR", "JPY", "KWD"]))
    language = draw(st.sampled_from(["en", "ru", "af"]))
    q = Decimal(1).scaleb(-minor_units(currency))
    price = Decimal(draw(st.integers(100, 400_000))) * q * (100 if currency == "JPY" else 1)
    # An offer needs a due date still ahead; anything else may be long overdue.
    ahead = kind in ("tiers", "offer")
    due = built + dt.timedelta(days=draw(st.integers(1 if ahead else -12, 35)))
    issued = min(built, due) - dt.timedelta(days=draw(st.integers(0, 20)))
    lines = [f'number = "G-{draw(st.integers(1, 10**6))}"', f"issued = {issued}",
             f"due = {due}", f'currency = "{currency}"', f'language = "{language}"']
    if draw(st.booleans()):
        lines.append('late_fee = "A late fee may apply after the due date."')
    tail = ['[client]', 'name = "Client Name"', "",
            "[[items]]", 'description = "Work"', f"quantity = {draw(st.integers(1, 3))}",
            f"unit_price = {money_text(price)}", f"tax_rate = {draw(st.sampled_from([0, 7, 19]))}"]
    total_guess = price  # a lower bound of the total: enough to size payments and tiers
    kind = kind or draw(st.sampled_from(KINDS))
    if kind == "deposit":
        day = min(due, built + dt.timedelta(days=draw(st.integers(-5, 6))))
        tail += ["", "[deposit]", f"percent = {draw(st.sampled_from([20, 30, 50]))}",
                 f"due = {max(day, issued)}"]
    elif kind == "installments":
        shares = draw(st.sampled_from([[50, 50], [30, 30, 40], [25, 25, 25, 25]]))
        gaps = draw(st.lists(st.integers(1, 20), min_size=len(shares), max_size=len(shares)))
        day = max(issued, built + dt.timedelta(days=draw(st.integers(-25, 5))))
        for share, gap in zip(shares, gaps, strict=True):
            tail += ["", "[[installments]]", f"percent = {share}", f"due = {day}"]
            day += dt.timedelta(days=gap)
    elif kind == "tiers":
        ends = sorted(draw(st.lists(st.integers(0, (due - built).days), min_size=1,
                                    max_size=2, unique=True)))
        for n, end in enumerate(ends):
            cut = Decimal(3 * (len(ends) - n)) / 100  # cheaper the earlier
            amount = (total_guess * (1 - cut)).quantize(q)
            tail += ["", "[[price_tiers]]", f"by = {built + dt.timedelta(days=end)}",
                     f"amount = {money_text(amount)}"]
    elif kind == "offer":
        end = built + dt.timedelta(days=draw(st.integers(0, (due - built).days)))
        hour = draw(st.sampled_from([None, "09:30:00", "18:00:00"]))
        tail += ["", "[incentive]", f"by = {end}T{hour}" if hour else f"by = {end}",
                 f"percent = {draw(st.sampled_from([3, 5, 10]))}"]
    if kind != "tiers" and draw(st.booleans()):
        paid = (total_guess * Decimal(draw(st.sampled_from([10, 25, 40]))) / 100).quantize(q)
        # Sometimes dated ahead: a transfer the client announced, counted from its date.
        day = max(issued, built + dt.timedelta(days=draw(st.integers(-3, 4))))
        tail += ["", "[[payments]]", f"date = {day}", f"amount = {money_text(paid)}"]
    return "+++\n" + "\n".join([*lines, "", *tail]) + "\n+++\nThank you.\n"


def moments_of(loaded: Site, inv: Invoice, built: dt.date) -> list[dt.datetime]:
    """The instants where the page's block changes, from the build's instant on."""
    tz = loaded.settings.tz
    fig = derive(inv, built, tz)
    seg = segments_view(inv, fig, loaded.settings, Formatter(inv.language, inv.currency))
    return [m for m, _ in seg.moments]


def due_text(tm, f, tz, tr, today: dt.date, language: str) -> str | None:
    """The line under the figure: its date, then "in 8 days" counted from `today`."""
    if tm is None or not (tm.due or tm.offers):
        return None
    text, day = due_line(tm, f, tz, tr)
    days = (day - today).days
    return f"{text} · {tr.gettext('today') if days == 0 else relative_days(days, language)}"


def expected(loaded: Site, inv: Invoice, built: dt.date, instant: dt.datetime) -> dict[str, Any]:
    """What every amount-bearing element must say at `instant`, from derive() at that instant."""
    settings = loaded.settings
    tz = settings.tz
    tr = translations(settings.theme_dir, inv.language)
    fig = derive(inv, built, tz, instant)
    f = Formatter(inv.language, inv.currency)
    tm = terms(inv, fig, f, tz, tr)
    today = local_day(instant, tz)
    payable = tm is not None
    parts = []
    for p in fig.parts:
        later = p.state is PartState.DUE and p.due > today
        parts.append((p.state.value, tr.gettext("Next payment") if later else None))
    return {
        "fig": fig, "payable": payable,
        "status": tr.gettext(STATUS[fig.status.value]),
        "amount": f.money(fig.due_now) if payable else None,
        "raw": plain_amount(fig.due_now, inv.currency) if payable else None,
        "label": tm.label if tm else None, "terms": tm.now if tm else None,
        "next": tm.next if tm else None,
        "dues": tm.due if tm else (), "offers": tm.offers if tm else (),
        "pay": tr.gettext("Pay %(amount)s") % {"amount": f.money(fig.due_now)},
        "message": countdown_view(inv, fig, settings, f)["message"],
        "due_line": due_text(tm, f, tz, tr, today, inv.language),
        "parts": parts,
        "paid": [f.money(fig.paid)] if fig.paid else [],
        "balance": [] if inv.void else [f.money(fig.balance)],
        "received": sum(p.date <= today for p in inv.payments),
    }
