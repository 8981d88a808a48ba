"""Does a payment method pay the seller? Accounts-payable staff are trained to stop an invoice
whose account holder is not the company that sent it (invoice-redirection fraud starts so), so
a build warns when a method's beneficiary names someone else than the seller's name or company.

Names are compared as a person reads them, not byte for byte: case, spacing, punctuation and
accents do not count ("Müller" is "Mueller" is "MULLER"), nor do legal forms and titles
("Studio Nord GmbH" is "Studio Nord", "ООО «Ромашка»" is "Ромашка"), nor word order
("Lindqvist, Anna"), and initials stand for a name ("A. Lindqvist", "Петрова Ж. А.")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from generator.model.payment import Method
from generator.model.settings import Party

# Written without dots and lower-case, as normalised names are: "S.A." is "sa", "e.K." "ek".
# Trailing legal forms of companies (German, English, Dutch/Afrikaans, French, Italian,
# Spanish, Nordic, Polish, Swiss, Indian, Russian in Latin letters).
_SUFFIXES = {
    "gmbh", "mbh", "ag", "ug", "haftungsbeschrankt", "kg", "ohg", "gbr", "ek", "ev", "eg",
    "kgaa", "se", "co", "ltd", "limited", "llc", "llp", "lp", "plc", "inc", "incorporated",
    "corp", "corporation", "pty", "pvt", "private", "cc", "bv", "nv", "vof", "sa", "sas",
    "sarl", "srl", "spa", "sl", "oy", "oyj", "ab", "as", "asa", "aps", "ooo", "oao", "zao",
    "pao", "ооо", "оао", "зао", "пао", "ао", "ано", "нко", "тов",
}
_POLISH = ["sp", "z", "oo"]  # "Sp. z o.o."
# Leading legal forms and titles: Russian forms come first ("ООО «Ромашка»", "ИП Петрова").
_PREFIXES = {
    "ооо", "ип", "оао", "зао", "пао", "ао", "ано", "ooo", "ip", "mr", "mrs", "ms", "mx", "dr",
    "prof", "herr", "frau", "mnr", "mev", "me", "госпожа", "господин",
}
_AND = {"and", "und", "en", "et", "e", "y", "и"}  # "Smit en Seuns" is "Smit & Seuns"
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def tokens(name: str, german: bool = False) -> list[str]:
    """The words of a name that identify it: folded, unaccented, no legal form or title."""
    text = unicodedata.normalize("NFC", name).casefold().replace("&", " and ")
    if german:
        text = text.translate(_GERMAN)
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    # "e.K.", "S.A.", "Sp. z o.o.": dots inside a legal form join its letters.
    text = re.sub(r"\b(\w)\.(?=\w\.)", r"\1", text)
    words = re.sub(r"[\W_]+", " ", text).split()
    words = [w for w in words if w not in _AND]
    if len(words) > 3 and words[-3:] == _POLISH:
        del words[-3:]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    while len(words) > 1 and words[0] in _PREFIXES:
        words.pop(0)
    return words


def _initialled(short: list[str], full: list[str]) -> bool:
    """`short` is `full` with some names written as initials: every whole word of `short`
    is in `full`, at least one is, and at least one initial stands for a word left over."""
    whole = [w for w in short if len(w) > 1]
    initials = [w for w in short if len(w) == 1]
    rest = list(full)
    for w in whole:
        if w not in rest:
            return False
        rest.remove(w)
    return bool(whole) and bool(initials) and any(w[0] == i for i in initials for w in rest)


def same_name(a: str, b: str) -> bool:
    for german in (False, True):
        x, y = tokens(a, german), tokens(b, german)
        if not x or not y:
            return True  # nothing to compare (a name of punctuation): not this check's business
        if sorted(x) == sorted(y) or "".join(x) == "".join(y):
            return True
        if _initialled(x, y) or _initialled(y, x):
            return True
    return False


def pays_seller(beneficiary: str, seller: Party) -> bool:
    return any(same_name(beneficiary, name) for name in (seller.name, seller.company) if name)


def foreign_beneficiaries(methods: Iterable[Method], seller: Party,
                          ) -> list[tuple[str, str]]:
    """(field, message) for each method whose beneficiary is not the seller."""
    found = []
    seller_names = " or ".join(f"'{n}'" for n in (seller.name, seller.company) if n)
    for m in methods:
        name = m.get("beneficiary")
        if isinstance(name, str) and name.strip() and not pays_seller(name, seller):
            what = f"'{m.name}'" + ("" if m.name == m.type else f" ({m.type})")
            found.append((f"payment.{m.name}.beneficiary",
                          f"payment method {what} pays '{name.strip()}', not the "
                          f"seller {seller_names}: a client's accounts-payable staff are "
                          "trained to stop an invoice whose account holder is not the sender; "
                          "if this account is yours, make [seller] name its holder (name or "
                          "company)"))
    return found
