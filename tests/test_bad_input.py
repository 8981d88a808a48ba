"""Every kind of bad input: one clear line naming file, line and field; output untouched."""

from __future__ import annotations

import pytest

from generator.cli.main import main
from tests.conftest import INVOICE, tree_snapshot


def variant(old: str, new: str) -> str:
    assert old in INVOICE
    return INVOICE.replace(old, new, 1)


CASES = {
    "malformed TOML": (variant('due = 2026-11-30', 'due = 2026-11-30 "oops'), 4, None,
                       "invalid TOML"),
    "missing front matter": ("number = 'T-9'\n", 1, None, "missing front matter"),
    "unclosed front matter": (INVOICE.replace("+++\nThanks!", "Thanks!"), 1, None,
                              "not closed"),
    "unknown field": (variant("tax_rate = 19", "tax_rte = 19"), 14, "items[0].tax_rte",
                      "did you mean 'tax_rate'"),
    "missing required field": (variant('number = "T-1"\n', ""), None, "number",
                               "missing required field"),
    "wrong type": (variant("quantity = 2", 'quantity = "two"'), 12, "items[0].quantity",
                   "expected a number"),
    "wrong type, bool price": (variant("unit_price = 100.00", "unit_price = true"), 13,
                               "items[0].unit_price", "expected a number"),
    "impossible date": (variant("due = 2026-11-30", "due = 2026-02-30"), 4, "due",
                        "date"),
    "impossible quoted date": (variant("due = 2026-11-30", 'due = "2026-02-30"'), 4, "due",
                               "real date"),
    "negative quantity": (variant("quantity = 2", "quantity = -1"), 12, "items[0].quantity",
                          "greater than 0"),
    "zero quantity": (variant("quantity = 2", "quantity = 0"), 12, "items[0].quantity",
                      "greater than 0"),
    "unknown currency": (variant('due = 2026-11-30', 'due = 2026-11-30\ncurrency = "EUX"'), 5,
                         "currency", "ISO 4217"),
    "unknown language": (variant('due = 2026-11-30', 'due = 2026-11-30\nlanguage = "de"'), 5,
                         "language", "expected one of: af, en, ru"),
    "tax rate out of range": (variant("tax_rate = 19", "tax_rate = 119"), 14,
                              "items[0].tax_rate", "between 0 and 100"),
    "due before issue": (variant("due = 2026-11-30", "due = 2026-10-30"), 4, "due",
                         "before the issue date"),
    "installments do not add up": (
        INVOICE.replace("+++\nThanks!", '[[installments]]\ndue = 2026-11-10\namount = 100\n\n'
                        '[[installments]]\ndue = 2026-11-30\namount = 100\n+++\nThanks!'),
        None, "installments", "add up to 200.00 but the invoice total is 238.00 EUR"),
    "installment percentages": (
        INVOICE.replace("+++\nThanks!", '[[installments]]\ndue = 2026-11-10\npercent = 50\n\n'
                        '[[installments]]\ndue = 2026-11-30\npercent = 40\n+++\nThanks!'),
        None, "installments", "add up to 90%"),
    "deposit and terms_days both": (variant("due = 2026-11-30", "due = 2026-11-30\n"
                                            "terms_days = 14"), 5, "terms_days", "not both"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_invoice_is_reported_and_output_kept(site, capsys, name):
    text, line, field, expected = CASES[name]
    site.invoice("good.md")
    site.invoice("good.md", INVOICE.replace('"T-1"', '"G-1"'))
    assert main(["build", str(site.root), "--today", "2026-11-23"]) == 0
    before = tree_snapshot(site.output)
    capsys.readouterr()

    site.invoice("bad.md", text)
    assert main(["build", str(site.root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    where = "content/bad.md" + (f":{line}" if line else "")
    assert first.startswith(f"error: {where}:"), err
    if field:
        assert f" {field}: " in first, err
    assert expected in first, err
    assert "Traceback" not in err
    assert tree_snapshot(site.output) == before


def test_duplicate_numbers_and_urls_name_both_files(site, capsys):
    site.invoice("a.md")
    site.invoice("b.md")
    site.invoice("c.md", variant('number = "T-1"', 'number = "T-3"\nslug = "same-place"'))
    site.invoice("d.md", variant('number = "T-1"', 'number = "T-4"\nslug = "same-place"'))
    assert main(["check", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "content/b.md: number: invoice number 'T-1' is also used by content/a.md" in err
    assert "content/d.md: slug: URL 'same-place/' is also used by content/c.md" in err


def test_all_problems_of_a_build_are_reported_together(site, capsys):
    site.invoice("a.md", variant("quantity = 2", "quantity = 0"))
    site.invoice("b.md", variant('number = "T-1"', 'number = "T-2"\ncolour = "red"'))
    assert main(["build", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "content/a.md:12: items[0].quantity:" in err
    assert "content/b.md:3: colour: unknown field" in err
    assert "2 problems found; nothing was written." in err
    assert not site.output.exists()


@pytest.mark.parametrize("items, expected", [
    ("items = [1, 2]", "expected an array of tables such as [[items]]"),
    ("items = []", "an invoice needs at least one [[items]] line"),
])
def test_items_that_are_not_line_items_are_reported_once(site, capsys, items, expected):
    text = INVOICE.split("[[items]]")[0].replace('number = "T-1"', f'number = "T-1"\n{items}')
    text += "+++\n"
    site.invoice("a.md", text)
    assert main(["check", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and f"a.md:3: items: {expected}" in err, err
    assert "1 problem found" in err


def test_bad_site_toml_is_reported(site, capsys):
    site.invoice()
    toml = (site.root / "site.toml").read_text()
    (site.root / "site.toml").write_text(
        toml.replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berlln"')
        .replace("https://example.github.io/invoices/", "example.github.io"))
    assert main(["build", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "site.toml:2: base_url: must be an http(s) URL" in err
    assert "site.toml:4: timezone: unknown time zone 'Europe/Berlln'" in err


def test_build_refuses_to_replace_a_folder_that_is_not_a_remit_output(site, capsys):
    site.invoice()
    keep = site.root / "precious"
    keep.mkdir()
    (keep / "thesis.txt").write_text("do not delete")
    assert main(["build", str(site.root), "--output", str(keep)]) == 1
    assert "refusing to replace this folder" in capsys.readouterr().err
    assert (keep / "thesis.txt").read_text() == "do not delete"


def test_build_never_touches_user_files(site):
    site.invoice()
    before = tree_snapshot(site.root / "content") | {"site.toml": (site.root / "site.toml")
                                                     .read_bytes()}
    site.build()
    after = tree_snapshot(site.root / "content") | {"site.toml": (site.root / "site.toml")
                                                    .read_bytes()}
    assert before == after
