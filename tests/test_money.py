"""Money is exact: properties of rounding, allocation, totals and schedules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.figures.derive import derive
from generator.figures.totals import schedule, totals
from generator.model.invoice import Adjustment, Invoice, LineItem, Payment
from generator.model.settings import Party
from generator.money import allocate, minor_units, percent_of, round_money

CURRENCIES = ["EUR", "JPY", "KWD", "USD", "CHF"]
amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=4,
                      allow_nan=False, allow_infinity=False)
rates = st.sampled_from([Decimal(x) for x in ("0", "5", "7", "7.7", "10", "19", "20", "21")])


def test_minor_units_per_iso_4217():
    assert (minor_units("JPY"), minor_units("EUR"), minor_units("KWD")) == (0, 2, 3)


def test_rounding_is_half_up_not_bankers():
    assert round_money(Decimal("2.005"), "EUR") == Decimal("2.01")
    assert round_money(Decimal("2.5"), "JPY") == Decimal("3")
    assert round_money(Decimal("1.0005"), "KWD") == Decimal("1.001")


@given(amounts, st.sampled_from(CURRENCIES))
def test_rounding_keeps_the_currency_digits_and_stays_within_half_a_unit(x, cur):
    r = round_money(x, cur)
    assert r.as_tuple().exponent == -minor_units(cur)
    assert abs(r - x) <= Decimal(1).scaleb(-minor_units(cur)) / 2


@given(amounts, st.lists(amounts, min_size=1, max_size=6), st.sampled_from(CURRENCIES))
def test_allocation_adds_up_exactly(total, weights, cur):
    total = round_money(total, cur)
    parts = allocate(total, weights, cur)
    assert sum(parts) == total
    q = Decimal(1).scaleb(-minor_units(cur))
    wsum = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        share = total * w / wsum if wsum else total / len(weights)
        assert abs(part - share) < q


items = st.builds(
    LineItem,
    description=st.just("x"),
    quantity=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2),
    unit=st.none(),
    unit_price=st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=3),
    tax_rate=rates,
    discount_percent=st.sampled_from([Decimal(0), Decimal(5), Decimal("12.5"), Decimal(100)]),
)


def make_invoice(lines, currency="EUR", discount=None, deposit=None, installments=(),
                 payments=()) -> Invoice:
    return Invoice(
        source="x.md", number="X-1", issued=dt.date(2026, 1, 1), due=dt.date(2026, 2, 1),
        currency=currency, language="en", seller=Party("S"), client=Party("C"),
        items=tuple(lines), discount=discount, deposit=deposit,
        installments=tuple(installments), payments=tuple(payments), terms=None, note="",
        draft=False, void=False, void_reason=None, slug=None, title=None, po_number=None)


@settings(max_examples=200)
@given(st.lists(items, min_size=1, max_size=8), st.sampled_from(CURRENCIES),
       st.one_of(st.none(), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"),
                                        places=2)))
def test_total_is_lines_minus_discount_plus_tax(lines, cur, discount_percent):
    discount = Adjustment(None, discount_percent) if discount_percent else None
    t = totals(make_invoice(lines, cur, discount))
    assert t.subtotal == sum(t.lines)
    assert t.total == t.subtotal - t.discount + t.tax
    assert t.tax == sum(x.tax for x in t.taxes)
    assert sum(x.base for x in t.taxes) == t.subtotal - t.discount
    for value in (t.subtotal, t.discount, t.tax, t.total, *t.lines):
        assert value == round_money(value, cur)
    for x in t.taxes:
        assert x.tax == percent_of(x.base, x.rate, cur)


@given(st.lists(items, min_size=1, max_size=5), st.sampled_from(CURRENCIES),
       st.integers(min_value=1, max_value=7))
def test_percent_installments_add_up_to_the_total(lines, cur, n):
    share = (Decimal(100) / n).quantize(Decimal("0.0001"))
    percents = [share] * (n - 1) + [Decimal(100) - share * (n - 1)]
    inst = [Adjustment(None, p, None, dt.date(2026, 1, 1) + dt.timedelta(days=30 * i))
            for i, p in enumerate(percents)]
    inv = make_invoice(lines, cur, installments=inst)
    t = totals(inv)
    parts = schedule(inv, t.total)
    assert sum(p.amount for p in parts) == t.total
    assert all(p.amount == round_money(p.amount, cur) for p in parts)


def test_three_by_600_and_payments_settle_the_earliest_part_first():
    lines = [LineItem("Work", Decimal(1), None, Decimal(1800), Decimal(0), Decimal(0))]
    inst = [Adjustment(Decimal(600), None, None, dt.date(2026, 1, d)) for d in (10, 20, 30)]
    pay = [Payment(dt.date(2026, 1, 9), Decimal(700), None, None)]
    fig = derive(make_invoice(lines, installments=inst, payments=pay), dt.date(2026, 1, 15))
    assert [p.state.value for p in fig.parts] == ["paid", "partially_paid", "upcoming"]
    assert [p.remaining for p in fig.parts] == [0, 500, 600]
    assert fig.due_now == Decimal(500) and fig.due_now_date == dt.date(2026, 1, 20)
    late = derive(make_invoice(lines, installments=inst, payments=pay), dt.date(2026, 1, 25))
    # Late: what is overdue is due now; the third part is not asked for before its date.
    assert late.status.value == "overdue" and late.due_now == Decimal(500)
    assert [p.state.value for p in late.parts] == ["paid", "overdue", "upcoming"]


def test_japanese_yen_and_kuwaiti_dinar_totals():
    yen = [LineItem("x", Decimal(3), None, Decimal("333.5"), Decimal(10), Decimal(0))]
    t = totals(make_invoice(yen, "JPY"))
    assert (t.subtotal, t.tax, t.total) == (Decimal(1001), Decimal(100), Decimal(1101))
    kwd = [LineItem("x", Decimal(1), None, Decimal("10.1235"), Decimal(5), Decimal(0))]
    t = totals(make_invoice(kwd, "KWD"))
    assert (t.subtotal, t.tax, t.total) == (Decimal("10.124"), Decimal("0.506"),
                                           Decimal("10.630"))
