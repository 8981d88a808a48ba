"""The owner's figures (figures/ledger.py) against sums the test computes its own way, on
sites written to disk from hypothesis-generated schedules; aging at its boundary days; the
terminal report and the CSV export showing the same numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli.main import main
from generator.figures.ledger import AGING, bucket_of, ledger
from generator.read.site import load_site
from generator.view.ledger import ledger_view
from tests.conftest import INVOICE, SITE_TOML

BASE = dt.date(2026, 6, 1)
days = st.integers(min_value=0, max_value=200)
cents = st.integers(min_value=1, max_value=500_00)


@st.composite
def schedules(draw):
    """One invoice: explicit amounts only, so the test knows every part without Remit."""
    currency = draw(st.sampled_from(["EUR", "JPY"]))
    scale = 1 if currency == "JPY" else 100
    issued = BASE + dt.timedelta(days=draw(st.integers(0, 60)))
    due = issued + dt.timedelta(days=draw(st.integers(0, 90)))
    n_parts = draw(st.integers(0, 3))
    amounts = [Decimal(draw(cents)) / scale for _ in range(max(n_parts, 1))]
    deposit = Decimal(draw(cents)) / scale if draw(st.booleans()) else None
    deposit_due = issued + dt.timedelta(days=draw(st.integers(0, (due - issued).days)))
    inst_dues = sorted(issued + dt.timedelta(days=draw(st.integers(0, 120)))
                       for _ in range(n_parts))
    total = sum(amounts) + (deposit or 0)
    pays = [(issued + dt.timedelta(days=draw(st.integers(0, 150))),
             Decimal(draw(st.integers(1, 300_00))) / scale)
            for _ in range(draw(st.integers(0, 3)))]
    return {"currency": currency, "issued": issued, "due": due, "total": total,
            "deposit": (deposit, deposit_due) if deposit else None,
            "installments": list(zip(inst_dues, amounts, strict=False)) if n_parts else [],
            "payments": pays, "client": draw(st.sampled_from(["Weber", "Петрова", "Ochieng"])),
            "void": draw(st.integers(0, 9)) == 0, "draft": draw(st.integers(0, 9)) == 0}


def invoice_text(number: str, s: dict) -> str:
    lines = [f'number = "{number}"', f"issued = {s['issued']}", f"due = {s['due']}",
             f'currency = "{s["currency"]}"', f"void = {str(s['void']).lower()}",
             f"draft = {str(s['draft']).lower()}",
             f'[client]\nname = "{s["client"]}"',
             f'[[items]]\ndescription = "Work"\nunit_price = "{s["total"]}"']
    if s["deposit"]:
        lines.append(f'[deposit]\namount = "{s["deposit"][0]}"\ndue = {s["deposit"][1]}')
    for due, amount in s["installments"]:
        lines.append(f'[[installments]]\ndue = {due}\namount = "{amount}"')
    for date, amount in s["payments"]:
        lines.append(f'[[payments]]\ndate = {date}\namount = "{amount}"')
    return "+++\n" + "\n".join(lines) + "\n+++\n"


def expected(invoices: list[dict], today: dt.date) -> dict:
    """The sums, computed here from the schedules as written: parts in date order of the
    file, earliest settled first by whatever was paid up to today."""
    out: dict = {"outstanding": defaultdict(Decimal), "aging": defaultdict(Decimal),
                 "soon": defaultdict(Decimal), "weeks": defaultdict(Decimal),
                 "clients": defaultdict(Decimal)}
    for s in invoices:
        if s["void"] or s["draft"]:
            continue
        parts = ([(s["deposit"][1], s["deposit"][0])] if s["deposit"] else []) + (
            s["installments"] or [(s["due"], s["total"] - (s["deposit"] or (0, 0))[0])])
        paid = sum((a for d, a in s["payments"] if d <= today), Decimal(0))
        cur = s["currency"]
        for due, amount in parts:
            settled = min(paid, amount)
            paid -= settled
            left = amount - settled
            if not left:
                continue
            out["outstanding"][cur] += left
            out["clients"][(s["client"], cur)] += left
            late = (today - due).days
            if late >= 91:
                out["aging"][(cur, 3)] += left
            elif late > 0:
                out["aging"][(cur, (late - 1) // 30)] += left
            else:
                out["weeks"][(due - dt.timedelta(days=due.weekday()), cur)] += left
                for horizon in (7, 30):
                    if -late < horizon:
                        out["soon"][(cur, horizon)] += left
    return out


def write_site(root: Path, invoices: list[dict]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    for n, s in enumerate(invoices, 1):
        (root / "content" / f"i-{n}.md").write_text(invoice_text(f"I-{n}", s), "utf-8")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(invoices=st.lists(schedules(), min_size=1, max_size=6),
       offset=st.integers(0, 260))
def test_ledger_sums_equal_independent_sums(tmp_path, invoices, offset):
    today = BASE + dt.timedelta(days=offset)
    write_site(tmp_path / "site", invoices)
    site = load_site(tmp_path / "site", create_secret=False)
    led = ledger(site.invoices, today, site.settings.tz)
    want = expected(invoices, today)
    got = {c.currency: c for c in led.currencies}
    assert {c: a for c, a in want["outstanding"].items() if a} == \
        {c: s.outstanding for c, s in got.items() if s.outstanding}
    for cur, sums in got.items():
        assert list(sums.aging) == [want["aging"][(cur, n)] for n in range(len(AGING))]
        assert sums.overdue == sum(sums.aging)
        assert list(sums.due_soon) == [want["soon"][(cur, 7)], want["soon"][(cur, 30)]]
    assert {(w.monday, w.currency): w.amount for w in led.weeks} == \
        {k: v for k, v in want["weeks"].items() if v}
    assert {(c.client, c.currency): c.balance for c in led.clients if c.balance} == \
        {k: v for k, v in want["clients"].items() if v}
    assert len(led.entries) == len(invoices)  # drafts and void listed, never counted
    # What the dashboard and `remit report --json` carry: the same sums, exactly.
    view = ledger_view(site, led)
    assert {c["currency"]: Decimal(c["exact"]["outstanding"]) for c in view["currencies"]} \
        == {c: s.outstanding for c, s in got.items()}


@pytest.mark.parametrize(("late", "bucket"), [
    (0, None), (-5, None), (1, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3),
    (400, 3)])
def test_aging_boundaries(late, bucket):
    assert bucket_of(late) == bucket


@pytest.mark.parametrize(("today", "bucket"), [
    (dt.date(2026, 11, 30), None), (dt.date(2026, 12, 1), 0), (dt.date(2026, 12, 30), 0),
    (dt.date(2026, 12, 31), 1), (dt.date(2027, 1, 29), 1), (dt.date(2027, 1, 30), 2),
    (dt.date(2027, 2, 28), 2), (dt.date(2027, 3, 1), 3)])
def test_aging_of_an_invoice_on_boundary_days(site, today, bucket):
    """T-1 (238.00 EUR, due 2026-11-30) moves bucket on days 1, 31, 61 and 91 after it."""
    site.invoice()
    loaded = load_site(site.root, create_secret=False)
    sums = ledger(loaded.invoices, today, loaded.settings.tz).currencies[0]
    want = [Decimal(0)] * len(AGING)
    if bucket is not None:
        want[bucket] = Decimal("238.00")
    assert list(sums.aging) == want
    assert sums.due_soon[0] == (Decimal("238.00") if bucket is None else 0)


def run_cli(argv: list[str], capsys) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_report_and_csv_show_the_ledger(site, capsys):
    site.invoice()
    site.invoice("t-2.md", """\
        +++
        number = "T-2"
        issued = 2026-09-01
        due = 2026-09-15
        currency = "CHF"
        [client]
        name = "=HYPERLINK(\\"http://evil\\")"
        [[items]]
        description = "Old work"
        unit_price = 1000.00
        +++
        """)
    root = str(site.root)
    text = run_cli(["report", root, "--today", "2026-11-23"], capsys)
    assert "€238.00" in text and "CHF" in text
    chf_line = next(line for line in text.splitlines() if line.startswith("CHF "))
    # 69 days late: outstanding, overdue and the 61–90 column hold it; nothing is due soon.
    assert [c.strip().replace("\xa0", "") for c in chf_line.split("  ") if c.strip()] == [
        "CHF", "CHF1,000.00", "CHF1,000.00", "CHF0.00", "CHF0.00", "CHF1,000.00",
        "CHF0.00", "CHF0.00", "CHF0.00", "1"]
    data = json.loads(run_cli(["report", root, "--today", "2026-11-23", "--json"], capsys))
    chf = next(c for c in data["currencies"] if c["currency"] == "CHF")
    assert chf["exact"]["aging"] == ["0", "0", "1000.00", "0"]
    rows = list(csv.DictReader(io.StringIO(run_cli(["list", root, "--csv", "--today",
                                                    "2026-11-23"], capsys))))
    by_number = {r["number"]: r for r in rows}
    assert by_number["T-1"]["balance"] == "238.00" and by_number["T-1"]["currency"] == "EUR"
    assert by_number["T-2"]["status"] == "overdue" and by_number["T-2"]["total"] == "1000.00"
    # A client name a spreadsheet would run as a formula stays text.
    assert by_number["T-2"]["client"].startswith("'=")
    assert by_number["T-1"]["url"].startswith("https://example.github.io/invoices/t-1-")


def test_an_open_offer_is_expected_at_its_price_in_the_week_it_ends(site):
    site.invoice(text=INVOICE.replace("due = 2026-11-30", "due = 2026-12-20").replace(
        "+++\nThanks!", "[incentive]\nby = 2026-11-26\npercent = 5\nkind = \"off\"\n"
                        "+++\nThanks!"))
    loaded = load_site(site.root, create_secret=False)
    weeks = ledger(loaded.invoices, dt.date(2026, 11, 23), loaded.settings.tz).weeks
    # 238.00 less 5 % by Thursday 26 November: expected that week, not at the due date.
    assert [(w.monday, w.amount) for w in weeks] == [(dt.date(2026, 11, 23), Decimal("226.10"))]
    # Once the offer has ended, the full amount at the due date.
    weeks = ledger(loaded.invoices, dt.date(2026, 11, 27), loaded.settings.tz).weeks
    assert [(w.monday, w.amount) for w in weeks] == [(dt.date(2026, 12, 14), Decimal("238.00"))]
