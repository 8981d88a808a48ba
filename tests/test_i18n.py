"""Every string a client can see exists in every language, with the same placeholders."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from tests.conftest import INVOICE, REPO

LOCALES = REPO / "themes" / "default" / "locales"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


@pytest.fixture(scope="module")
def template_ids(tmp_path_factory) -> set[str]:
    """Extract afresh from the templates and code, so a new string can't hide from the test."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2",
                    "--no-location", "-o", str(pot), "."], cwd=REPO, check=True,
                   capture_output=True)
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


@pytest.mark.parametrize("lang", ["ru", "af"])
def test_catalog_is_complete_and_placeholders_match(template_ids, lang):
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    translated = {}
    for m in catalog:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else m.id[0]
        translated[key] = m
    missing = sorted(i for i in template_ids
                     if i not in translated or not all(_forms(translated[i])) or
                     translated[i].fuzzy)
    assert not missing, f"{lang}: untranslated: {missing}"
    for key, m in translated.items():
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for form in _forms(m):
            assert set(PLACEHOLDER.findall(form)) <= wanted, (lang, key, form)
            # %(num)s may be dropped in a singular form ("one day"), nothing else may.
            assert wanted - {"%(num)s"} <= set(PLACEHOLDER.findall(form)), (lang, key, form)


def _forms(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def test_russian_plural_forms_are_used(site):
    site.invoice(text=INVOICE.replace("due = 2026-11-30", 'due = 2026-11-25\nlanguage = "ru"'))
    site.build()
    summary = site.pages()["T-1"].select_one(".summary").get_text(" ", strip=True)
    assert "через 2 дня" in summary


# A day below 10, in every language: CLDR's Afrikaans long pattern is "dd MMMM y", which the
# page, PDF, share text, calendar file and countdown data once all printed as "04 Desember".
DAY_FOUR = {"af": "4 Desember 2026", "ru": "4 декабря 2026", "en": "December 4, 2026"}


@pytest.mark.parametrize("lang", sorted(DAY_FOUR))
def test_written_dates_never_pad_the_day(site, capsys, lang):
    import json

    import pypdf
    from babel import Locale

    from generator.cli.main import main

    site.invoice(text=INVOICE.replace("issued = 2026-11-01", "issued = 2026-11-04")
                 .replace("due = 2026-11-30", f'due = 2026-12-04\nlanguage = "{lang}"'))
    site.build(pdf=True)
    folder = next(site.output.glob("*/index.html")).parent
    page = site.pages()["T-1"].get_text(" ")
    pdf = " ".join(p.extract_text() for p in pypdf.PdfReader(folder / "T-1.pdf").pages)
    assert main(["share", "T-1", str(site.root), "--today", "2026-11-23", "--json"]) == 0
    share = json.loads(capsys.readouterr().out)["text"]
    others = " ".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
                      if p.suffix in (".ics", ".json", ".txt"))
    months = "|".join(Locale.parse(lang).months["format"]["wide"].values())
    padded = re.compile(rf"(?<!\d)0\d\s+(?:{months})", re.IGNORECASE)
    for where, text in (("page", page), ("pdf", pdf), ("share", share), ("files", others)):
        text = " ".join(text.replace("\u00a0", " ").split())
        assert not padded.search(text), (lang, where, padded.search(text))
    for where, text in (("page", page), ("pdf", pdf), ("share", share)):
        assert DAY_FOUR[lang] in " ".join(text.replace("\u00a0", " ").split()), (lang, where)


# 1, 2, 5 and 21 take different forms in Russian (час, часа, часов, час); Afrikaans and
# English have two. Durations come from CLDR, other units from the theme's catalogs.
PLURALS = {
    "en": {"hour": ["1 hour", "2 hours", "5 hours", "21 hours"],
           "page": ["1 page", "2 pages", "5 pages", "21 pages"]},
    "ru": {"hour": ["1 час", "2 часа", "5 часов", "21 час"],
           "page": ["1 страница", "2 страницы", "5 страниц", "21 страница"]},
    "af": {"hour": ["1 uur", "2 uur", "5 uur", "21 uur"],
           "page": ["1 bladsy", "2 bladsye", "5 bladsye", "21 bladsye"]},
}


