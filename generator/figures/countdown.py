"""Countdown: stages, price tiers and time left as pure functions of time.

Rules shared with the page's inline script (themes/default/templates/countdown_script.html),
which must agree with them at every instant (tests/test_countdown_browser.py checks both
against one table of cases):

- A deadline lasts to the end of its day, or to its time, in the site's time zone
  (model/countdown.py); deadlines are compared as UTC instants.
- The build's instant for `--today D` is the start of D (00:00) in the site's time zone:
  the page a build writes is what is true from the first moment of that day.
- A day count ("due in 3 days") is the difference of calendar dates in the site's time zone,
  never of 24-hour spans, so DST changes and leap days cannot shift it.
- A price tier (or an early-payment discount) is in force while the instant is before its
  deadline; after the last one, the full amount applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from generator.model.countdown import Countdown, Deadline, start_of_day
from generator.money import percent_of


class Stage(StrEnum):
    UPCOMING = "upcoming"  # due in more than 3 days
    SOON = "soon"  # due in 1 to 3 days
    TODAY = "today"
    OVERDUE_1 = "overdue_1"  # 1 to 6 days late
    OVERDUE_7 = "overdue_7"  # 7 to 13
    OVERDUE_14 = "overdue_14"  # 14 to 29
    OVERDUE_30 = "overdue_30"  # 30 and more
    PARTIAL = "partial"  # something paid, the rest not yet late
    PAID = "paid"
    VOID = "void"
    DRAFT = "draft"


SOON_DAYS = 3

OVERDUE_STEPS = ((30, Stage.OVERDUE_30), (14, Stage.OVERDUE_14), (7, Stage.OVERDUE_7),
                 (1, Stage.OVERDUE_1))


def build_instant(today: dt.date, tz: ZoneInfo) -> dt.datetime:
    return start_of_day(today, tz)


def stage(*, void: bool, draft: bool, balance: Decimal, paid: Decimal,
          days_left: int | None) -> Stage:
    """Which default wording applies: late stages grow clearer, never sterner."""
    if draft:
        return Stage.DRAFT
    if void:
        return Stage.VOID
    if balance <= 0 or days_left is None:
        return Stage.PAID
    if days_left < 0:
        return next(s for n, s in OVERDUE_STEPS if -days_left >= n)
    if paid > 0:
        return Stage.PARTIAL
    if days_left == 0:
        return Stage.TODAY
    return Stage.SOON if days_left <= SOON_DAYS else Stage.UPCOMING


def first_open(deadlines: list[dt.datetime], instant: dt.datetime) -> int | None:
    """Index of the first deadline (a tier's, a milestone's) not passed at `instant`; None
    after all."""
    return next((n for n, d in enumerate(deadlines) if instant < d), None)


def remaining(instant: dt.datetime, deadline: dt.datetime) -> tuple[tuple[int, str], ...]:
    """The countdown's units: days and hours, or hours and minutes within the last day.

    Minutes are rounded up, so the countdown never shows "0 minutes" while time is left.
    """
    seconds = int((deadline - instant).total_seconds())
    if seconds <= 0:
        return ()
    minutes = -(-seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return ((days, "day"), (hours, "hour")) if hours else ((days, "day"),)
    if hours:
        return ((hours, "hour"), (mins, "minute")) if mins else ((hours, "hour"),)
    return ((mins, "minute"),)


@dataclass(frozen=True)
class Step:
    """One price in force until `by`: a price tier, or the price after an early-payment discount."""

    by: Deadline
    amount: Decimal  # the whole invoice's price when paid in full by `by`
    label: str | None


def price_steps(cd: Countdown, total: Decimal, currency: str) -> tuple[Step, ...]:
    inc = cd.incentive
    if inc is not None and inc.kind == "off":
        return (Step(inc.by, total - percent_of(total, inc.percent, currency), None),)
    return tuple(Step(t.by, t.amount, t.label) for t in cd.tiers)


def settled_step(steps: tuple[Step, ...], payments: list[tuple[dt.date, Decimal]]) -> int | None:
    """The first step whose price the client had paid in full by its deadline's day, if any.

    Payments carry dates, not times, so a payment on a deadline's day counts as in time.
    """
    for n, step in enumerate(steps):
        if sum((a for d, a in payments if d <= step.by.day), Decimal(0)) >= step.amount:
            return n
    return None
