"""Equal values read from many invoice files share one object (a 10,000-invoice build holds
every invoice at once), without ever merging values that differ in what they show."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from generator.fields import to_decimal, to_str
from generator.read.site import load_site
from tests.conftest import INVOICE


def test_equal_text_and_numbers_are_one_object_but_1_5_and_1_50_stay_apart():
    a, b = "Design of page templates", "".join(["Design of page ", "templates"])
    assert a is not b and to_str(a) is to_str(b)
    assert to_decimal(Decimal("19.00")) is to_decimal(Decimal("19.00"))
    assert str(to_decimal(Decimal("1.5"))) == "1.5"
    assert str(to_decimal(Decimal("1.50"))) == "1.50"  # equal, and hash alike, yet shown apart
    assert str(to_decimal(1)) == "1" and str(to_decimal(Decimal("1.0"))) == "1.0"
    assert str(to_decimal("2.50")) == "2.50"
    long = "x" * 1000
    assert to_str(long) == long


def test_invoices_share_what_they_repeat(site):
    for i in range(3):
        quantity = "1.50" if i == 2 else "2"
        site.invoice(f"t-{i}.md", INVOICE.replace('"T-1"', f'"T-{i}"')
                     .replace("quantity = 2", f"quantity = {quantity}"))
    invoices = load_site(Path(site.root)).invoices
    items = [inv.items[0] for inv in invoices]
    assert items[0].description is items[1].description is items[2].description
    assert items[0].unit_price is items[1].unit_price
    assert invoices[0].client.name is invoices[2].client.name
    assert [str(i.quantity) for i in items] == ["2", "2", "1.50"]
