"""`remit reconcile`: bank statements (camt.053/054, MT940, CSV) recorded in the invoices they pay.

The statements in tests/fixtures/statements/ are written by hand after the ISO 20022 message
definitions and banks' sample files; the site beside them has one invoice per case.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.cli.main import main
from generator.read.site import load_site
from tests.conftest import SiteDir, tree_snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "statements"
GOOD = ["camt053_v02.xml", "camt053_v08.xml", "camt054_v04.xml", "camt054_v08_chf.xml",
        "statement.sta", "export.csv"]
DAY = "2026-03-20"


@pytest.fixture
def rsite(tmp_path: Path) -> SiteDir:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    return SiteDir(root, fresh=False)


def reconcile(site: SiteDir, *names: str, dry_run: bool = False, capsys=None) -> int:
    args = ["reconcile", "--site", str(site.root), *(str(FIXTURES / n) for n in names)]
    return main([*args, "--dry-run"] if dry_run else args)


def content(site: SiteDir) -> dict[str, bytes]:
    return tree_snapshot(site.root / "content")


def payments(site: SiteDir) -> dict[str, list]:
    return {inv.number: list(inv.payments) for inv in load_site(site.root).invoices}


def test_every_rule_records_what_it_should_and_lists_the_rest(rsite, capsys):
    assert reconcile(rsite, *GOOD) == 0
    out = capsys.readouterr().out
    paid = {n: [(str(p.date), p.amount, p.method, p.reference, p.id) for p in ps]
            for n, ps in payments(rsite).items() if ps}
    assert paid == {
        # 1. structured references Remit issued: RF in Strd/CdtrRefInf/Ref (v02, v08, v04),
        # the deposit's own RF, a Swiss QR reference, an RF in MT940's field 86 text.
        "R-101": [("2026-03-02", Decimal("1000.00"), "sepa", "WEBER-2026-03-02",
                   "2026030200000101")],
        "R-102": [("2026-03-06", Decimal("600.00"), "sepa", "DEP-R102", "B53-0306-0001-1")],
        "R-105": [("2026-03-12", Decimal("1250.00"), "sepa", "R105-PAY", "N54-0001")],
        "R-106": [("2026-03-12", Decimal("200.00"), "sepa", "N54-0002", "N54-0002")],
        "R-107": [("2026-03-12", Decimal("400.00"), "sepa", "N54-0003", "N54-0003")],
        "R-111": [("2026-03-09", Decimal("90.00"), "sepa", "E2E-R111", "B53-0309-BATCH-1")],
        "R-120": [("2026-03-13", Decimal("1500.00"), "swiss", "QRR-R120",
                   "CH-20260313-0001-1")],
        "R-130": [("2026-03-06", Decimal("620.00"), "sepa", "2026030600812", None)],
        # 2. number in the text and the open amount: Ustrd split over two lines, a batch
        # booking's second transaction, an installment from MT940, a CSV decimal comma.
        "R-113": [("2026-03-03", Decimal("700.00"), "sepa", "2026030300000113",
                   "2026030300000113")],
        "R-112": [("2026-03-09", Decimal("45.50"), "sepa", "B53-0309-BATCH-2",
                   "B53-0309-BATCH-2")],
        "R-103": [("2026-03-05", Decimal("500.00"), "sepa", "R103-RATE-1", None)],
        "R-131": [("2026-03-08", Decimal("1234.56"), "sepa", None, None)],
    }
    assert "Recorded 12 payments in 12 invoice files." in out
    looks = out.split("Needs a look (6)")[1]
    # 3. everything else, with why, and where in which statement.
    for where, why in [
        ("camt053_v02.xml:81", "names several invoices: R-109, R-110"),
        ("camt053_v02.xml:87", "names no invoice number and no reference Remit issued"),
        ("camt053_v08.xml:50", "names no invoice number"),  # the batch's third transaction
        ("camt053_v08.xml:69", "a returned payment naming R-106"),
        ("camt053_v08.xml:86", "names R-108, which is in USD, but 921.50 EUR arrived (the "
                               "payer sent 1,000.00 USD)"),
        ("export.csv:2", "names R-104 but the amount is not what was open on it (800.00 EUR)"),
    ]:
        assert re.search(re.escape(where) + r"[^\n]*\n\s+" + re.escape(why), looks), where
    assert "overpaid by 50.00 EUR: a credit balance of 50.00 EUR" in out
    assert "underpaid: 100.00 EUR short of the invoice; 100.00 EUR still open" in out
    assert "R-107 is void: recorded as received; 400.00 EUR is owed back" in out
    assert "pays the deposit: 1,400.00 EUR still open" in out
    assert "3 debits naming no invoice left alone" in out


def test_after_reconcile_the_pages_and_list_show_the_true_balance(rsite, capsys):
    assert reconcile(rsite, *GOOD) == 0
    rsite.build(today=__import__("datetime").date.fromisoformat(DAY))
    pages = rsite.pages()

    def status(n: str) -> str:
        return pages[n].select_one(".status-pill")["data-status"]

    assert status("R-101") == status("R-120") == status("R-131") == "paid"
    def states(n: str) -> list[str]:
        """Each schedule row's state as the page shows it on the build day."""
        return [tr.select_one(".part-state:not([hidden])")["class"][1]
                for tr in pages[n].select(".schedule tr.part")]

    assert states("R-103") == ["state-paid", "state-due", "state-upcoming"]
    assert states("R-102") == ["state-paid", "state-due"]
    credit = pages["R-105"].select_one("tr.overpaid td").get_text(strip=True)
    assert credit == "€50.00"
    assert pages["R-106"].select_one("tr.balance td").get_text(strip=True) == "€100.00"
    assert pages["R-107"].select_one("tr.overpaid td").get_text(strip=True) == "€400.00"
    capsys.readouterr()
    assert main(["list", str(rsite.root), "--today", DAY, "--json"]) == 0
    rows = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert (rows["R-105"]["status"], rows["R-105"]["credit"]) == ("paid", "50.00")
    assert (rows["R-103"]["balance"], rows["R-104"]["balance"]) == ("1000.00", "800.00")
    assert main(["list", str(rsite.root), "--today", DAY]) == 0
    text = capsys.readouterr().out
    assert re.search(r"R-105 .*credit\s+€50\.00", text)
    assert re.search(r"R-106 .*balance\s+€100\.00", text)


