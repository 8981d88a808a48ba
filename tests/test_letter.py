"""The printed invoice is a business letter: one page for the examples, the address in the
envelope window, totals after the last item, pages with carried-forward subtotals, the words
of each language, tagged PDFs, receipts, and the new fields' errors.

Word positions come from pdfplumber (points from the page's top-left corner).
"""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from PIL import Image

from generator.errors import RemitError
from tests.conftest import INVOICE, SiteDir
from tests.qrdecode import decode_image, decode_svg
from tests.systools import system_tool
from tests.test_pdf import add_setting, example_pages, long_invoice, norm, pdf_text

MM = 72 / 25.4  # points per millimetre
INCH = 72

# Where a window envelope shows the address, from the standards (not from Remit's code):
# DIN 5008 address field, 85 x 45 mm at 20 mm from the left; its lower 27.3 mm hold the
# recipient, the 17.7 mm above them the return address. Form B at 45 mm, form A at 27 mm.
# US #10 window: 4.5 x 1.125 in, 7/8 in from the left and 1/2 in above the bottom of a
# 4 1/8 in envelope; a Letter page folded in thirds (3.67 in) resting at its bottom shows
# 2.04 in to 3.17 in below the page's top edge through it.
WINDOWS = {
    "A4-B": {"x": (20 * MM, 105 * MM), "recipient": (62.7 * MM, 90 * MM),
             "return": (45 * MM, 62.7 * MM)},
    "A4-A": {"x": (20 * MM, 105 * MM), "recipient": (44.7 * MM, 72 * MM),
             "return": (27 * MM, 44.7 * MM)},
    "Letter": {"x": (0.875 * INCH, 5.375 * INCH),
               "recipient": (2.042 * INCH, 3.167 * INCH),
               "return": (2.042 * INCH, 3.167 * INCH)},
}

CLIENT = """[client]
name = "Jonas Weber"
company = "Weber Bäckerei GmbH"
address = "Bergmannstraße 5\\n10961 Berlin\\nGermany"
"""


def pdf_of(site: SiteDir, number: str = "T-1") -> Path:
    return next(site.output.glob(f"*/{number}.pdf"))


def lines_of(page: pdfplumber.page.Page) -> list[tuple[float, float, float, float, str]]:
    """(top, bottom, x0, x1, text) per printed line."""
    found = []
    for line in page.extract_text_lines():
        found.append((line["top"], line["bottom"], line["x0"], line["x1"],
                      norm(line["text"])))
    return found


def find(lines, text: str):
    hits = [ln for ln in lines if text in ln[4]]
    assert hits, f"{text!r} not printed; lines: {[ln[4] for ln in lines]}"
    return hits[0]


def with_client(text: str = INVOICE) -> str:
    head, rest = text.split("[client]", 1)
    return head + CLIENT + rest.split("\n\n", 1)[1]


# -- one page, tagged ----------------------------------------------------------------------
def test_every_example_prints_on_exactly_one_page_tagged(built_examples):
    pdfs = sorted(built_examples.output.glob("*/*.pdf"))
    assert len(pdfs) == 11  # ten invoices and the paid one's receipt
    for pdf in pdfs:
        reader = pypdf.PdfReader(pdf)
        assert len(reader.pages) == 1, pdf.name
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root, pdf.name
        assert root["/Lang"] in ("en", "ru", "af")
    system_tool("pdfinfo")  # skips, naming the package, unless CI requires it
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        assert "Tagged:          yes" in info, pdf.name


def test_nothing_screen_only_and_totals_follow_the_last_item_in_every_example(built_examples):
    for soup, pdf in example_pages(built_examples):
        text = " ".join(pdf_text(pdf))
        for screen in ("This page is your receipt", "review", "Download", "to your calendar",
                       "left", "Other ways to pay", "Copy"):
            assert screen not in text, (pdf.name, screen)
        with pdfplumber.open(pdf) as doc:
            lines = lines_of(doc.pages[0])
        last_item = soup.select("table.items tbody tr")[-1].td.get_text(strip=True)
        item = find(lines, norm(last_item)[:30])
        total = next(ln for ln in lines if ln[4].split()[0] in ("Total", "Итого", "Totaal")
                     and ln[0] > item[0])
        assert total[0] - item[1] < 30 * MM, pdf.name  # right below it, same page


