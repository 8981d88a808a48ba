"""An invoice's figures as EN 16931 states them: the same amounts as page and PDF, in the
standard's terms (line net, document allowances per VAT category, VAT breakdown, totals).

Nothing here computes money anew: line nets, discount shares, tax per rate, the total and
what was paid all come from figures/totals.py and figures/derive.py. The standard's own
sums (BR-CO-10 to BR-CO-16) are then checked against them, exactly, by einvoice_checks.py.
Also here: the structured postal address an e-invoice needs, read from the address text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from generator.figures.derive import Figures
from generator.figures.totals import ZERO
from generator.figures.units import unit_code
from generator.model.invoice import Invoice
from generator.model.settings import Party
from generator.money import HUNDRED, round_money

CENT = Decimal("0.01")

# zero_rate_reason -> VAT category (UNTDID 5305) of the 0% lines; no reason: zero rated.
ZERO_CATEGORIES = {"reverse-charge": "AE", "small-business": "E", "export": "G",
                   "not-taxable": "O", "intra-community": "K", None: "Z"}
# The exemption reason (BT-120, BT-121) every category but S and Z must give.
EXEMPTIONS = {
    "AE": ("Reverse charge", "VATEX-EU-AE"),
    "E": ("Exempt: small-business exemption (Article 284, Directive 2006/112/EC)", None),
    "G": ("Export outside the EU", "VATEX-EU-G"),
    "O": ("Not subject to VAT", "VATEX-EU-O"),
    "K": ("Intra-community supply", "VATEX-EU-IC"),
}


@dataclass(frozen=True)
class Line:
    number: int  # BT-126, from 1
    quantity: Decimal  # BT-129
    unit_code: str | None  # BT-130 (None: unknown unit, refused by the checks)
    price: Decimal  # BT-146, net of nothing: the unit price as written
    gross: Decimal  # quantity x price, rounded: what the line allowance is taken from
    allowance: Decimal  # BT-136: the line discount
    net: Decimal  # BT-131 = gross - allowance: the line's amount on the page
    category: str  # BT-151
    rate: Decimal  # BT-152


@dataclass(frozen=True)
class Allowance:
    """A document-level allowance (BG-20): the invoice discount's share of one VAT rate."""

    amount: Decimal  # BT-92
    category: str  # BT-95
    rate: Decimal  # BT-96
    reason: str  # BT-97


@dataclass(frozen=True)
class Breakdown:
    """One VAT breakdown (BG-23)."""

    category: str  # BT-118
    rate: Decimal  # BT-119
    basis: Decimal  # BT-116
    tax: Decimal  # BT-117
    reason: str | None  # BT-120
    reason_code: str | None  # BT-121


@dataclass(frozen=True)
class Amounts:
    lines: tuple[Line, ...]
    allowances: tuple[Allowance, ...]
    breakdown: tuple[Breakdown, ...]
    line_total: Decimal  # BT-106
    allowance_total: Decimal  # BT-107
    tax_basis: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    grand_total: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    due: Decimal  # BT-115


def category(inv: Invoice, rate: Decimal) -> str:
    return "S" if rate else ZERO_CATEGORIES.get(inv.zero_rate_reason, "Z")


def amounts(inv: Invoice, fig: Figures) -> Amounts:
    """EN 16931's amounts, taken from `fig` (the figures page and PDF print)."""
    t, cur = fig.totals, inv.currency
    lines = []
    for n, (item, net) in enumerate(zip(inv.items, t.lines, strict=True), 1):
        gross = round_money(item.quantity * item.unit_price, cur)
        lines.append(Line(n, item.quantity, unit_code(item), item.unit_price, gross,
                          gross - net, net, category(inv, item.tax_rate), item.tax_rate))
    label = (inv.discount.label if inv.discount and inv.discount.label else None) or "Discount"
    by_rate = {tl.rate: sum((ln.net for ln in lines if ln.rate == tl.rate), ZERO) - tl.base
               for tl in t.taxes}
    allowances = tuple(Allowance(share, category(inv, rate), rate, label)
                       for rate, share in by_rate.items() if share)
    breakdown = []
    for tl in t.taxes:
        code = category(inv, tl.rate)
        reason, reason_code = EXEMPTIONS.get(code, (None, None))
        if code == "E" and inv.tax_note:
            reason = inv.tax_note  # the owner's own wording, e.g. "§ 19 UStG"
        breakdown.append(Breakdown(code, tl.rate, tl.base, tl.tax, reason, reason_code))
    return Amounts(tuple(lines), allowances, tuple(breakdown), t.subtotal, t.discount,
                   t.subtotal - t.discount, t.tax, t.total, fig.paid, t.total - fig.paid)


def cents(amount: Decimal) -> Decimal:
    """EN 16931's own rounding of a product: two decimals, half up (BR-CO-17)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def expected_tax(basis: Decimal, rate: Decimal) -> Decimal:
    return cents(basis * rate / HUNDRED)


# -- structured addresses ---------------------------------------------------------------------
@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...]  # BT-35, BT-36, BT-162 (at most three)
    postcode: str | None  # BT-38
    city: str | None  # BT-37
    country: str | None  # BT-40, ISO 3166 alpha-2


POSTCODE_FIRST = re.compile(r"(?:[A-Z]{1,3}[- ])?(\d{3,6}(?:[ -]\d{2,4})?)\s+(\D.*)")
POSTCODE_LAST = re.compile(r"(\D.*?)[,\s]+(\d{3,6})")
POSTCODE_UK = re.compile(r"(.+?)[,\s]+([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})")


@cache
def country_names() -> dict[str, str]:
    """Country names in the languages invoices are written in -> ISO code."""
    from babel import Locale

    names: dict[str, str] = {}
    for lang in ("en", "de", "ru", "af", "fr", "nl"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                names[name.casefold()] = code
    return names


def postal_address(party: Party) -> Address:
    """The party's address text read as EN 16931's fields: street lines, then "10969 Berlin"
    (or "Cape Town 8001", or the post code alone on the last line), then a country name,
    which may stand in for `country`."""
    lines = [ln.strip().rstrip(",") for ln in (party.address or "").splitlines() if ln.strip()]
    country = party.country
    if lines and lines[-1].casefold() in country_names():
        named = country_names()[lines.pop().casefold()]
        country = country or named
    postcode = city = None
    if lines:
        last = lines[-1]
        if m := POSTCODE_FIRST.fullmatch(last):
            postcode, city = m.group(1), m.group(2).strip()
            lines.pop()
        elif (m := POSTCODE_LAST.fullmatch(last)) or (m := POSTCODE_UK.fullmatch(last)):
            city, postcode = m.group(1).strip(), m.group(2)
            lines.pop()
        elif last.isdigit() and len(lines) > 1:
            postcode = lines.pop()
            city = lines.pop()
        elif len(lines) > 1:
            city = lines.pop()
    if len(lines) > 3:
        lines = [*lines[:2], ", ".join(lines[2:])]
    return Address(tuple(lines), postcode, city, country)


VAT_ID = re.compile(r"[A-Z]{2}[0-9A-Z+*.]{2,13}")


def vat_id(tax_id: str | None) -> str | None:
    """The party's VAT identifier (BT-31, BT-48): a tax_id that starts with a country code."""
    if tax_id is None:
        return None
    compact = re.sub(r"[\s.\-]", "", tax_id).upper()
    return compact if VAT_ID.fullmatch(compact) else None
