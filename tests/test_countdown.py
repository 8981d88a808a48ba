"""The build's time logic: stages, tiers, milestones and countdowns at boundary instants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from generator.figures import countdown as cdn
from generator.figures.countdown import Stage
from generator.figures.derive import derive
from generator.model.countdown import Deadline, local_day
from generator.read.site import load_site
from tests.countdown_cases import CASES, INVOICES, load_cases_site, state_at, utc

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def cases_site(tmp_path_factory):
    return load_cases_site(tmp_path_factory.mktemp("cases"))


@pytest.mark.parametrize("number, instant, stage, amount, milestone, left", CASES)
def test_build_logic_matches_the_table(cases_site, number, instant, stage, amount, milestone,
                                       left):
    got = state_at(cases_site, number, utc(instant))
    assert (got["stage"], got["amount"], got["milestone"], got["left"]) == (
        stage, amount, milestone, left)


def test_a_date_deadline_lasts_until_midnight_in_the_site_zone():
    d = Deadline(dt.date(2026, 11, 25))
    assert d.instant(BERLIN) == utc("2026-11-25T23:00:00Z")
    assert Deadline(dt.date(2026, 11, 25), dt.time(18)).instant(BERLIN) == utc(
        "2026-11-25T17:00:00Z")
    assert d.instant(ZoneInfo("America/New_York")) == utc("2026-11-26T05:00:00Z")


def test_build_instant_is_the_start_of_the_day_in_the_site_zone():
    assert cdn.build_instant(dt.date(2026, 11, 23), BERLIN) == utc("2026-11-22T23:00:00Z")
    assert cdn.build_instant(dt.date(2026, 7, 1), BERLIN) == utc("2026-06-30T22:00:00Z")


def test_local_day_changes_exactly_at_midnight_in_the_site_zone():
    assert local_day(utc("2026-11-22T22:59:59Z"), BERLIN) == dt.date(2026, 11, 22)
    assert local_day(utc("2026-11-22T23:00:00Z"), BERLIN) == dt.date(2026, 11, 23)


def test_dst_changes_move_the_utc_midnight_but_not_the_day_count():
    # Autumn: 2026-10-25 has 25 hours in Berlin.
    assert Deadline(dt.date(2026, 10, 24)).instant(BERLIN) == utc("2026-10-24T22:00:00Z")
    assert Deadline(dt.date(2026, 10, 25)).instant(BERLIN) == utc("2026-10-25T23:00:00Z")
    units = cdn.remaining(utc("2026-10-24T22:00:00Z"), utc("2026-10-25T23:00:00Z"))
    assert units == ((1, "day"), (1, "hour"))  # 25 real hours: the countdown is honest
    # Spring: 2027-03-28 has 23 hours.
    assert Deadline(dt.date(2027, 3, 28)).instant(BERLIN) == utc("2027-03-28T22:00:00Z")


def test_leap_day_deadline():
    assert Deadline(dt.date(2028, 2, 29)).instant(BERLIN) == utc("2028-02-29T23:00:00Z")


@pytest.mark.parametrize("days, paid, stage", [
    (30, 0, Stage.UPCOMING), (4, 0, Stage.UPCOMING), (3, 0, Stage.SOON), (1, 0, Stage.SOON),
    (0, 0, Stage.TODAY), (-1, 0, Stage.OVERDUE_1), (-6, 0, Stage.OVERDUE_1),
    (-7, 0, Stage.OVERDUE_7), (-13, 0, Stage.OVERDUE_7), (-14, 0, Stage.OVERDUE_14),
    (-29, 0, Stage.OVERDUE_14), (-30, 0, Stage.OVERDUE_30), (-400, 0, Stage.OVERDUE_30),
    (5, 10, Stage.PARTIAL), (0, 10, Stage.PARTIAL), (-1, 10, Stage.OVERDUE_1),
])
def test_stage_thresholds(days, paid, stage):
    assert cdn.stage(void=False, draft=False, balance=Decimal(100), paid=Decimal(paid),
                     days_left=days) is stage


def test_stage_of_settled_void_and_draft_invoices():
    kw = {"paid": Decimal(0), "days_left": 3}
    assert cdn.stage(void=False, draft=False, balance=Decimal(0), **kw) is Stage.PAID
    assert cdn.stage(void=True, draft=False, balance=Decimal(5), **kw) is Stage.VOID
    assert cdn.stage(void=False, draft=True, balance=Decimal(5), **kw) is Stage.DRAFT


def test_countdown_units():
    t = utc("2026-11-23T10:00:00Z")
    assert cdn.remaining(t, t) == ()
    assert cdn.remaining(t, t - dt.timedelta(seconds=1)) == ()
    assert cdn.remaining(t, t + dt.timedelta(seconds=1)) == ((1, "minute"),)
    assert cdn.remaining(t, t + dt.timedelta(hours=1, seconds=30)) == ((1, "hour"),
                                                                        (1, "minute"))
    assert cdn.remaining(t, t + dt.timedelta(days=2, hours=4, minutes=59)) == (
        (2, "day"), (4, "hour"))
    assert cdn.remaining(t, t + dt.timedelta(days=2, minutes=3)) == ((2, "day"),)


def test_incentive_sets_due_now_and_keeps_the_full_amount(cases_site):
    got = state_at(cases_site, "C-1", utc("2026-11-22T23:00:00Z"))["fig"]
    assert got.due_now == Decimal("226.10")
    assert got.price.full == Decimal("238.00") and got.price.offer == Decimal("226.10")
    assert got.price.until == utc("2026-11-26T23:00:00Z")
    after = state_at(cases_site, "C-1", utc("2026-11-26T23:00:00Z"))["fig"]
    assert after.due_now == Decimal("238.00") and after.price.offer is None


def test_paying_a_tier_price_in_time_settles_the_invoice(site):
    head, _, _ = INVOICES["C-2"].rpartition("+++")
    site.invoice("c2.md", head + "\n[[payments]]\ndate = 2026-11-24\namount = 200.00\n+++\n")
    loaded = load_site(site.root)
    inv = loaded.invoices[0]
    fig = derive(inv, dt.date(2026, 11, 26), loaded.settings.tz)
    assert fig.status.value == "paid" and fig.balance == 0 and fig.price.settled == 0
    before = derive(inv, dt.date(2026, 11, 23), loaded.settings.tz)
    assert before.status.value == "open" and before.due_now == Decimal("200.00")


@pytest.mark.parametrize("value, expected", [
    (dt.date(2026, 11, 25), Deadline(dt.date(2026, 11, 25))),
    (dt.datetime(2026, 11, 25, 18, 0), Deadline(dt.date(2026, 11, 25), dt.time(18))),
    ("2026-11-25", Deadline(dt.date(2026, 11, 25))),
    ("2026-11-25 18:00", Deadline(dt.date(2026, 11, 25), dt.time(18))),
    ("2026-11-25T07:30", Deadline(dt.date(2026, 11, 25), dt.time(7, 30))),
])
def test_deadline_forms(value, expected):
    from generator.read.countdown import to_deadline
    assert to_deadline(value) == expected
