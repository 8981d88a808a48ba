"""What an invoice says about time beyond its due dates: deadlines, milestones, offers, video.

A deadline given as a date alone ("pay by 25 November") lasts the whole of that day in the
site's time zone: it passes at the next midnight there. With a time, it passes at that local
time. Deadlines are compared as UTC instants, so the viewer's own zone never matters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
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


def start_of_day(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The first instant of `day` in `tz`, as UTC (midnight exists in every IANA zone we ship)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(UTC)


def local_day(instant: dt.datetime, tz: ZoneInfo) -> dt.date:
    return instant.astimezone(tz).date()
