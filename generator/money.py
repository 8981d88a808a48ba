"""Exact money arithmetic. Pure functions; Decimal only, rounded per ISO 4217 minor units."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import get_currency_precision, list_currencies

HUNDRED = Decimal(100)


@cache
def known_currencies() -> frozenset[str]:
    return frozenset(c for c in list_currencies() if len(c) == 3 and c.isalpha() and c.isupper())


@cache
def minor_units(currency: str) -> int:
    return get_currency_precision(currency)


@cache  # every rounding asks: a page rounds a few dozen amounts
def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Commercial rounding (half up) to the currency's minor unit: 2.005 EUR -> 2.01."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal, currency: str) -> Decimal:
    return round_money(amount * percent / HUNDRED, currency)


def allocate(total: Decimal, weights: Sequence[Decimal], currency: str) -> list[Decimal]:
    """Split `total` in proportion to `weights` so that the parts add up to it exactly.

    Largest-remainder method on whole minor units, ties to the earlier part, so that a
    discount spread over tax rates never gains or loses a cent.
    """
    if not weights:
        return []
    q = quantum(currency)
    units = int((total / q).to_integral_value())
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        exact = [Decimal(units) / len(weights)] * len(weights)
    else:
        exact = [Decimal(units) * w / weight_sum for w in weights]
    floors = [int(e.to_integral_value(rounding="ROUND_FLOOR")) for e in exact]
    leftover = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:leftover]:
        floors[i] += 1
    return [Decimal(u) * q for u in floors]
