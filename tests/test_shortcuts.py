"""The per-page work a build saves gives what the straightforward computation gives."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.figures.derive import derive
from generator.figures.timeline import timeline
from generator.figures.totals import totals
from generator.model.countdown import local_day
from generator.read.site import load_site


def test_derive_with_the_known_totals_equals_derive_alone(example_site):
    site = load_site(example_site.root, create_secret=False)
    tz = site.settings.tz
    moments = 0
    for inv in site.published:
        for today in (inv.issued, inv.due, inv.due + dt.timedelta(days=40)):
            fig = derive(inv, today, tz)
            for at, later in timeline(inv, tz, fig):
                moments += 1
                assert later == derive(inv, local_day(at, tz), tz, at), (inv.number, at)
                assert later.totals == totals(inv)
    assert moments > 3 * len(site.published)  # the timelines do reach later moments


HOSTILE_NOTES = [
    "<p>Thanks!</p>", '<a href="javascript:alert(1)">x</a> <a href="https://a.example/">ok</a>',
    "<script>alert(1)</script><style>p{}</style><p onclick=x>hi</p><!-- c -->",
    '<img src="https://evil.example/x.png"><img src="data:image/png;base64,AA">',
    '<img src="../../static/logo.svg" alt="logo"><img src="/nowhere.png">',
    '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>'
    '<div class="footnote x"><ol><li id="fn:1">n</li></ol></div>',
    '<table><tr><td colspan="2" style="x">a</td></tr></table><svg><text>t</text></svg>',
]


def _straight(html: str, page_url: str, static_url: str, images: frozenset[str]) -> str:
    """The sanitiser as built for each call, the way it was before one Cleaner served all."""
    from urllib.parse import urljoin

    import nh3

    from generator.view import markdown as md

    def allow(element: str, attribute: str, value: str) -> str | None:
        if attribute == "href" and value.startswith(("#fn:", "#fnref:")):
            return "#" + md.ID_PREFIX + value[1:]
        if element == "img" and attribute == "src":
            where = urljoin(page_url, value.strip()).split("#", 1)[0].split("?", 1)[0]
            return value if where in images else None
        return value

    return nh3.clean(html, tags=set(md.TAGS), clean_content_tags=set(md.DROPPED_WITH_CONTENT),
                     attributes={k: set(v) for k, v in md.ATTRIBUTES.items()},
                     attribute_filter=allow, strip_comments=True,
                     link_rel="noopener noreferrer", url_schemes=set(md.SCHEMES),
                     allowed_classes={k: set(v) for k, v in md.CLASSES.items()},
                     id_prefix=md.ID_PREFIX)


def test_the_one_cleaner_sanitises_as_a_cleaner_built_per_note():
    from concurrent.futures import ThreadPoolExecutor

    from generator.view.markdown import NoteImageError, sanitise

    page, static = "https://x.example/inv/a/", "https://x.example/static/"
    images = frozenset({static + "logo.svg"})

    def both(html: str) -> tuple[str, str]:
        try:
            ours = sanitise(html, page, static, images)
        except NoteImageError:
            ours = "refused"
        return ours, _straight(html, page, static, images)

    # Threads at once (watch mode's server): each call sees its own page and images.
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(both, HOSTILE_NOTES * 20))
    refused = 0
    for (ours, straight), html in zip(results, HOSTILE_NOTES * 20, strict=True):
        if ours == "refused":
            refused += 1
            assert "evil.example" in html or "nowhere" in html
        else:
            assert ours == straight, html
    assert refused == 20  # the note with an image from the web, each of its 20 times
    kept = sanitise(HOSTILE_NOTES[4], page, static, images)
    assert 'src="../../static/logo.svg"' in kept and "nowhere" not in kept


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_breaks_lines_is_the_character_categories_check(text):
    import unicodedata

    from generator.payments.base import breaks_lines

    assert breaks_lines(text) == any(unicodedata.category(c) in ("Cc", "Zl", "Zp")
                                     for c in text)


@pytest.mark.parametrize("ch", ["\t", "\r", "\x0b", "\x85", "\u2028", "\u2029", "\x7f", "\u00a0",
                                "\u200b", "\u3000", " "])
def test_breaks_lines_on_each_kind_of_break_and_not_on_spaces(ch):
    import unicodedata

    from generator.payments.base import breaks_lines

    assert breaks_lines(f"Anna{ch}Lindqvist") == (unicodedata.category(ch) in ("Cc", "Zl", "Zp"))


def test_script_json_escapes_as_replacing_every_character_does():
    from generator.view.countdown import script_json

    for text in ["plain", "</script><!--<script>", "a & b > c", "line\u2028sep\u2029", "ÄÖ"]:
        data = {"t": text, "n": [text, 1]}
        expected = json.dumps(data, ensure_ascii=False, sort_keys=True)
        for ch in "<>&\u2028\u2029":
            expected = expected.replace(ch, f"\\u{ord(ch):04x}")
        assert script_json(data) == expected
        assert json.loads(script_json(data)) == data


def test_countdown_data_from_the_segments_values_equals_its_own(example_site):
    """The countdown reuses each moment's message values that the page's blocks worked out;
    worked out again, they give the same view (its script data, its message)."""
    from generator.view.countdown import countdown_view
    from generator.view.format import Formatter
    from generator.view.segments import segments_view

    site = load_site(example_site.root, create_secret=False)
    settings = site.settings
    payable = 0
    for inv in site.published:
        for today in (inv.issued, inv.due + dt.timedelta(days=3)):
            fig = derive(inv, today, settings.tz)
            f = Formatter(inv.language, inv.currency)
            seg = segments_view(inv, fig, settings, f)
            shared = countdown_view(inv, fig, settings, f, seg.moments, seg.block_of, seg.said)
            own = countdown_view(inv, fig, settings, f, seg.moments, seg.block_of)
            assert shared == own, (inv.number, today)
            assert shared["message"] == seg.blocks[0]["message"]
            payable += shared["payable"]
    assert payable > 5


def test_remembered_duration_units_read_as_babel_writes_them():
    from decimal import Decimal
    from pathlib import Path

    from babel.units import format_unit

    from generator import i18n

    theme_dir = Path(__file__).resolve().parent.parent / "themes" / "default"
    for language in ("en", "ru", "af", "de"):
        for unit in ("minute", "hour", "day", "week", "month", "year"):
            for text in ("1", "1.0", "1.5", "1.50", "2", "3", "5", "8", "0.25", "21", "100"):
                want = format_unit(Decimal(text), f"duration-{unit}", length="long",
                                   locale=language)
                for _twice in range(2):  # the second answer comes from the memo
                    got = i18n.quantity(Decimal(text), f"{unit}s", language, theme_dir)
                    assert got == want, (language, unit, text)


def test_remembered_clock_reads_as_babel_writes_it():
    from zoneinfo import ZoneInfo

    from babel.dates import format_time, get_timezone_location

    from generator import i18n

    for zone in ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"):
        tz = ZoneInfo(zone)
        for language in ("en", "ru", "af", "de"):
            for time in (dt.time(0, 0), dt.time(9, 30), dt.time(18, 0), dt.time(23, 59)):
                city = get_timezone_location(tz, locale=language, return_city=True)
                want = f"{format_time(time, 'short', locale=language)} ({city})"
                assert i18n.clock(time, language, tz) == want
                assert i18n.clock(time, language, tz) == want  # from the memo


def test_remembered_pdf_sizes_read_as_babel_writes_them():
    from babel.units import format_unit

    from generator.render.invoice import size_text

    for language in ("en", "ru", "af"):
        for size in (1, 499, 500, 1500, 48_000, 48_499, 999_999, 12_345_678):
            kb = max(1, round(size / 1000))
            want = format_unit(kb, "digital-kilobyte", length="short", locale=language)
            assert size_text(size, language) == want == size_text(size, language)