def struct_alts(reader: pypdf.PdfReader) -> list[tuple[str, str]]:
    """(tag, alternative text) of every structure element that has one."""
    found, todo = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            todo.extend(node)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/Alt" in node:
                found.append((node.get("/S"), str(node["/Alt"])))
            if "/K" in node:
                todo.append(node["/K"])
    return found


def test_the_qr_code_is_a_figure_with_alternative_text(built_examples):
    reader = pypdf.PdfReader(next(built_examples.output.glob("*/2026-001.pdf")))
    assert ("/Figure", "QR code: €2,142.00, 2026-001") in struct_alts(reader)
    ru = pypdf.PdfReader(next(built_examples.output.glob("*/2026-007.pdf")))
    assert ("/Figure", "QR-код: 1 290,00 €, 2026-007") in [
        (tag, alt.replace("\u00a0", " ")) for tag, alt in struct_alts(ru)]


# -- the envelope window ---------------------------------------------------------------------
@pytest.mark.parametrize(("settings", "window"), [
    ("", "A4-B"), ('address_form = "A"', "A4-A"), ('paper = "Letter"', "Letter")])
def test_recipient_address_shows_through_the_envelope_window(site, settings, window):
    if settings:
        add_setting(site, settings)
    site.invoice(text=with_client())
    site.build(pdf=True)
    area = WINDOWS[window]
    with pdfplumber.open(pdf_of(site)) as doc:
        # The window's column only (the details box sits right of it): any character of the
        # address beyond the window's edge is still seen, being within the crop.
        page = doc.pages[0]
        lines = lines_of(page.crop((0, 0, area["x"][1] + 1 * MM, page.height)))
    for text in ("Weber Bäckerei GmbH", "Jonas Weber", "Bergmannstraße 5", "10961 Berlin",
                 "Germany"):
        top, bottom, x0, x1, _ = find([ln for ln in lines if ln[4] == text], text)
        assert area["x"][0] <= x0 and x1 <= area["x"][1], (text, x0, x1)
        assert area["recipient"][0] <= top and bottom <= area["recipient"][1], (text, top)
    top, bottom, x0, x1, _ = find(lines, "Studio Lindqvist · Lindenstraße 12 · 10969 Berlin")
    assert area["return"][0] <= top and bottom <= area["return"][1]
    assert area["x"][0] <= x0 and x1 <= area["x"][1]
    box = doc.pages[0]
    assert (round(box.width), round(box.height)) == ((612, 792) if window == "Letter"
                                                     else (595, 842))


# -- long invoices -------------------------------------------------------------------------
def test_sixty_lines_paginate_with_carried_forward_subtotals_and_totals_after_the_last(site):
    site.invoice(text=long_invoice(60))
    site.build(pdf=True)
    texts = pdf_text(pdf_of(site))
    assert len(texts) >= 3
    running, seen = Decimal(0), 0
    for n, text in enumerate(texts, 1):
        assert f"Page {n} of {len(texts)}" in text
        assert "Description Quantity Unit price Amount" in text
        lines = [int(x) for x in re.findall(r"Line (\d\d): consulting", text)]
        assert lines == list(range(seen + 1, seen + len(lines) + 1)) and lines
        seen += len(lines)
        if n > 1:
            assert f"Brought forward €{running:,.2f}" in text
            assert "Studio Lindqvist · Invoice T-1" in text  # the running header
        running += sum((Decimal(i) for i in lines), Decimal(0))
        if n < len(texts):
            assert f"Carried forward €{running:,.2f}" in text
            assert "Subtotal" not in text
    assert "Line 60: consulting" in texts[-1]
    assert f"Subtotal €{running:,.2f}" in texts[-1] and running == sum(range(1, 61))
    # The legal footer is on every page.
    assert all("Studio Lindqvist · Anna Lindqvist · Lindenstraße 12" in t for t in texts)
    with pdfplumber.open(pdf_of(site)) as doc:
        last = lines_of(doc.pages[-1])
    assert find(last, "Subtotal")[0] > find(last, "Line 60: consulting")[1]


@pytest.mark.parametrize("count", [17, 18, 19, 20, 21, 22])
def test_totals_never_stand_alone_on_a_page(site, count):
    site.invoice(text=with_client(long_invoice(count)))
    site.build(pdf=True)
    texts = pdf_text(pdf_of(site))
    last = max(n for n, t in enumerate(texts) if ": consulting" in t)
    assert "Subtotal" in texts[last] and f"Line {count}: consulting" in texts[last]
    assert all(": consulting" not in t for t in texts[last + 1:])


