"""Money, dates and numbers in the client's language, and a party as a template shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from generator import i18n
from generator.model.settings import Party


@dataclass(frozen=True)
class Formatter:
    language: str
    currency: str

    def money(self, amount: Decimal) -> str:
        return i18n.money(amount, self.currency, self.language)

    def date(self, value: dt.date | None, style: str = "long") -> str:
        return i18n.date(value, self.language, style) if value else ""

    def number(self, value: Decimal) -> str:
        return i18n.number(value, self.language)

    def percent(self, value: Decimal) -> str:
        return i18n.percent(value, self.language)


# The seller is the same on every page, and clients recur: one view per distinct party (a
# Party is frozen, all text; the views are read, never changed).
@lru_cache(maxsize=1024)
def party_view(p: Party) -> dict[str, Any]:
    return {
        "name": p.name, "company": p.company if p.company != p.name else None,
        "display_name": p.display_name,
        "address_lines": [line.strip() for line in (p.address or "").splitlines() if line.strip()],
        "email": p.email, "phone": p.phone, "website": p.website, "tax_id": p.tax_id,
        "phone_href": "tel:" + "".join(c for c in p.phone if c.isdigit() or c == "+")
        if p.phone else None,
    }
