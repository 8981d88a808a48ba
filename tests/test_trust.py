"""A build warns, and still builds, when a payment method pays someone other than the seller:
accounts-payable staff are trained to stop such an invoice. Names are compared as a person
reads them (case, spacing, accents, legal forms, initials and word order do not count)."""

from __future__ import annotations

import pytest

from generator.cli.main import main
from generator.figures.trust import same_name
from tests.conftest import INVOICE, SITE_TOML

SEPA = """
[payment.sepa]
beneficiary = "{holder}"
iban = "DE89 3704 0044 0532 0130 00"
"""


@pytest.mark.parametrize(("a", "b"), [
    ("Studio Nord GmbH", "Studio Nord"),
    ("STUDIO  nord gmbh", "Studio Nord"),
    ("Lindqvist, Anna", "Anna Lindqvist"),
    ("A. Lindqvist", "Anna Lindqvist"),
    ("Mueller Design", "Müller Design"),
    ("Zoë Smith", "Zoe Smith"),
    ("Van der Merwe Drukwerk (Pty) Ltd", "Van der Merwe Drukwerk"),
    ("Smit en Seuns BK", "Smit & Seuns BK"),
    ("Nowak Sp. z o.o.", "Nowak"),
    ("ООО «Ромашка»", "Ромашка"),
    ("ИП Петрова Ж. А.", "Жанна Петрова"),
])
def test_the_same_holder_written_differently_is_the_same(a, b):
    assert same_name(a, b) and same_name(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("Jonas Weber", "Anna Lindqvist"),
    ("Studio Süd GmbH", "Studio Nord GmbH"),
    ("B. Smith", "Anna Smith"),
    ("Anna Lindqvist", "Studio Lindqvist"),
    ("Nord Trading GmbH", "Studio Nord"),
])
def test_another_holder_is_not(a, b):
    assert not same_name(a, b) and not same_name(b, a)


def test_site_method_paying_someone_else_warns_once_naming_file_method_and_both(site, capsys):
    site.write("site.toml", SITE_TOML + "\n[payment]\n" + SEPA.format(holder="Nord Trading GmbH"))
    site.invoice("t-1.md")
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    report = site.build()
    assert report.pages == 2  # a warning, not an error
    [warning] = [str(w) for w in report.warnings]
    line = (site.root / "site.toml").read_text().splitlines().index('beneficiary = "Nord '
                                                                    'Trading GmbH"') + 1
    assert warning.startswith(f"site.toml:{line}: payment.sepa.beneficiary: ")
    assert "'sepa'" in warning and "'Nord Trading GmbH'" in warning
    assert "'Anna Lindqvist'" in warning and "'Studio Lindqvist'" in warning
    # The command line prints it on stderr and succeeds.
    assert main(["build", str(site.root), "--no-pdf", "--today", "2026-11-23"]) == 0
    assert f"warning: {warning}" in capsys.readouterr().err


@pytest.mark.parametrize("holder", ["Studio Lindqvist GmbH", "ANNA LINDQVIST", "Lindqvist, A.",
                                    "Anna Lindqvíst"])
def test_the_seller_under_another_spelling_does_not_warn(site, holder):
    site.write("site.toml", SITE_TOML + "\n[payment]\n" + SEPA.format(holder=holder))
    site.invoice()
    assert not site.build().warnings


def test_an_invoice_paying_someone_else_is_named(site):
    site.write("site.toml", SITE_TOML + "\n[payment]\n" + SEPA.format(holder="Anna Lindqvist"))
    site.invoice("ok.md")
    text = INVOICE.replace('"T-1"', '"T-2"').replace(
        "+++\nThanks!", '[payment.sepa]\nbeneficiary = "Jonas Weber"\n+++\nThanks!')
    site.invoice("other.md", text)
    [warning] = [str(w) for w in site.build().warnings]
    line = text.splitlines().index('beneficiary = "Jonas Weber"') + 1
    assert warning.startswith(f"content/other.md:{line}: payment.sepa.beneficiary: ")
    assert "'Jonas Weber'" in warning and "'Anna Lindqvist'" in warning


def test_an_invoice_from_another_seller_with_the_site_account_warns(site):
    site.write("site.toml", SITE_TOML + "\n[payment]\n" + SEPA.format(holder="Studio Lindqvist"))
    text = INVOICE.replace("[client]", '[seller]\nname = "Piet Botha"\ncompany = "Botha Bou"\n\n'
                                       "[client]")
    site.invoice("t-1.md", text)
    [warning] = [str(w) for w in site.build().warnings]
    assert warning.startswith("content/t-1.md:")
    assert "'Studio Lindqvist'" in warning and "'Piet Botha' or 'Botha Bou'" in warning


def test_the_examples_pay_their_seller(examples_built):
    _, report, _ = examples_built
    assert not [w for w in report.warnings if "beneficiary" in (w.field or "")]
