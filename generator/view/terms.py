"""Amounts paired with their dates: wording that stays true on any later day it is read.

A page, a PDF or a chat message is read days after it was made. A bare amount ("€1,139.71")
is true only until an offer ends or a part falls due; paired with its date ("€1,139.71 if
paid by 26 November, otherwise €1,199.69 by 3 December") it stays true. The page, the PDF
(and its print template) and `remit share` all take their sentences from here, as plain
strings, so they cannot name different amounts or dates for the same moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.support import NullTranslations

from generator import i18n
from generator.figures import countdown as cdn
from generator.figures.derive import Figures, Part, Status
from generator.figures.totals import ZERO
from generator.model.countdown import Deadline, local_day
from generator.model.invoice import Invoice
from generator.view.format import Formatter

NOT_PAYABLE = (Status.PAID, Status.VOID, Status.DRAFT)


@dataclass(frozen=True)
class Due:
    """What is still owed on one date: the parts due that day, added up."""

    amount: Decimal
    day: dt.date
    late: bool  # the date is before the day the figures are for


@dataclass(frozen=True)
class Offer:
    """A lower price in force until an instant (a tier, an early-payment discount)."""

    amount: Decimal
    by: Deadline


@dataclass(frozen=True)
class Terms:
    """The figure's label and its sentences, for one instant (Figures.instant)."""

    label: str  # "Amount due" | "Due now" | "Next payment"
    now: str  # the figure's amount(s) paired with dates, offers first
    more: str  # other late parts, for the stage message ("" when there are none)
    next: str  # the first part after what is due now ("" when there is none)
    offers: tuple[Offer, ...]
    due: tuple[Due, ...]  # what makes up the amount due now, earliest first
    following: Due | None


def due_groups(parts: tuple[Part, ...], up_to: dt.date | None, today: dt.date) -> list[Due]:
    """Unpaid parts due on or before `up_to`, one entry per due date."""
    out: dict[dt.date, Decimal] = {}
    for p in parts:
        if p.remaining > 0 and up_to is not None and p.due <= up_to:
            out[p.due] = out.get(p.due, ZERO) + p.remaining
    return [Due(a, d, d < today) for d, a in sorted(out.items())]


def open_offers(inv: Invoice, fig: Figures) -> list[Offer]:
    """The offer in force and every later one, each with the amount it asks for now."""
    if fig.price.step is None:
        return []
    steps = cdn.price_steps(inv.countdown, fig.totals.total, inv.currency)
    return [Offer(max(s.amount - fig.paid, ZERO), s.by) for s in steps[fig.price.step:]]


def when(d: Deadline, f: Formatter, tz: ZoneInfo) -> str:
    """A deadline as a date, with its time and the site's city when it has one."""
    text = f.date(d.day)
    if d.time is not None:
        text += f", {i18n.clock(d.time, f.language, tz)}"
    return text


# The last few answers of terms(), for the very same objects (compared by identity, and
# held, so that no other object can take their id): one page asks for each moment's terms
# three times (its block, its stage message, the countdown script's data).
_recent: dict[int, tuple[tuple[object, ...], Terms | None]] = {}
_RECENT_MAX = 32


def terms(inv: Invoice, fig: Figures, f: Formatter, tz: ZoneInfo,
          t: NullTranslations) -> Terms | None:
    """None when nothing is asked for: paid, void, draft, or nothing left to pay."""
    args = (inv, fig, f, tz, t)
    hit = _recent.get(id(fig))
    if hit is not None and all(a is b for a, b in zip(hit[0], args, strict=True)):
        return hit[1]
    if len(_recent) >= _RECENT_MAX:
        _recent.clear()
    result = _terms(inv, fig, f, tz, t)
    _recent[id(fig)] = (args, result)
    return result


def _terms(inv: Invoice, fig: Figures, f: Formatter, tz: ZoneInfo,
           t: NullTranslations) -> Terms | None:
    if fig.status in NOT_PAYABLE or fig.due_now <= 0 or fig.instant is None:
        return None
    _ = t.gettext
    today = local_day(fig.instant, tz)
    due = due_groups(fig.parts, fig.due_now_date, today)
    later = [p for p in fig.parts if p.remaining > 0 and fig.due_now_date is not None
             and p.due > fig.due_now_date]
    following = Due(sum((p.remaining for p in later if p.due == later[0].due), ZERO),
                    later[0].due, False) if later else None

    def pair(d: Due) -> str:
        text = _("%(amount)s was due on %(date)s") if d.late else _("%(amount)s due by %(date)s")
        return text % {"amount": f.money(d.amount), "date": f.date(d.day)}

    # "; " and ", " join clauses the same way in all three languages we ship.
    now = "; ".join(pair(d) for d in due)
    offers = open_offers(inv, fig)
    if offers:
        offered = ", ".join(_("%(amount)s if paid by %(date)s") % {
            "amount": f.money(o.amount), "date": when(o.by, f, tz)} for o in offers)
        now = _("%(offers)s, otherwise %(rest)s") % {"offers": offered, "rest": now}
    whole = fig.price.full == fig.balance
    if whole:
        label = _("Amount due")
    elif fig.due_now_date is not None and fig.due_now_date <= today:
        label = _("Due now")
    else:
        label = _("Next payment")
    late = [d for d in due if d.late]
    more = _("Also outstanding: %(list)s.") % {"list": "; ".join(pair(d) for d in late[1:])} \
        if len(late) > 1 else ""
    nxt = _("After that: %(amount)s by %(date)s.") % {
        "amount": f.money(following.amount), "date": f.date(following.day)} \
        if following else ""
    return Terms(label, now, more, nxt, tuple(offers), tuple(due), following)


def holds_until(end: dt.datetime | None, f: Formatter, tz: ZoneInfo,
                t: NullTranslations) -> str:
    """Until when a page's figures hold, for a reader whose page does not update itself."""
    if end is None:
        return ""
    local = end.astimezone(tz)
    if local.time() == dt.time(0):
        return t.gettext("These amounts and dates apply through %(date)s.") % {
            "date": f.date(local.date() - dt.timedelta(days=1))}
    return t.gettext("These amounts and dates apply until %(date)s.") % {
        "date": when(Deadline(local.date(), local.time().replace(tzinfo=None)), f, tz)}


def due_line(tm: Terms, f: Formatter, tz: ZoneInfo, t: NullTranslations) -> tuple[str, dt.date]:
    """The date the figure is due by, as its own line ("Due 2 December 2026"), and its day
    (the page adds "in 8 days"). While an offer is open the figure holds until the offer
    ends, so the line names that deadline, not the invoice's due date."""
    _ = t.gettext
    if tm.offers:
        by = tm.offers[0].by
        return _("Pay by %(date)s") % {"date": when(by, f, tz)}, by.day
    first = tm.due[0]
    text = _("Was due %(date)s") if first.late else _("Due %(date)s")
    return text % {"date": f.date(first.day)}, first.day
