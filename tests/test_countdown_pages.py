"""What a client without JavaScript (and the PDF) reads: the build's wording for its day."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import INVOICE, TODAY


def page_on(site, day: dt.date, text: str = INVOICE) -> BeautifulSoup:
    site.invoice(text=text)
    site.build(today=day)
    return site.pages()["T-1"]


def lead(page: BeautifulSoup) -> str:
    # Collapse layout whitespace only: no-break spaces inside amounts are part of the text.
    return re.sub(r"[ \t\r\n]+", " ", page.select_one("[data-stage-message]").get_text()).strip()


# The T-1 invoice: €238.00 due 2026-11-30, client Jonas Weber.
@pytest.mark.parametrize("day, stage, words", [
    ("2026-11-23", "upcoming", "Dear Jonas Weber, €238.00 is due by November 30, 2026."),
    ("2026-11-27", "soon", "a friendly reminder: €238.00 is due in 3 days, on November 30"),
    ("2026-11-29", "soon", "is due in 1 day, on November 30, 2026"),
    ("2026-11-30", "today", "€238.00 is due today, November 30, 2026. If you have already paid"),
    ("2026-12-01", "overdue_1", "was due on November 30, 2026, 1 day ago, and we have not "
                                "received it yet"),
    ("2026-12-07", "overdue_7", "7 days ago, and has not reached us yet"),
    ("2026-12-14", "overdue_14", "is still outstanding (14 days ago)"),
    ("2026-12-30", "overdue_30", "now for more than a month (30 days ago)"),
    ("2027-03-01", "overdue_30", "now for more than a month (91 days ago)"),
])
def test_default_wording_by_stage_in_english(site, day, stage, words):
    page = page_on(site, dt.date.fromisoformat(day))
    assert page.select_one(".amount-due")["data-stage"] == stage
    assert words in lead(page)
    assert page.select_one("[data-amount-due]").get_text(strip=True) == "€238.00"


@pytest.mark.parametrize("language, day, words", [
    ("ru", "2026-11-23", "Здравствуйте, Jonas Weber! Сумму 238,00\xa0€ нужно оплатить до "
                         "30 ноября 2026\u202fг.;"),
    ("ru", "2026-11-28", "сумму 238,00\xa0€ нужно оплатить через 2 дня (30 ноября 2026\u202fг.)"),
    ("ru", "2026-12-03", "истёк 30 ноября 2026\u202fг. (3 дня назад)"),
    ("af", "2026-11-30", "Beste Jonas Weber, €238,00 is vandag, 30 November 2026, betaalbaar."),
    ("af", "2026-12-15", "is steeds uitstaande (15 dae gelede)"),
])
def test_default_wording_in_russian_and_afrikaans(site, language, day, words):
    text = INVOICE.replace("due = 2026-11-30", f'due = 2026-11-30\nlanguage = "{language}"')
    assert words in lead(page_on(site, dt.date.fromisoformat(day), text))


def test_partially_paid_and_paid_wording(site):
    partial = INVOICE.replace("+++\nThanks!", "[[payments]]\ndate = 2026-11-20\n"
                                              "amount = 100.00\n+++\nThanks!")
    page = page_on(site, TODAY, partial)
    assert "thank you for your payment of €100.00. The remaining €138.00 is due by " \
           "November 30, 2026." in lead(page)
    paid = partial.replace("amount = 100.00", "amount = 238.00")
    page = page_on(site, TODAY, paid)
    assert lead(page) == ("Dear Jonas Weber, thank you! We have received your payment of "
                          "€238.00 in full. This page is your receipt.")


def test_void_wording(site):
    page = page_on(site, TODAY, INVOICE.replace("due = 2026-11-30", "due = 2026-11-30\n"
                                                "void = true"))
    assert "this invoice has been cancelled. Nothing is due" in lead(page)
    assert page.select_one("#remit-countdown-data") is not None


def test_incentive_shows_both_amounts_until_its_deadline(example_site):
    example_site.build(today=TODAY)
    page = example_site.pages()["2026-009"]
    assert page.select_one("[data-amount-due]").get_text(strip=True) == "€1,139.71"
    assert page.select_one("[data-amount-full] [data-full]").get_text(strip=True) == "€1,199.69"
    offer = page.select_one(".incentive")
    assert not offer.has_attr("hidden")
    assert "Pay €1,139.71 instead of €1,199.69 by Thursday, November 26, 2026: 5% off" \
        in offer.get_text(" ", strip=True)
    assert offer.select_one(".incentive-review a")["href"].startswith("https://g.page/")
    assert page.select_one("[data-late-fee]").has_attr("hidden")
    # While the offer is open the message pairs each amount with its date (issue 11): never
    # the full amount alone beside the discounted figure.
    paired = ("€1,139.71 if paid by November 26, 2026, otherwise €1,199.69 due by "
              "December 3, 2026")
    # The note opens "Jonas, thank you ...": the page greets once, in the note.
    assert lead(page) == f"The amount depends on when you pay: {paired}."
    assert page.select_one("[data-terms]").get_text(strip=True) == paired

    example_site.build(today=dt.date(2026, 11, 27))
    page = example_site.pages()["2026-009"]
    assert page.select_one("[data-amount-due]").get_text(strip=True) == "€1,199.69"
    assert page.select_one(".incentive").has_attr("hidden")
    assert page.select_one("[data-amount-full]").has_attr("hidden")

    example_site.build(today=dt.date(2026, 12, 4))
    page = example_site.pages()["2026-009"]
    assert not page.select_one("[data-late-fee]").has_attr("hidden")
    assert "statutory interest" in page.select_one("[data-late-fee]").get_text()


def test_price_tiers_decide_the_amount_due_now(example_site):
    example_site.build(today=TODAY)
    page = example_site.pages()["2026-008"]
    assert page.select_one("[data-amount-due]").get_text(strip=True) == "R24\xa0900,00"
    tiers = page.select(".price-tiers li")
    assert [t["class"][1] for t in tiers[:2]] == ["is-next", "is-later"]
    assert "R25\xa0932,50" in tiers[-1].get_text()
    example_site.build(today=dt.date(2026, 11, 28))
    page = example_site.pages()["2026-008"]
    assert page.select_one("[data-amount-due]").get_text(strip=True) == "R25\xa0500,00"
    assert page.select(".price-tiers li")[0]["class"][1] == "is-passed"


def test_milestones_show_absolute_dates_and_a_live_countdown(example_site):
    example_site.build(today=TODAY)
    page = example_site.pages()["2026-002"]
    first, second = page.select(".milestone")
    assert "Wednesday, November 25, 2026, 6:00\u202fPM (Berlin)" in first.get_text()
    assert first.select_one("time")["datetime"] == "2026-11-25T17:00:00+00:00"
    left = first.select_one("[data-left]")
    assert "live-only" in left["class"] and left.get_text(strip=True) == "2 days 18 hours left"
    assert second.select_one("[data-left]").get_text(strip=True) == ""
    example_site.build(today=dt.date(2026, 11, 26))
    first = example_site.pages()["2026-002"].select_one(".milestone")
    assert "is-passed" in first["class"]
    assert first.select_one(".milestone-message").has_attr("hidden")
    assert "prices went up by 15%" in first.select_one(".milestone-after").get_text()


def test_passed_milestones_can_be_hidden(site):
    text = INVOICE.replace("due = 2026-11-30", 'due = 2026-11-30\npassed_milestones = "hide"')
    text = text.replace("+++\nThanks!", '[[milestones]]\nby = 2026-11-20\nmessage = "Early"\n'
                                        '[[milestones]]\nby = 2026-11-28\nmessage = "Later"\n'
                                        "+++\nThanks!")
    page = page_on(site, TODAY, text)
    early, later = page.select(".milestone")
    assert early.has_attr("hidden") and not later.has_attr("hidden")
    assert json.loads(page.select_one("#remit-countdown-data").string)["showPassed"] is False


def test_video_is_a_placeholder_that_loads_nothing(example_site):
    example_site.build(today=TODAY)
    page = example_site.pages()["2026-001"]
    first = page.select_one("main > section")
    assert "personal" in first["class"]  # the owner's note and video come first
    box = first.select_one(".video-embed")
    assert box["data-embed"] == "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1"
    assert box.a["href"] == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    assert not page.select("iframe") and not page.select("script[src]")
    external = [t for t in page.select("[src]") if "//" in t["src"]]
    assert not external


def test_script_data_is_ready_made_and_safe(example_site):
    example_site.build(today=TODAY)
    page = example_site.pages()["2026-008"]
    raw = page.select_one("#remit-countdown-data").string
    assert "</" not in raw
    data = json.loads(raw)
    assert data["tz"] == "Europe/Berlin" and data["lang"] == "af"
    assert data["built"] == int(dt.datetime(2026, 11, 22, 23, tzinfo=dt.UTC).timestamp() * 1000)
    amounts = [s["amount"] for s in data["segments"]]
    assert amounts[:3] == ["R24\xa0900,00", "R25\xa0500,00", "R25\xa0932,50"]
    # The note greets ("Goeie dag Pieter,"), so the stage message does not greet again.
    assert data["templates"]["today"].startswith("{amount} is vandag")


def test_partial_payment_with_more_parts_names_the_next_payment_and_its_date(example_site):
    """Installment 1 paid; installment 2 of 3 is next. The message never calls one part
    "the remaining" amount, and the figure is "Next payment" until its day (issue 11)."""
    example_site.build(today=TODAY)
    page = example_site.pages()["2026-003"]
    assert lead(page) == ("Thank you for your payment of €600.00. The next "
                          "payment, €600.00, is due by December 1, 2026.")
    block = page.select_one('.segment[data-seg="0"]')
    assert block.select_one("[data-figure-label]").get_text(strip=True) == "Next payment"
    assert block.select_one("[data-terms-next]").get_text(strip=True) == \
        "After that: €600.00 by January 1, 2027."
    example_site.build(today=dt.date(2026, 12, 1))
    block = example_site.pages()["2026-003"].select_one('.segment[data-seg="0"]')
    assert block.select_one("[data-figure-label]").get_text(strip=True) == "Due now"
