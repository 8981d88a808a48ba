"""The page's inline script in headless Chromium, with a controlled clock.

Pages are built for 2026-11-23 and opened at later instants: what the client sees must be what
a build for that instant would say (tests/countdown_cases.py), whatever the viewer's zone.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page

from generator.build import build
from tests.conftest import INVOICE
from tests.countdown_cases import BUILT, CASES, load_cases_site, state_at, utc, write_cases_site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(loaded site, {invoice number: file URL of its page}) built for BUILT."""
    root = tmp_path_factory.mktemp("browser")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", "test-secret")
        write_cases_site(root)
        build(root, today=BUILT)
        loaded = load_cases_site(root)
    urls = {}
    for page in (root / "output").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        urls[soup.select_one(".doc-id strong").get_text(strip=True)] = page.as_uri()
    return loaded, urls


def open_at(browser: Browser, url: str, instant: str | None, zone: str = "Europe/Berlin",
            js: bool = True) -> Page:
    context = browser.new_context(timezone_id=zone, java_script_enabled=js, locale="en-US")
    # Nothing may leave the machine: fail any request that is not the local file.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        "file:") else route.abort())
    page = context.new_page()
    if instant is not None:
        # Install a minute early, then pause exactly at the instant: pausing can only go
        # forward, and the fake clock ticks in real time between the two calls.
        page.clock.install(time=utc(instant) - dt.timedelta(minutes=1))
        page.clock.pause_at(utc(instant))
    page.goto(url)
    return page


def text(page: Page, selector: str) -> str:
    """The visible element's text: a page holds one block per state, all but one hidden."""
    # Collapse layout whitespace only: no-break spaces inside amounts are part of the text.
    found = page.locator(selector).locator("visible=true").first
    return re.sub(r"[ \t\r\n]+", " ", found.inner_text()).strip()


def message_of(page: Page) -> str:
    """The visible block's stage message. A payable block keeps it for print and the script
    but shows the due line instead (the message repeats the amount and the date)."""
    block = page.locator(".segment").locator("visible=true").first
    return re.sub(r"[ \t\r\n]+", " ", block.locator("[data-stage-message]").text_content()).strip()


def test_script_agrees_with_the_table_at_every_instant(browser, built):
    loaded, urls = built
    by_invoice: dict[str, list] = {}
    for case in CASES:
        by_invoice.setdefault(case[0], []).append(case)
    page = open_at(browser, urls["C-1"], None)
    for number, cases in by_invoice.items():
        page.goto(urls[number])
        stamps = [int(utc(c[1]).timestamp() * 1000) for c in cases]
        got = page.evaluate("ts => ts.map(t => window.remitCountdown.at(t))", stamps)
        for (_, instant, stage, amount, milestone, left), js in zip(cases, got, strict=True):
            assert (js["stage"], js["amount"], js["milestone"], js["left"]) == (
                stage, amount, milestone, left), (number, instant)
            # Word for word what the build would write at that instant.
            want = state_at(loaded, number, utc(instant))
            assert js["message"] == want["message"], (number, instant)
            # The block the script shows is the one the build made for that instant, and it
            # asks for the amount the model asks for then.
            assert js["block"] == want["block"]["index"], (number, instant)
            assert want["block"]["due_now"] == amount, (number, instant)
    page.context.close()


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_english_page_updates_message_amount_and_countdown(browser, built, zone):
    loaded, urls = built
    # Thursday 26 Nov, 23:30 in Berlin (17:30 in New York): the discount has just ended,
    # the first milestone has passed, one day is left for the second.
    instant = "2026-11-26T22:30:00Z"
    page = open_at(browser, urls["C-1"], instant, zone)
    assert text(page, "[data-amount-due]") == "€226.10"  # 30 minutes of discount left
    assert page.locator(".incentive").is_visible()
    assert text(page, ".incentive [data-left]") == "30 minutes left"
    expected = state_at(loaded, "C-1", utc(instant))
    assert message_of(page) == expected["message"]
    assert "€226.10 if paid by November 26, 2026, otherwise €238.00 due by November 30, " \
           "2026" in expected["message"]
    passed = page.locator(".milestone").nth(0)
    assert "is-passed" in passed.get_attribute("class")
    assert passed.locator(".milestone-after").is_visible()
    assert not passed.locator(".milestone-message").is_visible()
    assert text(page, ".milestone.is-next [data-left]") == "1 day left" == expected["left"]
    assert not page.locator("[data-late-fee]").is_visible()

    page.clock.pause_at(utc("2026-11-26T23:00:00Z"))
    page.clock.run_for(20_000)  # the page's own refresh timer
    assert text(page, "[data-amount-due]") == "€238.00"
    assert not page.locator(".incentive").is_visible()
    assert not page.locator("[data-amount-full]").locator("visible=true").count()
    page.context.close()