# -- words per language ------------------------------------------------------------------
RICH = """+++
number = "L-1"
issued = 2026-11-02
due = 2026-11-30
language = "{lang}"
service_period = {{ from = 2026-10-01, to = 2026-10-31 }}
zero_rate_reason = "{reason}"
customer_reference = "REF-77"
po_number = "PO-9"

[seller]
tax_id = "DE123456789"

[client]
name = "Jonas Weber"
company = "Weber Bäckerei GmbH"
address = "Bergmannstraße 5\\n10961 Berlin"
tax_id = "ATU12345678"

[[items]]
description = "Consulting"
quantity = 2
unit_price = 100.00

[[items]]
description = "Licence"
quantity = 1
unit_price = 50.00
tax_rate = 19
+++
Thanks!
"""

EXPECTED = {
    "en": ["Invoice L-1", "Service period Oct 1, 2026 to Oct 31, 2026",
           "Issue date November 2, 2026", "Due date November 30, 2026",
           "Your reference REF-77", "Purchase order PO-9", "Your VAT number ATU12345678",
           "Tax 0% on €200.00 €0.00", "Tax 19% on €50.00 €9.50",
           "Reverse charge: the customer accounts for the VAT (Article 196",
           "€259.50 due by November 30, 2026"],
    "ru": ["Счёт L-1", "Период оказания услуг с 1 окт. 2026 г. по 31 окт. 2026 г.",
           "Дата выставления 2 ноября 2026 г.", "Срок оплаты 30 ноября 2026 г.",
           "Номер заказа PO-9", "Ваш номер плательщика НДС ATU12345678",
           "НДС 0% с 200,00 € 0,00 €", "НДС 19% с 50,00 € 9,50 €",
           "Обратное начисление: НДС уплачивает покупатель (ст. 196",
           "259,50 € к оплате до 30 ноября 2026 г."],
    "af": ["Faktuur L-1", "Diensperiode 1 Okt. 2026 tot 31 Okt. 2026",
           "Uitreikdatum 2 November 2026", "Vervaldatum 30 November 2026",
           "U verwysing REF-77", "U BTW-nommer ATU12345678",
           "BTW 0% op €200,00 €0,00", "BTW 19% op €50,00 €9,50",
           "Omgekeerde heffing: die kliënt is aanspreeklik vir die BTW",
           "€259,50 betaalbaar teen 30 November 2026"],
}

REASONS = {
    "small-business": {"en": "No VAT charged: small-business exemption",
                       "ru": "НДС не начисляется: освобождение для малого бизнеса",
                       "af": "Geen BTW gehef nie: kleinsakevrystelling"},
    "export": {"en": "Export outside the EU: exempt from VAT (Article 146",
               "ru": "Экспорт за пределы ЕС: освобождено от НДС",
               "af": "Uitvoer buite die EU: vrygestel van BTW"},
    "not-taxable": {"en": "Not subject to VAT in the seller's country",
                    "ru": "Не облагается НДС в стране продавца",
                    "af": "Nie onderhewig aan BTW in die verkoper se land nie"},
}


def test_title_details_taxes_reasons_and_terms_in_each_language(site):
    for lang in EXPECTED:
        site.invoice(f"{lang}.md", RICH.format(lang=lang, reason="reverse-charge")
                     .replace('"L-1"', f'"L-{lang}"'))
    site.build(pdf=True)
    for lang, wanted in EXPECTED.items():
        text = " ".join(pdf_text(pdf_of(site, f"L-{lang}")))
        for phrase in wanted:
            assert phrase.replace("L-1", f"L-{lang}") in text, (lang, phrase)


def test_every_zero_rate_reason_has_its_standard_wording(site):
    for reason in REASONS:
        for lang in ("en", "ru", "af"):
            number = f"Z-{reason}-{lang}"
            site.invoice(f"{number}.md", RICH.format(lang=lang, reason=reason)
                         .replace('"L-1"', f'"{number}"'))
    site.build(pdf=True)
    for reason, wording in REASONS.items():
        for lang, phrase in wording.items():
            assert phrase in " ".join(pdf_text(pdf_of(site, f"Z-{reason}-{lang}")))


def test_south_african_seller_with_a_vat_number_prints_a_tax_invoice(built_examples):
    text = " ".join(pdf_text(next(built_examples.output.glob("*/2026-008.pdf"))))
    assert "Belastingfaktuur 2026-008" in text
    assert "U BTW-nommer 4123456789" in text and "Ons BTW-nommer 4530234567" in text
    other = " ".join(pdf_text(next(built_examples.output.glob("*/2026-001.pdf"))))
    assert "Invoice 2026-001" in other and "Tax invoice" not in other


