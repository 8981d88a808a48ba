"""Countdown: deadlines, stages, price tiers and milestones as pure functions of time.

Rules shared with the page's inline script (themes/default/templates/countdown_script.html),
which must agree with them at every instant (tests/test_countdown_browser.py checks both
against one table of cases):

- A deadline given as a date alone ("pay by 25 November") lasts the whole of that day in the
  site's time zone: it passes at the next midnight there. With a time, it passes at that
  local time. Deadlines are compared as UTC instants, so the viewer's own zone never matters.
- The build's instant for `--today D` is the start of D (00:00) in the site's time zone:
  the page a build writes is what is true from the first moment of that day.
- A day count ("due in 3 days") is the difference of calendar dates in the site's time zone,
  never of 24-hour spans, so DST changes and leap days cannot shift it.
- A price tier (or an early-payment discount) is in force while the instant is before its
  deadline; after the last one, the full amount applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

UTC = dt.UTC


@dataclass(frozen=True)
class Deadline:
    """A pay-by moment as the owner wrote it: a date, and optionally a time, in the site's zone."""

    day: dt.date
    time: dt.time | None = None

    def instant(self, tz: ZoneInfo) -> dt.datetime:
        if self.time is None:
            return start_of_day(self.day + dt.timedelta(days=1), tz)
        return dt.datetime.combine(self.day, self.time, tzinfo=tz).astimezone(UTC)

    def __str__(self) -> str:
        return self.day.isoformat() + (f" {self.time:%H:%M}" if self.time else "")


@dataclass(frozen=True)
class Milestone:
    by: Deadline
    message: str
    after: str | None = None  # what the page says once the deadline has passed
    after_due_reason: str | None = None  # why a milestone may fall after the due date


@dataclass(frozen=True)
class Incentive:
    by: Deadline
    percent: Decimal
    kind: str  # "off": the client pays less; "back": the client pays in full, gets some back
    review_url: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class Tier:
    by: Deadline
    amount: Decimal  # the whole invoice's price when paid by `by`
    label: str | None = None


@dataclass(frozen=True)
class Video:
    kind: str  # "youtube" | "vimeo" | "file"
    ref: str  # video id, or the file's path relative to content/
    watch_url: str | None  # where a click without JavaScript goes
    embed_url: str | None  # loaded into an iframe only after the client clicks


@dataclass(frozen=True)
class Countdown:
    """Everything an invoice says about time, beyond its due dates. Empty by default."""

    milestones: tuple[Milestone, ...] = ()
    show_passed: bool = True
    incentive: Incentive | None = None
    tiers: tuple[Tier, ...] = ()
    late_fee: str | None = None
    video: Video | None = None

    def video_file(self, content_dir: Path) -> Path | None:
        """The video file from content/ that is published beside the page, if any."""
        video = self.video
        return content_dir / video.ref if video is not None and video.kind == "file" else None


NO_COUNTDOWN = Countdown()


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


def start_of_day(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The first instant of `day` in `tz`, as UTC (midnight exists in every IANA zone we ship)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(UTC)


def build_instant(today: dt.date, tz: ZoneInfo) -> dt.datetime:
    return start_of_day(today, tz)


def local_day(instant: dt.datetime, tz: ZoneInfo) -> dt.date:
    return instant.astimezone(tz).date()


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


def current_tier(deadlines: list[dt.datetime], instant: dt.datetime) -> int | None:
    """Index of the first tier whose deadline has not passed at `instant`; None after all."""
    return next((n for n, d in enumerate(deadlines) if instant < d), None)


def next_milestone(deadlines: list[dt.datetime], instant: dt.datetime) -> int | None:
    return current_tier(deadlines, instant)


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
    from generator.money import percent_of

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
