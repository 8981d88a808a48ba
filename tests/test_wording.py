"""The Russian and Afrikaans catalogs read as written in the language, not translated: no
English left over, one word for "invoice" and for "balance" throughout, Afrikaans's ’n with
its own apostrophe, no "дал(а)" written for both genders, no full stop after "2026 г."."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from tests.conftest import REPO

LOCALES = REPO / "themes" / "default" / "locales"
# What each language writes as English does: names, codes and loanwords of the language.
SAME_AS_ENGLISH = {
    "ru": {"PDF, %(size)s", "UPI ID"},
    "af": {"PDF, %(size)s", "Bank", "Status", "Items", "%(num)s item"},
}
# One term for each idea, in every string that names it.
TERMS = {
    "ru": {r"\binvoice": r"сч[её]т", r"\bbalance": r"остат"},
    "af": {r"\binvoice": r"faktu", r"\bbalance": r"saldo"},
}


def catalog(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return [m for m in read_po(fh, locale=lang) if m.id]


def forms(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("lang", ["ru", "af"])
def test_nothing_is_left_in_english(lang):
    alphabet = "[а-яё]" if lang == "ru" else "[a-zêëéèôöûüîïá]"
    left = []
    for m in catalog(lang):
        english = forms(m.id)
        if english[0] in SAME_AS_ENGLISH[lang]:
            continue
        if forms(m.string) == english or not all(re.search(alphabet, f, re.IGNORECASE)
                                                 for f in forms(m.string)):
            left.append(english[0])
    assert not left, left


@pytest.mark.parametrize("lang", ["ru", "af"])
def test_one_term_for_invoice_and_balance(lang):
    off = [(m.id, m.string) for m in catalog(lang) for english, term in TERMS[lang].items()
           if re.search(english, " ".join(forms(m.id)), re.IGNORECASE)
           and not all(re.search(term, f, re.IGNORECASE) for f in forms(m.string))]
    assert not off, off


def test_afrikaans_writes_n_with_its_apostrophe():
    straight = [m.id for m in catalog("af") if any(re.search(r"(^|\s)'n\b", f)
                                                   for f in forms(m.string))]
    assert not straight, straight


def test_russian_never_writes_both_genders_with_brackets():
    both = [m.id for m in catalog("ru") if any(re.search(r"\w\((а|ла|ая)\)", f)
                                               for f in forms(m.string))]
    assert not both, both


def test_russian_dates_end_the_sentence_themselves():
    """A long Russian date ends in "г." ("2 декабря 2026 г."), which also ends a sentence:
    a full stop after it would print "г.."."""
    doubled = [m.id for m in catalog("ru") for f in forms(m.string)
               if re.search(r"%\((date|start|end)\)s\.", f)]
    assert not doubled, doubled
