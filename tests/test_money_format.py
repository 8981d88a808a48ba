"""Amounts read exactly as Babel's format_currency writes them, though formatted without it.

i18n.money formats each new amount through a per-currency, per-language compiled form of
Babel's own steps (it was a tenth of a page's rendering time): every string must equal
Babel's, for every sign, size and precision, in every language the theme speaks and in
locales whose patterns differ in shape (symbol after the number, quotes, non-breaking and
narrow spaces, Indian grouping, RTL marks).
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import i18n
from generator.money import known_currencies

THEME_LANGUAGES = ["en", "ru", "af", "de", "fr", "nl", "es", "it", "pl", "sv"]  # theme: en, ru, af
SHAPES = ["de_CH", "hi", "en_IN", "ar", "fa", "he", "ja", "fr_CH", "nb", "pt_BR", "sw", "my",
          "bn", "ur", "ps", "es_419", "zh_Hant", "ko", "tr", "ro"]
CURRENCIES = ["EUR", "USD", "JPY", "KWD", "CHF", "RUB", "ZAR", "INR", "GBP", "BHD", "CLF",
              "ISK", "XAU", "IRR", "SEK"]

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4,
                      allow_nan=False, allow_infinity=False)


def _fresh(amount: Decimal, currency: str, language: str) -> str:
    i18n._money.cache_clear()  # the memo must not answer for the formatter under test
    return i18n.money(amount, currency, language)


@settings(max_examples=300, deadline=None)
@given(amount=amounts, currency=st.sampled_from(CURRENCIES),
       language=st.sampled_from(THEME_LANGUAGES + SHAPES))
def test_amounts_read_as_babel_writes_them(amount, currency, language):
    assert _fresh(amount, currency, language) == format_currency(amount, currency,
                                                                 locale=language)


def test_every_currency_and_edge_amount_in_the_theme_languages():
    edges = [Decimal(x) for x in ("0", "-0", "0.00", "0.005", "-0.005", "1", "-1", "2.5",
                                  "999.995", "1000", "-1234567.891", "1E+3", "12.3450",
                                  "100000000000")]
    for currency in sorted(known_currencies()):
        for language in ("en", "de", "ru", "af", "de_CH", "hi", "ar"):
            for amount in edges:
                assert _fresh(amount, currency, language) == format_currency(
                    amount, currency, locale=language), (amount, currency, language)