def test_the_same_statements_twice_record_nothing_more(rsite, capsys):
    assert reconcile(rsite, *GOOD) == 0
    once = content(rsite)
    assert reconcile(rsite, *GOOD) == 0
    out = capsys.readouterr().out.split("Recorded 12")[1]
    assert content(rsite) == once
    assert "Recorded 0 payments in 0 invoice files." in out
    assert "12 lines already recorded" in out
    assert "Needs a look (6)" in out  # still unresolved, so still listed


def test_overlapping_statements_record_each_payment_once(rsite, tmp_path, capsys):
    """The month's statement (400+ lines) holds the two payments of a daily one."""
    assert reconcile(rsite, "camt053_v02.xml") == 0
    daily = content(rsite)
    assert reconcile(rsite, "camt053_v06_month.xml") == 0
    assert content(rsite) == daily
    assert "2 lines already recorded" in capsys.readouterr().out
    both = SiteDir(tmp_path / "both", fresh=False)
    shutil.copytree(FIXTURES / "site", both.root)
    assert reconcile(both, "camt053_v02.xml", "camt053_v06_month.xml") == 0
    assert content(both) == daily
    out = capsys.readouterr().out
    assert "Recorded 2 payments" in out and "421 debits naming no invoice" in out


def strip_appended(text: str) -> str:
    return re.sub(r"\n\[\[payments\]\]\ndate = [^\n]*\n(?:(?:amount|method|reference|id) = "
                  r"[^\n]*\n)+", "", text)


def test_every_other_byte_of_the_files_is_kept(rsite):
    before = content(rsite)
    assert reconcile(rsite, *GOOD) == 0
    after = content(rsite)
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 12 and set(before) == set(after)
    for name in changed:
        old, new = before[name].decode(), after[name].decode()
        assert strip_appended(new) == old, name
    odd = after["r-101.md"].decode()
    # The comments, the odd spacing and the note (with a '+++' inside it) are all there.
    assert "number    =   \"R-101\"   # spaces around '='" in odd
    assert "  [client]   # indented header" in odd
    assert "unit_price = 1_000.00   # underscores" in odd
    assert odd.endswith("+++ not a fence, just text +++\n")
    assert odd.index('id = "2026030200000101"') < odd.index("+++\nDear Jonas")


def test_existing_entries_are_never_changed_and_crlf_files_stay_crlf(rsite):
    path = rsite.root / "content" / "r-101.md"
    crlf = path.read_text().replace("\n", "\r\n").replace(
        "# end of front matter", '[[payments]]\r\ndate = 2026-02-20\r\namount = 1.00\r\n'
                                 'method = "cash"   # by hand\r\n')
    path.write_bytes(crlf.encode())
    assert reconcile(rsite, "camt053_v02.xml") == 0
    new = path.read_bytes().decode()
    assert new.startswith(crlf.split("+++\r\nDear")[0])
    assert '\r\n[[payments]]\r\ndate = 2026-03-02\r\namount = 1000.00\r\n' in new
    assert "\n" not in new.replace("\r\n", "")
    # 1.00 was there already: 1000.00 more overpays by 1.00 and says so.
    assert [str(p.amount) for p in payments(rsite)["R-101"]] == ["1.00", "1000.00"]


