"""The invoice's due dates as an iCalendar file (RFC 5545) the client adds with one tap.

Pure: the bytes are a function of the invoice, its figures and its URL. DTSTAMP comes from
the issue date, never the clock, and each event's UID from the invoice's path, so a rebuild
gives identical bytes and a calendar that re-imports the file updates its events in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from babel.support import NullTranslations

from generator import i18n
from generator.figures.derive import Figures, Status
from generator.model.invoice import Invoice
from generator.urls import calendar_name

# What escape() drops: Unicode's control characters (category Cc: U+0000-001F and
# U+007F-009F), less tab and line feed. tests/test_ics_text.py checks the list.
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)])
del _CONTROLS[ord("\t")], _CONTROLS[ord("\n")]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # the same characters

PRODID = "-//Remit//Invoice due dates//EN"
# 09:00 on the day before an all-day event (which starts at midnight): time to pay calmly.
REMINDER = "-PT15H"


@dataclass(frozen=True)
class DueEvent:
    uid: str
    day: dt.date
    summary: str
    description: str


@dataclass(frozen=True)
class CalendarFile:
    name: str  # file name inside the invoice's folder
    data: bytes
    events: int


def due_events(inv: Invoice, fig: Figures, url: str, path: str,
               t: NullTranslations) -> list[DueEvent]:
    """One all-day event per part still to pay; none once the invoice is paid or void."""
    if fig.status in (Status.PAID, Status.VOID, Status.DRAFT):
        return []
    _ = t.gettext
    seller = inv.seller.display_name
    key = hashlib.sha256(path.encode()).hexdigest()[:24]
    host = urlsplit(url).hostname or "remit.invalid"
    events = []
    for part in fig.parts:
        if part.remaining <= 0:
            continue
        amount = i18n.money(part.remaining, inv.currency, inv.language)
        date = i18n.date(part.due, inv.language)
        summary = _("Pay invoice %(number)s to %(seller)s: %(amount)s") % {
            "number": inv.number, "seller": seller, "amount": amount}
        description = _("%(amount)s for invoice %(number)s from %(seller)s is due on "
                        "%(date)s. The invoice and ways to pay:") % {
            "amount": amount, "number": inv.number, "seller": seller, "date": date}
        events.append(DueEvent(f"{part.kind}-{part.index}-{key}@{host}", part.due, summary,
                               f"{description}\n{url}"))
    return events


_HEAD = "".join(f"{line}\r\n" for line in (
    "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH"))
_TAIL = "END:VCALENDAR\r\n"


def calendar(events: list[DueEvent], url: str, stamp: dt.date) -> bytes:
    # The fixed lines are short (never folded) and written once; only the lines that carry
    # the invoice's own text can pass 75 octets, and go through fold().
    url_line = fold(f"URL:{url}")
    out = [_HEAD]
    for ev in events:
        summary = escape(ev.summary)
        out.append(
            f"BEGIN:VEVENT\r\n{fold(f'UID:{ev.uid}')}\r\n"
            f"DTSTAMP:{stamp:%Y%m%d}T000000Z\r\n"
            f"DTSTART;VALUE=DATE:{ev.day:%Y%m%d}\r\n"
            f"DTEND;VALUE=DATE:{ev.day + dt.timedelta(days=1):%Y%m%d}\r\n"
            f"{fold(f'SUMMARY:{summary}')}\r\n"
            f"{fold(f'DESCRIPTION:{escape(ev.description)}')}\r\n"
            f"{url_line}\r\nTRANSP:TRANSPARENT\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
            f"{fold(f'DESCRIPTION:{summary}')}\r\nTRIGGER:{REMINDER}\r\n"
            "END:VALARM\r\nEND:VEVENT\r\n")
    out.append(_TAIL)
    return "".join(out).encode("utf-8")


def calendar_file(inv: Invoice, fig: Figures, url: str, path: str,
                  t: NullTranslations) -> CalendarFile | None:
    events = due_events(inv, fig, url, path, t)
    if not events:
        return None
    return CalendarFile(calendar_name(inv.number), calendar(events, url, inv.issued), len(events))


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped; every kind of line break (CR, LF,
    VT, NEL, U+2028, ...) as the two characters \\n; other control characters, which RFC 5545
    forbids in TEXT, dropped (a tab is allowed)."""
    if not text.isprintable():  # else there is no line break or control character at all
        text = "\n".join(text.splitlines())
        if _CONTROL.search(text):  # rare: translating through a dict costs ~70 ns a character
            text = text.translate(_CONTROLS)
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets continue after CRLF + space, never splitting a character."""
    if len(line) <= 18 or len(line.encode("utf-8")) <= 75:  # most lines: nothing to fold
        return line
    if line.isascii():  # one octet a character: 75 of them, then 74 after each space
        return "\r\n ".join([line[:75], *(line[i:i + 74] for i in range(75, len(line), 74))])
    # 75 octets, then 74 after each space, each piece cut back to where a character starts
    # (a UTF-8 continuation byte is 10xxxxxx).
    data = line.encode("utf-8")
    pieces, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        pieces.append(data[start:cut].decode("utf-8"))
        start, limit = cut, 74
    pieces.append(data[start:].decode("utf-8"))
    return "\r\n ".join(pieces)