def test_terms_sentence_pairs_every_amount_with_its_date(built_examples):
    texts = {pdf.name: " ".join(pdf_text(pdf)) for _, pdf in example_pages(built_examples)}
    # The page's own sentences for the build day (view/terms.py), word for word.
    assert ("€1,071.00 due by November 25, 2026 After that: €2,499.00 by December 16, "
            "2026.") in texts["2026-002.pdf"]
    assert ("R24 900,00 indien u teen 27 November 2026 betaal, R25 500,00 indien u teen "
            "1 Desember 2026 betaal, andersins R25 932,50 betaalbaar teen 4 Desember 2026"
            ) in texts["2026-008.pdf"]
    assert "These amounts and dates apply through November 26, 2026." in texts["2026-009.pdf"]


# -- payment box -----------------------------------------------------------------------------
def test_qr_code_on_page_one_decodes_to_the_pages_payload(built_examples, tmp_path):
    for soup, pdf in example_pages(built_examples):
        svg = soup.select_one(".pay-preferred .qr-box svg")
        if svg is None:
            continue
        subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf),
                        str(tmp_path / pdf.stem)], check=True)
        image = Image.open(next(tmp_path.glob(f"{pdf.stem}*.png")))
        assert decode_image(image) == decode_svg(svg).bytes, pdf.name


# -- receipts ----------------------------------------------------------------------------------
PAID_TWICE = INVOICE.replace("+++\nThanks!", """
[[payments]]
date = 2026-11-10
amount = 100.00
method = "Bank transfer"
reference = "SEPA-1"

[[payments]]
date = 2026-11-20
amount = 138.00
method = "PayPal"
reference = "PP-2"
+++
Thanks!""")


def test_a_paid_invoice_gets_a_receipt_listing_every_payment(site):
    site.invoice(text=PAID_TWICE)
    assert site.build(pdf=True).rendered == ("T-1",)
    folder = pdf_of(site).parent
    receipt = folder / "T-1-receipt.pdf"
    text = " ".join(pdf_text(receipt))
    assert "Receipt T-1-R" in text and "Paid in full on November 20, 2026: €238.00." in text
    assert "November 10, 2026 Bank transfer SEPA-1 T-1 €100.00" in text
    assert "November 20, 2026 PayPal PP-2 T-1 €138.00" in text
    assert "Total received €238.00" in text
    assert "invoice T-1 of November 1, 2026, total €238.00" in text
    invoice = " ".join(pdf_text(pdf_of(site)))
    assert "Paid on November 20, 2026 (PayPal, PP-2) −€138.00" in invoice
    # The page says when and how, at the top, and links both documents with their sizes.
    page = site.pages()["T-1"]
    banner = page.select_one("main > .paid-banner")
    assert banner is page.select_one("main").find("section")
    assert "Paid in full on November 20, 2026 by Bank transfer, PayPal." in \
        norm(banner.get_text(" "))
    links = [a["href"] for a in banner.select("a[download]")]
    assert links == ["T-1.pdf", "T-1-receipt.pdf"]
    kb = max(1, round(receipt.stat().st_size / 1000))
    assert f"{kb} kB" in norm(banner.select_one(".receipt-download").get_text())
    # The receipt is a file of the invoice's cache entry: a rebuild renders nothing.
    before = receipt.read_bytes()
    assert site.build(pdf=True).rendered == ()
    assert receipt.read_bytes() == before


def test_a_partly_paid_invoice_lists_payments_and_balance_without_a_receipt(site):
    site.invoice(text=PAID_TWICE.replace("138.00", "38.00"))
    site.build(pdf=True)
    text = " ".join(pdf_text(pdf_of(site)))
    assert "Paid on November 10, 2026 (Bank transfer, SEPA-1) −€100.00" in text
    assert "Paid on November 20, 2026 (PayPal, PP-2) −€38.00" in text
    assert "Balance due €100.00" in text and "€100.00 due by November 30, 2026" in text
    assert not list(site.output.glob("*/*-receipt.pdf"))
    assert site.pages()["T-1"].select_one(".paid-banner, .receipt-download") is None


