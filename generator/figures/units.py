"""UN/ECE Recommendation 20 unit codes for the unit names invoices use (pure data).

An e-invoice names each line's unit by code (BT-130). The names are the ones Remit prints
in the client's language (view/format.py), plus common spellings; an item may give its own
`unit_code` instead. A line without a unit counts pieces: C62 ("one").
"""

from __future__ import annotations

from generator.model.invoice import LineItem

UNIT_CODES: dict[str, str] = {
    "second": "SEC", "minute": "MIN", "hour": "HUR", "day": "DAY", "week": "WEE",
    "month": "MON", "year": "ANN", "quarter": "QAN",
    "piece": "H87", "item": "C62", "unit": "C62", "each": "EA", "copy": "C62",
    "photo": "C62", "licence": "C62", "license": "C62", "set": "SET", "pack": "PK",
    "page": "ZZ", "word": "ZZ", "line": "ZZ", "lump sum": "LS",
    "km": "KMT", "kilometre": "KMT", "kilometer": "KMT", "mile": "SMI", "m": "MTR",
    "metre": "MTR", "meter": "MTR", "m2": "MTK", "m²": "MTK", "kg": "KGM", "kilogram": "KGM",
    "g": "GRM", "gram": "GRM", "t": "TNE", "tonne": "TNE", "l": "LTR", "litre": "LTR",
    "liter": "LTR", "kwh": "KWH", "gb": "E34", "mb": "4L", "tb": "E35",
    # Russian and Afrikaans, as owners write them for their clients
    "ч": "HUR", "ч.": "HUR", "час": "HUR", "мин": "MIN", "мин.": "MIN", "день": "DAY",
    "дн.": "DAY", "нед.": "WEE", "мес.": "MON", "месяц": "MON", "год": "ANN", "шт": "H87",
    "шт.": "H87", "стр": "ZZ", "стр.": "ZZ", "страница": "ZZ", "слово": "ZZ", "км": "KMT",
    "uur": "HUR", "minuut": "MIN", "dag": "DAY", "maand": "MON", "jaar": "ANN",
    "stuk": "H87", "bladsy": "ZZ", "woord": "ZZ", "foto": "C62",
}
# Plural spellings ("hours", "days", "pages") mean the same unit.
PLURALS = {name + "s": code for name, code in UNIT_CODES.items() if name.isalpha()}

PIECE = "C62"  # a line without a unit: so many of it


def unit_code(item: LineItem) -> str | None:
    """The line's unit code: its own `unit_code`, else its unit's; None when unknown."""
    if item.unit_code:
        return item.unit_code
    if item.unit is None or not item.unit.strip():
        return PIECE
    name = " ".join(item.unit.lower().split())
    return UNIT_CODES.get(name) or PLURALS.get(name)
