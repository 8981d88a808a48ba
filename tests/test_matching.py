"""The matching rules on their own (pure): statement lines against the fixture site's invoices."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from generator.figures.matching import Look, Match, reconcile, trie_pattern
from generator.model.statement import Line
from generator.read.camt import read_camt
from generator.read.site import load_site

SITE = Path(__file__).parent / "fixtures" / "statements" / "site"


@pytest.fixture(scope="module")
def invoices():
    return load_site(SITE, create_secret=False).invoices


def line(text: str, amount: str, **kw) -> Line:
    base = dict(where="s.xml:1", date=dt.date(2026, 3, 5), amount=Decimal(amount),
                currency="EUR", credit=True, text=text, text_parts=(text,))
    return Line(**{**base, **kw})


def one(invoices, ln: Line):
    out = reconcile([[ln]], invoices)
    results = out.matches + out.looks
    assert len(results) == 1, out
    return results[0]


def test_numbers_match_whole_never_inside_another():
    p = trie_pattern(["2026-01", "2026-014", "A/7"])
    assert [m.group() for m in p.finditer("Inv 2026-014, 2026-01. a/7 x2026-01 2026-0145")] \
        == ["2026-014", "2026-01", "a/7"]


def test_number_and_open_part_amount_matches_and_names_the_part(invoices):
    got = one(invoices, line("Rate R-103", "500.00"))
    assert isinstance(got, Match) and got.rule == "number" and got.pays == "installment 1"
    assert got.invoice.number == "R-103" and got.notes == ("1,000.00 EUR still open",)


def test_an_amount_without_a_number_says_where_it_is_open(invoices):
    got = one(invoices, line("Thanks!", "1200.00"))
    assert isinstance(got, Look)
    assert got.why == ("names no invoice number and no reference Remit issued; the amount is "
                       "what is open on R-105")


def test_a_reference_remit_did_not_issue_is_not_a_match(invoices):
    got = one(invoices, line("R-105", "999.00", reference="RF18539007547034"))
    assert isinstance(got, Look)
    assert got.why.startswith("names R-105 but the amount is not what was open on it")


def test_an_rf_reference_in_plain_text_is_exact_enough(invoices):
    got = one(invoices, line("Ihre Zahlung RF34 R105 danke", "1200.00"))
    assert isinstance(got, Match) and got.rule == "reference"


def test_a_line_twice_in_one_statement_is_two_payments_but_once_across_statements(invoices):
    ln = line("Rate R-103", "500.00", bank_reference="X")
    out = reconcile([[ln, dataclasses.replace(ln, where="s.xml:2")]], invoices)
    assert [m.pays for m in out.matches] == ["installment 1", "installment 2"]
    out = reconcile([[ln], [dataclasses.replace(ln, where="t.xml:9")]], invoices)
    assert len(out.matches) == 1 and out.already == 1


def test_paid_invoice_and_void_invoice_by_number_need_a_look(invoices):
    assert one(invoices, line("R-107", "400.00")).why == \
        "names R-107, which is void; nothing is open on it"


CAMT = b"""<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.05"><BkToCstmrDbtCdtNtfctn>
<Ntfctn><Ntry><Amt Ccy="EUR">345.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-03-09</Dt></BookgDt><AcctSvcrRef>B1</AcctSvcrRef><NtryDtls>
<TxDtls><RmtInf><Ustrd>R-112</Ustrd></RmtInf></TxDtls>
<TxDtls><RmtInf><Ustrd>R-111</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="EUR">90.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
<BookgDt><Dt>2026-03-10</Dt></BookgDt><AcctSvcrRef>P1</AcctSvcrRef>
<NtryDtls><TxDtls><RmtInf><Ustrd>R-111</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"""


def test_a_batch_without_amounts_and_a_pending_line_are_never_recorded(invoices):
    lines = read_camt(CAMT, "n.xml")
    assert [(ln.line_id, ln.amount) for ln in lines] == \
        [("B1/1", Decimal("345.50")), ("B1/2", Decimal("345.50")), ("P1", Decimal("90.00"))]
    out = reconcile([lines], invoices)
    assert out.matches == []
    assert [lk.why for lk in out.looks] == [
        "a batch booking of 2 transactions without their own amounts"] * 2 + [
        "not booked yet (status PDNG)"]


def test_control_characters_from_a_statement_never_pass(tmp_path):
    from generator.model.statement import CsvLayout
    from generator.read.statement import read_statement

    path = tmp_path / "s.csv"
    path.write_bytes(b"d,a,t,p\n2026-03-05,12.00,R-112 \x1b[2J\xc2\x85x,Eve\x07\n")
    first = read_statement(path, "s.csv", CsvLayout("d", "a", "t", payer="p",
                                                   account_currency="EUR"))[0]
    assert (first.text, first.text_parts, first.payer) == \
        ("R-112  [2J x", ("R-112  [2J x",), "Eve")


def test_an_mt940_reversal_naming_an_invoice_is_listed(invoices):
    from generator.read.mt940_statement import read_mt940

    text = (":20:X\n:25:1/2\n:28C:1\n:60F:C260301EUR10,00\n"
            ":61:2603070307RC1200,00NTRFNONREF//B1\n:86:Ruecklastschrift R-105 MD06\n"
            ":62F:C260307EUR10,00\n-\n")
    lines = read_mt940(text, "r.sta")
    assert (lines[0].where, lines[0].credit, lines[0].returned) == ("r.sta:5", False, True)
    out = reconcile([lines], invoices)
    assert out.matches == [] and out.looks[0].why.startswith("a returned payment naming R-105")


@pytest.mark.parametrize(("text", "matched"), [
    ("Ihre Zahlung RF34 R105 danke", True),
    ("RF34R105", True),
    ("paid rf34r105, thanks", True),
    ("RF34R1050", False),  # another reference that merely starts like ours
    ("XRF34R105", False),
])
def test_references_in_text_are_whole_words(invoices, text, matched):
    got = one(invoices, line(text, "1200.00"))
    assert isinstance(got, Match) is matched, got


def test_a_csv_header_below_the_banks_preamble_is_found(tmp_path):
    from generator.model.statement import CsvLayout
    from generator.read.statement import read_statement

    path = tmp_path / "dkb.csv"
    path.write_text('"Konto:";"DE89 3704"\n"Kontostand vom 31.03.2026:";"5.000,00 EUR"\n\n'
                    '"Buchungstag";"Betrag (EUR)";"Verwendungszweck"\n'
                    '"05.03.2026";"1.200,00";"R-105"\n', encoding="cp1252")
    layout = CsvLayout("Buchungstag", "Betrag (EUR)", "Verwendungszweck", decimal_comma=True,
                       date_format="%d.%m.%Y", delimiter=";", account_currency="EUR",
                       encoding="cp1252")
    (got,) = read_statement(path, "dkb.csv", layout)
    assert (got.where, got.date, got.amount, got.text) == \
        ("dkb.csv:5", dt.date(2026, 3, 5), Decimal("1200.00"), "R-105")


def test_paying_the_balance_before_the_deposit_is_no_underpayment(invoices):
    got = one(invoices, line("R-102", "1400.00"))
    assert isinstance(got, Match) and got.pays == "the balance"
    assert got.notes == ("600.00 EUR still open",)


def test_a_csv_with_credit_and_debit_columns(tmp_path):
    from generator.model.statement import CsvLayout
    from generator.read.statement import read_statement

    path = tmp_path / "uk.csv"
    path.write_text("Date,Description,Paid out,Paid in,Ref\n"
                    "05/03/2026,R-105,,\"1,200.00\",FP-1\n06/03/2026,Rent,950.00,,FP-2\n")
    layout = CsvLayout("Date", None, "Description", credit="Paid in", debit="Paid out",
                       id="Ref", date_format="%d/%m/%Y", account_currency="GBP")
    got = [(ln.amount, ln.credit, ln.line_id) for ln in read_statement(path, "uk.csv", layout)]
    assert got == [(Decimal("1200.00"), True, "FP-1"), (Decimal("950.00"), False, "FP-2")]


def test_a_csv_mapping_without_an_amount_column_is_a_site_toml_error(tmp_path, capsys):
    import shutil

    from generator.cli.main import main

    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    toml = root / "site.toml"
    toml.write_text(toml.read_text().replace('amount = "Betrag"\n', ""))
    assert main(["check", str(root)]) == 1
    assert "site.toml:37: reconcile.csv.amount: missing: name the amount column" in \
        capsys.readouterr().err
