"""The calendar file's text rules (render/ics.py), their fast paths included: every TEXT
value escaped as RFC 5545 asks, every long line folded at 75 octets without splitting a
character, checked character by character against the rules themselves."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.ics import escape, fold


def folded_by_the_rule(line: str) -> str:
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def escaped_by_the_rule(text: str) -> str:
    text = "\n".join(text.splitlines())
    text = "".join(c for c in text if c in "\t\n" or unicodedata.category(c) != "Cc")
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


TEXT = st.one_of(st.text(alphabet="ab ,;\\", max_size=300), st.text(max_size=200),
                 st.text(alphabet="aé€😀 \n\r\x0b\x85\u2028\t\x00", max_size=120))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_fold_is_the_75_octet_rule(line):
    assert fold(line) == folded_by_the_rule(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in fold(line).split("\r\n"))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_escape_is_the_text_rule(text):
    assert escape(text) == escaped_by_the_rule(text)


def test_the_dropped_characters_are_unicodes_control_characters():
    from generator.render.ics import _CONTROLS

    controls = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"}
    assert set(_CONTROLS) == controls - {ord("\t"), ord("\n")}
    assert set(_CONTROLS.values()) == {None}


def calendar_line_by_line(events, url, stamp) -> bytes:
    """The calendar file as first written, every line built and folded in turn: the
    reference for calendar(), which writes its fixed lines once."""
    from generator.render.ics import PRODID, REMINDER

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for ev in events:
        lines += ["BEGIN:VEVENT", f"UID:{ev.uid}", f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
                  f"DTSTART;VALUE=DATE:{ev.day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{ev.day + dt.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{escape(ev.summary)}", f"DESCRIPTION:{escape(ev.description)}",
                  f"URL:{url}", "TRANSP:TRANSPARENT", "BEGIN:VALARM", "ACTION:DISPLAY",
                  f"DESCRIPTION:{escape(ev.summary)}", f"TRIGGER:{REMINDER}", "END:VALARM",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


@st.composite
def due_events(draw: st.DrawFn) -> list:
    from generator.render.ics import DueEvent

    # (a day before 9999-12-31: an event ends the day after)
    return [DueEvent(draw(st.text(max_size=90)), draw(st.dates(max_value=dt.date(9998, 12, 31))),
                     draw(TEXT), draw(TEXT)) for _ in range(draw(st.integers(0, 3)))]


@settings(max_examples=150, deadline=None)
@given(due_events(), st.text(max_size=120), st.dates())
def test_calendar_is_written_line_by_line(events, url, stamp):
    from generator.render.ics import calendar

    assert calendar(events, url, stamp) == calendar_line_by_line(events, url, stamp)
