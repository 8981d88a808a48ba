"""The shipped examples, built for 2026-11-23, show each client the right figures and status."""

from __future__ import annotations

import json

import pytest

from generator.cli.main import main
from tests.conftest import REPO, TODAY


@pytest.fixture
def built(examples_built):
    return examples_built


def totals(page) -> dict[str, str]:
    return {row.th.get_text(" ", strip=True): row.td.get_text(strip=True)
            for row in page.select("table.totals tr")}


def status(page) -> str:
    return page.body["class"][1].removeprefix("status-")


def test_every_published_example_is_built_and_the_draft_is_not(built):
    _, report, pages = built
    assert report.drafts == 1
    assert "2026-010" not in pages
    assert set(pages) == {f"2026-{n:03d}" for n in range(1, 12)} - {"2026-010"}


@pytest.mark.parametrize("number, expected_status, total, balance", [
    ("2026-001", "open", "€2,142.00", "€2,142.00"),
    ("2026-002", "open", "€3,570.00", "€3,570.00"),
    ("2026-003", "partially_paid", "€1,800.00", "€1,200.00"),
    ("2026-004", "partially_paid", "€1,303.05", "€803.05"),
    ("2026-005", "paid", "€416.50", "€0.00"),
    ("2026-006", "overdue", "€928.20", "€928.20"),
    ("2026-009", "open", "€1,199.69", "€1,199.69"),
])
def test_figures_and_status_in_english(built, number, expected_status, total, balance):
    page = built[2][number]
    assert status(page) == expected_status
    t = totals(page)
    assert t["Total"] == total
    assert t["Balance due"] == balance
    assert page.html["lang"] == "en"


def test_two_tax_rates_with_line_and_invoice_discounts(built):
    t = totals(built[2]["2026-009"])
    assert t["Subtotal"] == "€1,139.24"
    assert t["Returning-client discount (10%)"] == "-€113.92"
    assert t["Tax 7% on €170.32"] == "€11.92"
    assert t["Tax 19% on €855.00"] == "€162.45"


def test_installment_plan_shows_each_part_state(built):
    rows = built[2]["2026-003"].select(".schedule tbody tr")
    assert [r.select_one(".part-label").get_text(strip=True) for r in rows] == [
        "Installment 1", "Installment 2", "Installment 3"]
    # reference = "auto": each open part its own RF reference; none for the paid one.
    assert [r.select_one(".part-reference .copy-value").get_text() if r.select_one(
        ".part-reference") else None for r in rows] == [None, "RF97 2026 003I 2",
                                                         "RF70 2026 003I 3"]
    assert [r.select("td")[1].get_text(strip=True) for r in rows] == ["€600.00"] * 3
    # Built for 23 Nov: installment 2 (due 1 Dec) is the next payment, not yet "due now".
    assert [r.select_one("td .part-state:not([hidden])").get_text(strip=True)
            for r in rows] == ["Paid", "Next payment", "Upcoming"]


def test_deposit_is_due_first(built):
    page = built[2]["2026-002"]
    rows = page.select(".schedule tbody tr")
    assert rows[0].select_one(".part-label").get_text(strip=True) == \
        "Deposit to book the project"
    assert rows[0].select("td")[1].get_text(strip=True) == "€1,071.00"
    assert rows[1].select("td")[1].get_text(strip=True) == "€2,499.00"


def test_overdue_wording_is_plain_and_polite(built):
    text = built[2]["2026-006"].select_one(".summary").get_text(" ", strip=True)
    assert "€928.20" in text
    assert "13 days ago" in text


def test_russian_invoice_in_russian(built):
    page = built[2]["2026-007"]
    assert page.html["lang"] == "ru"
    t = totals(page)
    assert t["Итого"] == "1\xa0290,00\xa0€"
    assert "2 декабря 2026" in page.select_one(".summary").get_text()
    assert page.select_one(".status-pill").get_text(strip=True) == "Ожидает оплаты"


def test_afrikaans_invoice_in_afrikaans_and_rand(built):
    page = built[2]["2026-008"]
    assert page.html["lang"] == "af"
    t = totals(page)
    assert t["Totaal"] == "R25\xa0932,50"
    assert t["BTW 15% op R22\xa0550,00"] == "R3\xa0382,50"
    assert "4 Desember 2026" in page.select_one(".summary").get_text()


def test_void_invoice_is_published_as_cancelled_with_nothing_due(built):
    page = built[2]["2026-011"]
    assert status(page) == "void"
    assert "cancelled" in page.select_one(".summary").get_text().lower()
    assert "Balance due" not in totals(page)
    assert "Please disregard this invoice." in page.select_one(".note").get_text()


def test_list_json_gives_urls_to_share(capsys, monkeypatch):
    assert main(["list", str(REPO), "--json", "--today", TODAY.isoformat()]) == 0
    rows = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["2026-006"]["status"] == "overdue"
    assert rows["2026-010"]["url"] is None
    assert rows["2026-009"]["url"] == ("https://studio-lindqvist.github.io/invoices/"
                                       "weber-workshop-q4-7f3k9x2m/")
    assert rows["2026-004"]["balance"] == "803.05"
