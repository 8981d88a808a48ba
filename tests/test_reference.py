"""`reference = "auto"`: every invoice and every part of it gets its own structured reference,
on the page, in the QR code and in the PDF, so that `remit reconcile` matches exactly."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image
from stdnum import iso11649
from stdnum.ch import esr

from generator.cli.main import main
from generator.payments.reference import qr_reference, rf
from tests.conftest import SiteDir
from tests.qrdecode import decode_svg
from tests.systools import system_tool

FIXTURES = Path(__file__).parent / "fixtures" / "statements"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The reconcile fixture site on two days: the deposit due, then everything overdue."""
    found = {}
    for day in ("2026-02-05", "2026-04-05"):
        root = tmp_path_factory.mktemp("ref") / "site"
        shutil.copytree(FIXTURES / "site", root)
        site = SiteDir(root, fresh=False)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("REMIT_SECRET", "test-secret")
            site.build(today=dt.date.fromisoformat(day))
        found[day] = site.pages()
    return found


def code(page, method: str) -> list[str]:
    fig = page.select_one(f'figure.pay-qr[data-method="{method}"]')
    return decode_svg(fig.select_one(".qr-box svg")).bytes.decode().splitlines()


def shown_reference(page, method: str) -> str:
    art = page.select_one(f'article[data-method="{method}"]')
    return art.select_one('[data-detail="reference"] .copy-value').get_text(strip=True)


def test_references_are_valid_and_distinct_per_invoice_and_part():
    refs = [rf("2026-014"), rf("2026-014", "deposit"), rf("2026-014", "installment", 1),
            rf("2026-014", "installment", 2), rf("2026-015")]
    assert all(iso11649.is_valid(r) for r in refs) and len(set(refs)) == len(refs)
    qrs = [qr_reference("2026-014"), qr_reference("2026-014", "deposit"),
           qr_reference("2026-014", "installment", 2), qr_reference("INV-7")]
    assert all(esr.is_valid(q) and len(q) == 27 for q in qrs) and len(set(qrs)) == len(qrs)
    assert rf("2026-014") == rf("2026-014")  # derived, never random


def test_the_code_carries_the_part_due_and_the_page_shows_it(pages):
    early, later = pages["2026-02-05"], pages["2026-04-05"]
    # the deposit alone is due first (its own reference); later both parts at once
    # (the invoice's reference).
    assert code(early["R-102"], "sepa")[7:10] == ["EUR600.00", "", rf("R-102", "deposit")]
    assert shown_reference(early["R-102"], "sepa") == "RF83 R102 D"
    assert code(later["R-102"], "sepa")[7:10] == ["EUR2000.00", "", rf("R-102")]
    # Installments: the first one's reference while it is the one due.
    assert code(early["R-103"], "sepa")[9] == rf("R-103", "installment", 1)
    assert code(early["R-101"], "sepa")[9] == "RF45R101"


def test_a_swiss_qr_iban_gets_a_qr_reference(pages):
    data = decode_svg(pages["2026-02-05"]["R-120"].select_one(
        'figure.pay-qr[data-method="swiss"] .qr-box svg')).bytes.decode().split("\r\n")
    assert data[27:29] == ["QRR", qr_reference("R-120")]
    assert shown_reference(pages["2026-02-05"]["R-120"], "swiss") == \
        "00 00000 00000 00000 02712 00003"


def test_the_printed_pdf_carries_the_reference_and_its_code(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    for f in (root / "content").iterdir():
        if f.name != "r-102.md":
            f.unlink()
    SiteDir(root, fresh=False).build(today=dt.date(2026, 2, 5), pdf=True)
    pdf = next(root.glob("output/*/R-102.pdf"))
    text = " ".join(pypdf.PdfReader(pdf).pages[0].extract_text().split())
    assert "RF83 R102 D" in text
    subprocess.run([system_tool("pdftoppm"), "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    payloads = [c.text for c in zxingcpp.read_barcodes(image)]
    assert any(p.splitlines()[9:10] == [rf("R-102", "deposit")] for p in payloads), payloads


def test_a_number_too_long_for_a_reference_is_a_located_error(tmp_path, capsys):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    path = root / "content" / "r-104.md"
    path.write_text(path.read_text().replace('"R-104"', '"R-2026-0000000000000000104"'))
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "content/r-104.md: payment.sepa.reference: invoice number " in err
    assert "too long for a creditor reference" in err


def test_each_open_part_shows_its_own_reference_in_the_schedule(pages):
    rows = pages["2026-02-05"]["R-103"].select(".schedule tr.part")
    shown = [r.select_one(".part-reference .copy-value").get_text(strip=True) for r in rows]
    assert shown == ["RF62 R103 I1", "RF35 R103 I2", "RF08 R103 I3"]
    assert all(iso11649.is_valid(s) for s in shown)