@pytest.mark.parametrize("lang", sorted(PLURALS))
def test_units_take_the_plural_form_of_each_language(site, lang):
    items = "".join(f'\n[[items]]\ndescription = "{unit} x{n}"\nquantity = {n}\n'
                    f'unit = "{unit}s"\nunit_price = 10.00\n'
                    for unit in PLURALS[lang] for n in (1, 2, 5, 21))
    site.invoice(text=INVOICE.replace("due = 2026-11-30", f'due = 2026-11-30\nlanguage = "{lang}"')
                 .replace("+++\nThanks!", items + "+++\nThanks!"))
    site.build()
    rows = site.pages()["T-1"].select("table.items tbody tr")
    shown = {}
    for row in rows:
        cells = [" ".join(td.get_text(" ").replace("\u00a0", " ").split())
                 for td in row.select("td")]
        shown[cells[0]] = cells[1]
    for unit, forms in PLURALS[lang].items():
        assert [shown[f"{unit} x{n}"] for n in (1, 2, 5, 21)] == forms, (lang, unit)


@pytest.mark.parametrize("lang", sorted(PLURALS))
def test_countdown_units_follow_the_catalog_plural_rules(lang):
    from generator.model.settings import Settings
    from generator.view.countdown import unit_text

    settings = Settings.__new__(Settings)
    object.__setattr__(settings, "theme_dir", REPO / "themes" / "default")
    hours = [unit_text(lang, settings, n, "hour") for n in (1, 2, 5, 21)]
    assert hours == PLURALS[lang]["hour"]


# Afrikaans addresses a client formally: "u", never "jy", "jou", "julle" (nor "jouself").
INFORMAL_AF = re.compile(r"\b(?:jy|jou|joune|jouself|julle|jul)\b", re.IGNORECASE)


def test_afrikaans_addresses_the_client_formally():
    with (LOCALES / "af" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="af")
    informal = [(m.id, form) for m in catalog if m.id for form in _forms(m)
                if INFORMAL_AF.search(form)]
    assert not informal, informal


NOT_FOUND = {"en": "Page not found", "ru": "Страница не найдена", "af": "Bladsy nie gevind nie"}


@pytest.mark.parametrize("lang", sorted(NOT_FOUND))
def test_the_404_page_speaks_the_sites_language(site, lang):
    from bs4 import BeautifulSoup

    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"',
                                                             f'language = "{lang}"'),
                    encoding="utf-8")
    site.invoice()
    site.build()
    page = BeautifulSoup((site.output / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == lang
    assert page.h1.get_text(strip=True) == NOT_FOUND[lang]
    assert NOT_FOUND[lang] in page.title.get_text()


def test_the_client_is_greeted_once(examples_built, site):
    """Every example's note opens by addressing the client ("Hello Jonas,", "Goeie dag
    Pieter,", "Thank you, Peter:"): that is the page's greeting, so the stage message under
    the amount starts with the amount, and its script templates carry no name to fill."""
    greeting = re.compile(r"(Dear|Beste|Здравствуйте)\b")
    checked = 0
    for number, soup in examples_built[2].items():
        messages = [m.get_text(" ", strip=True) for m in soup.select("[data-stage-message]")]
        if soup.select_one(".note.personal") is None or not messages:
            continue
        if number in ("2026-010", "2026-011"):  # "Draft: ...", "Please disregard ...": no
            assert re.match(r"(Dear|Draft)\b", messages[0]), number  # greeting there
            continue
        for text in messages:
            assert not greeting.match(text), (number, text)
        assert "{name}" not in str(soup), number
        checked += 1
    assert checked >= 7
    # A note that greets nobody ("Thanks!"): the stage message is the greeting.
    site.invoice()
    site.build()
    messages = [m.get_text(" ", strip=True)
                for m in site.pages()["T-1"].select("[data-stage-message]")]
    assert messages and all(m.startswith("Dear Jonas Weber,") for m in messages)