# -- the personal note -------------------------------------------------------------------------
def test_a_long_note_prints_only_when_the_site_asks(site):
    long_note = "We loved working on this. " * 30
    site.invoice(text=INVOICE.replace("Thanks!", long_note))
    site.build(pdf=True)
    assert "We loved working" not in " ".join(pdf_text(pdf_of(site)))
    add_setting(site, 'print_note = "always"')
    site.build(pdf=True)
    assert "We loved working" in " ".join(pdf_text(pdf_of(site)))


# -- bad input -------------------------------------------------------------------------------
def problems(site: SiteDir, text: str) -> str:
    site.invoice(text=text)
    with pytest.raises(RemitError) as excinfo:
        site.build()
    return "\n".join(str(p) for p in excinfo.value.problems)


def test_reverse_charge_without_the_clients_vat_number_is_an_error(site):
    text = INVOICE.replace("due = 2026-11-30", 'due = 2026-11-30\nzero_rate_reason = '
                                               '"reverse-charge"').replace("tax_rate = 19", "")
    found = problems(site, text)
    assert "content/t-1.md:5: zero_rate_reason: a reverse-charge invoice must state the " \
           "client's VAT number: add tax_id to [client]" in found
    # The test site's seller has no VAT number either: both numbers belong on the invoice.
    assert "content/t-1.md:5: zero_rate_reason: a reverse-charge invoice must state your " \
           "own VAT number" in found
    site.invoice(text=text.replace('email = "jonas@example.com"', 'tax_id = "ATU12345678"')
                 .replace("[client]", '[seller]\ntax_id = "DE123456789"\n\n[client]'))
    site.build()


def test_service_period_ending_before_it_starts_is_an_error(site):
    text = INVOICE.replace("due = 2026-11-30", "due = 2026-11-30\nservice_period = { from = "
                                               "2026-10-31, to = 2026-10-01 }")
    found = problems(site, text)
    assert "content/t-1.md:5: service_period.to: the service period ends on 2026-10-01, " \
           "before it starts on 2026-10-31" in found


def test_delivery_after_the_issue_date_is_an_error_unless_it_is_an_advance_invoice(site):
    text = INVOICE.replace("due = 2026-11-30", "due = 2026-11-30\ndelivered = 2026-11-05")
    assert "content/t-1.md:5: delivered: delivered on 2026-11-05, after the issue date " \
           "2026-11-01" in problems(site, text)
    site.invoice(text=text.replace("+++\nThanks!", "[deposit]\npercent = 50\n+++\nThanks!"))
    site.build()  # an advance invoice asks for a deposit first: accepted


def test_a_zero_rate_without_a_reason_is_a_warning_and_the_build_goes_ahead(site, capsys):
    from generator.cli.main import main
    site.invoice(text=INVOICE.replace("tax_rate = 19", "tax_rate = 0"))
    assert main(["build", str(site.root), "--today", "2026-11-23", "--no-pdf"]) == 0
    err = capsys.readouterr().err
    assert "warning: content/t-1.md:14: items[0].tax_rate: 0% tax without a reason" in err
    assert '"reverse-charge", "small-business", "export", "not-taxable"' in err
    site.invoice(text=INVOICE.replace("tax_rate = 19", "tax_rate = 0").replace(
        "due = 2026-11-30", 'due = 2026-11-30\nzero_rate_reason = "small-business"'))
    assert main(["build", str(site.root), "--today", "2026-11-23", "--no-pdf"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_page_of_a_paid_example_links_invoice_and_receipt(built_examples):
    pages = {soup.select_one(".doc-id strong").get_text(strip=True): soup
             for soup, _ in example_pages(built_examples)}
    banner = pages["2026-005"].select_one(".paid-banner")
    assert "Paid in full on October 20, 2026 by PayPal." in norm(banner.get_text(" "))
    assert [a["href"] for a in banner.select("a")] == ["2026-005.pdf", "2026-005-receipt.pdf"]
    assert all(soup.select_one(".paid-banner") is None for n, soup in pages.items()
               if n != "2026-005")


def test_a_seller_name_with_markup_and_quotes_prints_as_written_in_the_running_header(site):
    hostile = 'Studio \\"Q\\" </style><b>bold</b> \\\\ Ltd'
    text = long_invoice(40).replace("[client]", f'[seller]\ncompany = "{hostile}"\n\n[client]')
    site.invoice(text=text)
    site.build(pdf=True)
    pages = pdf_text(pdf_of(site))
    assert len(pages) >= 2
    assert 'Studio "Q" </style><b>bold</b> \\ Ltd · Invoice T-1' in pages[1]
