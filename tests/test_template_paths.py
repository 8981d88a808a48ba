"""Hot templates written for speed say exactly what their plain versions said.

detail_label.html names a payment detail through a chain of tests instead of a dict of all
fifteen translated labels (built at every call); here the old dict is the reference, in
every language the bundled theme speaks, and an unknown key still fails."""

from __future__ import annotations

import jinja2
import pytest

from generator import i18n
from generator.render import html
from generator.theme import DEFAULT, available_languages, bundled_themes, template_dirs

THEME = bundled_themes() / DEFAULT
# The macro as it was: every label translated, then the key looked up.
DICT_MACRO = """{% macro detail_label(key) %}{{ {
  "beneficiary": _("Account holder"), "iban": "IBAN", "bic": "BIC", "bank": _("Bank"),
  "account_number": _("Account number"), "branch_code": _("Branch code"),
  "sort_code": _("Sort code"), "routing_number": _("Routing number"),
  "account_type": _("Account type"), "reference": _("Reference"), "message": _("Message"),
  "amount": _("Amount"), "upi_id": _("UPI ID"), "address": _("Bitcoin address"),
  "btc_amount": _("Amount in bitcoin"),
}[key] }}{% endmacro %}"""
KEYS = ["beneficiary", "iban", "bic", "bank", "account_number", "branch_code", "sort_code",
        "routing_number", "account_type", "reference", "message", "amount", "upi_id",
        "address", "btc_amount"]
CALLS = "{% for k in keys %}[{{ detail_label(k) }}]{% endfor %}"


def _render(source: str, language: str) -> str:
    env = html.environment(template_dirs(THEME))
    token = html._current.set(i18n.translations(THEME, language))
    try:
        return env.from_string(source).render(keys=KEYS)
    finally:
        html._current.reset(token)


@pytest.mark.parametrize("language", sorted(available_languages(THEME) | {"en"}))
def test_detail_labels_are_the_dicts_labels(language):
    chain = _render('{% from "detail_label.html" import detail_label %}' + CALLS, language)
    assert chain == _render(DICT_MACRO + CALLS, language)
    assert chain.count("[]") == 0


def test_an_unknown_detail_key_still_fails_the_build():
    with pytest.raises(jinja2.UndefinedError):
        _render('{% from "detail_label.html" import detail_label %}'
                '{{ detail_label("swift") }}', "en")
