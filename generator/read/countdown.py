"""An invoice's countdown fields: milestones, incentive, price tiers, late fee, video.

Every problem goes through the same Reader machinery (file, line, field, what would be
valid); what needs the invoice's total is checked in figures/checks.py."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from generator.confine import confined_file, described
from generator.fields import MISSING, Reader, shown, url_parts
from generator.model.countdown import Countdown, Deadline, Incentive, Milestone, Tier, Video
from generator.money import HUNDRED

COUNTDOWN_FIELDS = ("milestones", "passed_milestones", "incentive", "price_tiers", "late_fee",
                    "video")

VIDEO_FILES = (".mp4", ".webm", ".ogv", ".mov")

_YT_ID = re.compile(r"[A-Za-z0-9_\-]{11}")

_DEADLINE_HELP = "a date such as 2026-11-25, or a date and time such as 2026-11-25T18:00"


def read_deadline(r: Reader, key: str, required: bool = True) -> Deadline | None:
    value = r.raw(key)
    if value is MISSING:
        if required:
            r.error(key, f"missing required field (expected {_DEADLINE_HELP})")
        return None
    result = to_deadline(value)
    if isinstance(result, str):
        r.error(key, f"{result} (got {shown(value)})")
        return None
    return result


def to_deadline(value: Any) -> Deadline | str:
    if isinstance(value, str):
        text = value.strip().replace(" ", "T", 1)
        try:
            value = dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
        except ValueError:
            return f"expected {_DEADLINE_HELP}"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return ("deadlines are in the site's time zone (site.toml 'timezone'); "
                    "remove the UTC offset")
        return Deadline(value.date(), value.time().replace(second=0, microsecond=0))
    if isinstance(value, dt.date):
        return Deadline(value)
    if isinstance(value, dt.time):
        return "a time needs a date too, such as 2026-11-25T18:00"
    return f"expected {_DEADLINE_HELP}"


def read_countdown(r: Reader, issued: dt.date | None, due: dt.date | None,
                   content_dir: Path) -> Countdown:
    milestones = read_milestones(r, due)
    passed = r.choice("passed_milestones", ("show", "hide"), default="show")
    incentive = None
    inc_r = r.table("incentive")
    if inc_r is not None:
        incentive = read_incentive(inc_r, due)
    tiers = read_tiers(r, due)
    if incentive is not None and tiers:
        r.error("price_tiers", "give either [incentive] or [[price_tiers]], not both: an "
                               "early-payment discount is a single price tier")
    late_fee = r.str("late_fee")
    video = read_video(r, content_dir)
    return Countdown(tuple(milestones), passed == "show", incentive, tuple(tiers), late_fee,
                     video)


def read_milestones(r: Reader, due: dt.date | None) -> list[Milestone]:
    found: list[Milestone] = []
    previous: Deadline | None = None
    for t in r.tables("milestones"):
        by = read_deadline(t, "by")
        message = t.str("message", required=True)
        after = t.str("after")
        reason = t.str("after_due_reason")
        t.finish(("by", "message", "after", "after_due_reason"))
        if by is None or message is None:
            continue
        if previous is not None and by.instant(dt.UTC) <= previous.instant(dt.UTC):
            t.error("by", f"milestones must be listed in order of their deadlines; {by} is not "
                          f"after the previous milestone's {previous}")
        if due is not None and by.day > due and not reason:
            t.error("by", f"{by} is after the invoice's due date {due}; move it, or say why "
                          "in 'after_due_reason'")
        previous = by
        found.append(Milestone(by, message, after, reason))
    return found


def read_incentive(r: Reader, due: dt.date | None) -> Incentive | None:
    by = read_deadline(r, "by")
    percent = r.decimal("percent", required=True, positive=True)
    if percent is not None and percent >= HUNDRED:
        r.error("percent", f"must be less than 100 (got {percent})")
        percent = None
    kind = r.choice("kind", ("off", "back"), default="off")
    review_url = r.str("review_url")
    review = url_parts(review_url) if review_url is not None else None
    if review_url is not None and (review is None or review.scheme not in ("http", "https")):
        r.error("review_url", f"expected an http(s) link such as https://g.page/r/... "
                              f"(got {review_url!r})")
    message = r.str("message")
    r.finish(("by", "percent", "kind", "review_url", "message"))
    if by is not None and due is not None and by.day > due:
        r.error("by", f"the incentive ends {by}, after the invoice's due date {due}; an "
                      "early-payment incentive must end on or before the due date")
        return None
    if by is None or percent is None:
        return None
    return Incentive(by, percent, kind, review_url, message)


def read_tiers(r: Reader, due: dt.date | None) -> list[Tier]:
    found: list[Tier] = []
    for t in r.tables("price_tiers"):
        by = read_deadline(t, "by")
        amount = t.decimal("amount", required=True, positive=True)
        label = t.str("label")
        t.finish(("by", "amount", "label"))
        if by is None or amount is None:
            continue
        if found and by.instant(dt.UTC) <= found[-1].by.instant(dt.UTC):
            t.error("by", f"price tiers must be listed in order of their deadlines; {by} is "
                          f"not after {found[-1].by}")
        elif found and amount < found[-1].amount:
            t.error("amount", f"a later tier must not be cheaper: {amount} by {by} is less "
                              f"than {found[-1].amount} by {found[-1].by}")
        if due is not None and by.day > due:
            t.error("by", f"{by} is after the invoice's due date {due}; the full price "
                          "applies after the last tier, so tiers end on or before the due date")
        found.append(Tier(by, amount, label))
    return found


def read_video(r: Reader, content_dir: Path) -> Video | None:
    link = r.str("video")
    if link is None:
        return None
    parsed = video_from_link(link)
    if isinstance(parsed, Video):
        if parsed.kind == "file":
            path = content_dir / parsed.ref
            if not os.path.normpath(path).startswith(os.path.normpath(content_dir) + os.sep):
                r.error("video", f"a video file must be inside content/ (got {link!r})")
                return None
            wrong = confined_file(path, content_dir)
            if wrong:
                r.error("video", described(f"content/{parsed.ref}", wrong))
                return None
        return parsed
    r.error("video", parsed)
    return None


def video_from_link(link: str) -> Video | str:
    """A YouTube or Vimeo link, or a video file's path relative to content/."""
    parts = url_parts(link.strip())
    if parts is None:
        return f"not a link or a file name Remit can read: {link!r}"
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if parts.scheme in ("http", "https"):
        vid = None
        if host in ("youtube.com", "youtube-nocookie.com"):
            if parts.path == "/watch":
                vid = (parse_qs(parts.query).get("v") or [""])[0]
            elif parts.path.startswith(("/embed/", "/shorts/", "/live/")):
                vid = parts.path.split("/")[2]
        elif host == "youtu.be":
            vid = parts.path.strip("/")
        elif host in ("vimeo.com", "player.vimeo.com"):
            digits = [p for p in parts.path.split("/") if p.isdigit()]
            if digits:
                return Video("vimeo", digits[0], f"https://vimeo.com/{digits[0]}",
                             f"https://player.vimeo.com/video/{digits[0]}?autoplay=1&dnt=1")
            return f"no video number in this Vimeo link {link!r} (expected https://vimeo.com/123456789)"
        else:
            return (f"unsupported video host {host!r}; use a YouTube or Vimeo link, or a video "
                    "file in content/ such as videos/hello.mp4")
        if vid is None or not _YT_ID.fullmatch(vid):
            return (f"no video id in this YouTube link {link!r} (expected "
                    "https://www.youtube.com/watch?v=XXXXXXXXXXX or https://youtu.be/XXXXXXXXXXX)")
        return Video("youtube", vid, f"https://www.youtube.com/watch?v={vid}",
                     f"https://www.youtube-nocookie.com/embed/{vid}?autoplay=1")
    if parts.scheme or parts.netloc:
        return f"expected an https link to YouTube or Vimeo, or a file in content/ (got {link!r})"
    if Path(parts.path).suffix.lower() not in VIDEO_FILES:
        return (f"a video file must be one of {', '.join(VIDEO_FILES)} (got {link!r}); or use "
                "a YouTube or Vimeo link")
    return Video("file", parts.path.lstrip("/"), None, None)