def test_dry_run_prints_a_diff_per_file_and_writes_nothing(rsite, capsys):
    before = content(rsite)
    assert reconcile(rsite, *GOOD, dry_run=True) == 0
    out = capsys.readouterr().out
    assert content(rsite) == before
    assert out.count("--- a/content/") == 12
    assert '--- a/content/r-120.md\n+++ b/content/r-120.md\n' in out
    assert '+id = "CH-20260313-0001-1"\n' in out
    assert "Would record 12 payments" in out and "Needs a look (6)" in out
    assert "Dry run: no file was written." in out


@pytest.mark.parametrize(("statement", "expected"), [
    ("bad_malformed.xml", r"bad_malformed\.xml:11: malformed XML"),
    ("bad_not_camt.xml", r"bad_not_camt\.xml:3: not a camt\.053 or camt\.054 statement: the "
                         r"root element is <Document> in namespace "
                         r"urn:iso:std:iso:20022:tech:xsd:pain\.001\.001\.03"),
    ("bad_amount.xml", r"bad_amount\.xml:6: Ntry/Amt: Amt is not a number \(got '1\.000,00'\)"),
    ("bad_truncated.sta", r"bad_truncated\.sta:\d+: truncated: the statement that starts at "
                          r"line 1 ends without its closing balance \(:62F:\)"),
    ("bad_missing_column.csv", r"bad_missing_column\.csv:1: column "
                               r"'Beguenstigter/Zahlungspflichtiger' \(payer\) named in site\.toml"
                               r" \[reconcile\.csv\] is not in the header"),
])
def test_an_unreadable_statement_is_a_located_error_and_nothing_is_written(
        rsite, capsys, statement, expected):
    before = content(rsite)
    # A good statement beside it: no half-reconciled content either.
    assert reconcile(rsite, "camt053_v02.xml", statement) == 1
    err = capsys.readouterr().err
    assert re.search(expected, err), err
    assert "nothing was written" in err
    assert content(rsite) == before


def test_a_csv_without_a_mapping_says_how_to_map_it(rsite, capsys):
    toml = rsite.root / "site.toml"
    toml.write_text(toml.read_text().split("# The bank's CSV")[0])
    assert reconcile(rsite, "export.csv") == 1
    assert "[reconcile.csv]" in capsys.readouterr().err


def test_a_payment_entered_by_hand_is_not_recorded_again(rsite, capsys):
    path = rsite.root / "content" / "r-113.md"
    path.write_text(path.read_text().replace(
        "+++\nThank", "[[payments]]\ndate = 2026-03-03\namount = 700\n+++\nThank"))
    before = content(rsite)
    assert reconcile(rsite, "camt053_v02.xml") == 0
    assert content(rsite)["r-113.md"] == before["r-113.md"]
    assert "already has a payment of 700.00 EUR on 2026-03-03 entered by hand" in \
        capsys.readouterr().out


def test_inline_payment_arrays_are_appended_to_in_place(rsite):
    path = rsite.root / "content" / "r-107.toml"
    path.write_text("payments = [ {date = 2026-02-02, amount = 0.50} ]  # kept\n"
                    + path.read_text())
    assert reconcile(rsite, "camt054_v04.xml") == 0
    first = path.read_text().splitlines()[0]
    assert first == ('payments = [ {date = 2026-02-02, amount = 0.50}, {date = 2026-03-12, '
                     'amount = 400.00, method = "sepa", reference = "N54-0003", id = '
                     '"N54-0003"} ]  # kept')


def test_page_payment_rows_show_the_bank_reference(rsite):
    assert reconcile(rsite, "camt053_v02.xml") == 0
    rsite.build(today=__import__("datetime").date.fromisoformat(DAY))
    html = next(p for p in rsite.output.glob("r-101-*/index.html")).read_text()
    rows = BeautifulSoup(html, "html.parser").select("section.received tbody tr")
    assert [td.get_text(strip=True) for td in rows[0].select("td")][1:3] == \
        ["sepa", "WEBER-2026-03-02"]


def test_a_payments_header_inside_a_string_does_not_fool_the_writer(rsite):
    path = rsite.root / "content" / "r-107.toml"
    path.write_text('payments = [{date = 2026-02-02, amount = 0.50}]\nterms = """\n'
                    '[[payments]]\nnot a table\n"""\n' + path.read_text())
    assert reconcile(rsite, "camt054_v04.xml") == 0
    assert [str(p.amount) for p in payments(rsite)["R-107"]] == ["0.50", "400.00"]
    assert '[[payments]]\nnot a table\n"""\n' in path.read_text()