def test_english_page_when_overdue_shows_the_late_fee(browser, built):
    loaded, urls = built
    page = open_at(browser, urls["C-1"], "2026-12-08T09:00:00Z", "America/New_York")
    message = message_of(page)
    assert message == state_at(loaded, "C-1", utc("2026-12-08T09:00:00Z"))["message"]
    assert "was due on November 30, 2026, 8 days ago" in message
    assert text(page, ".due-line") == "Was due November 30, 2026 · 8 days ago"
    assert page.locator("[data-late-fee]").is_visible()
    assert page.locator(".amount-due").get_attribute("data-stage") == "overdue_7"
    assert not page.locator(".milestone.is-next").count()
    page.context.close()


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_russian_page_follows_the_price_tiers(browser, built, zone):
    loaded, urls = built
    # 25 Nov 00:30 in Berlin, still 24 Nov in New York: the first tier has ended everywhere.
    page = open_at(browser, urls["C-2"], "2026-11-24T23:30:00Z", zone)
    assert page.locator("html").get_attribute("lang") == "ru"
    assert text(page, "[data-amount-due]") == "220,00\xa0€"
    assert text(page, "[data-amount-full] [data-full]") == "238,00\xa0€"
    tiers = page.locator(".tier[data-until]")
    assert "is-passed" in tiers.nth(0).get_attribute("class")
    assert tiers.nth(0).locator(".tier-passed").is_visible()
    assert "is-next" in tiers.nth(1).get_attribute("class")
    assert text(page, ".tier.is-next [data-left]") == "осталось 2 дня 23 часа"
    expected = state_at(loaded, "C-2", utc("2026-11-24T23:30:00Z"))["message"]
    assert message_of(page) == expected
    assert expected.startswith("Здравствуйте, Жанна Петрова!")
    page.context.close()


def test_afrikaans_deposit_page_on_its_due_day(browser, built):
    loaded, urls = built
    page = open_at(browser, urls["C-3"], "2026-11-25T10:00:00Z")
    assert text(page, "[data-amount-due]") == "€71,40"
    message = message_of(page)
    assert message == state_at(loaded, "C-3", utc("2026-11-25T10:00:00Z"))["message"]
    assert "vandag" in message
    assert text(page, ".due-line") == "Betaalbaar teen 25 November 2026 · vandag"
    page.context.close()


def test_without_javascript_the_page_shows_the_build_state(browser, built):
    loaded, urls = built
    page = open_at(browser, urls["C-1"], "2026-12-20T10:00:00Z", js=False)
    at_build = state_at(loaded, "C-1", utc("2026-11-22T23:00:00Z"))
    assert text(page, "[data-amount-due]") == "€226.10"
    assert message_of(page) == at_build["message"]
    assert text(page, ".milestone.is-next [data-left]") == "2 days 18 hours left"
    assert "Wednesday, November 25, 2026, 6:00\u202fPM (Berlin)" in text(page, ".milestones")
    assert page.locator(".incentive").is_visible()
    assert not page.locator("[data-late-fee]").is_visible()
    page.context.close()


def test_video_loads_nothing_from_youtube_until_clicked(browser, site):
    site.invoice(text=INVOICE.replace(
        "due = 2026-11-30", 'due = 2026-11-30\nvideo = "https://youtu.be/aqz-KE-bpKQ"'))
    site.build()
    (page_file,) = site.output.glob("*/index.html")
    page = open_at(browser, page_file.as_uri(), "2026-11-24T10:00:00Z")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    assert page.locator(".video-embed iframe").count() == 0
    page.locator(".video-load").click()
    frame = page.locator(".video-embed iframe")
    frame.wait_for(state="attached", timeout=5000)
    assert frame.get_attribute("src") == (
        "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1")
    page.wait_for_function("() => document.querySelector('.video-embed iframe') !== null")
    assert all(u.startswith("file:") or "youtube-nocookie.com" in u for u in requests)
    page.context.close()
