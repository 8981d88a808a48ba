"""The PDFs a client files: what they say, in which language, how they look, same bytes twice.

The shipped examples are built with PDFs once per session (printing costs ~0.1 s each);
every other test prints one or two small invoices.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image

from generator import i18n
from generator.build import build
from generator.digest import CACHE_FORMAT
from generator.errors import RemitError
from generator.urls import pdf_name
from tests.conftest import INVOICE, REPO, SECRET, TODAY, SiteDir, tree_snapshot
from tests.systools import system_tool

BUNDLED = REPO / "themes" / "default"


def norm(text: str) -> str:
    """Whitespace as pypdf and Babel write it (no-break and narrow spaces) made plain."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def pdf_text(path: Path) -> list[str]:
    return [norm(page.extract_text()) for page in pypdf.PdfReader(path).pages]


def example_pages(site: SiteDir) -> list[tuple[BeautifulSoup, Path]]:
    found = []
    for page in sorted(site.output.glob("*/index.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        number = soup.select_one(".doc-id strong").get_text(strip=True)
        found.append((soup, page.parent / pdf_name(number)))
    return found


def test_every_pdf_states_number_total_balance_and_due_date_in_its_language(built_examples):
    languages = set()
    for soup, pdf in example_pages(built_examples):
        lang = soup.html["lang"]
        languages.add(lang)
        tr = i18n.translations(BUNDLED, lang)
        text = " ".join(pdf_text(pdf))
        number = soup.select_one(".doc-id strong").get_text(strip=True)
        assert number in text
        totals = {norm(row.th.get_text()): norm(row.td.get_text())
                  for row in soup.select("table.totals tr")}
        assert f"{tr.gettext('Total')} {totals[tr.gettext('Total')]}" in text
        if tr.gettext("Balance due") in totals:
            assert f"{tr.gettext('Balance due')} {totals[tr.gettext('Balance due')]}" in text
        due = norm(soup.select_one(f"time[datetime='{soup.select('.facts time')[1]['datetime']}']")
                   .get_text())
        assert f"{tr.gettext('Due date')} {due}" in text
    assert languages == {"en", "ru", "af"}


def test_russian_and_afrikaans_pdfs_use_their_own_words_and_numbers(built_examples):
    texts = {pdf.name: " ".join(pdf_text(pdf)) for _, pdf in example_pages(built_examples)}
    ru = texts["2026-007.pdf"]
    assert "Итого" in ru and "Срок оплаты" in ru and "Жанна Петрова" in ru
    assert "2 декабря 2026" in ru and "1 290,00 €" in ru  # Babel's ru-RU grouping and symbol
    assert "Страница" not in ru and "1 290,00 € к оплате до 2 декабря 2026 г." in ru
    af = texts["2026-008.pdf"]
    assert "Totaal" in af and "Vervaldatum" in af and "Belastingfaktuur 2026-008" in af


def test_pdf_pairs_every_amount_with_the_date_it_holds_until(built_examples):
    """Printed on 23 November and read any day after: each price comes with its date, and
    the page says through which day its figures hold (issue 11)."""
    texts = {pdf.name: " ".join(pdf_text(pdf)) for _, pdf in example_pages(built_examples)}
    offer = texts["2026-009.pdf"]
    assert "€1,139.71 if paid by November 26, 2026, otherwise €1,199.69 due by December 3, " \
           "2026" in offer
    assert "These amounts and dates apply through November 26, 2026." in offer
    tiers = texts["2026-008.pdf"]
    assert "R24 900,00 indien u teen 27 November 2026 betaal, R25 500,00 indien u teen " \
           "1 Desember 2026 betaal, andersins R25 932,50 betaalbaar teen 4 Desember " \
           "2026" in tiers
    assert "Betaalbaar teen 4 Desember 2026: R24 900,00" not in tiers
    plan = texts["2026-002.pdf"]
    assert "Due now" not in plan
    assert "€1,071.00 due by November 25, 2026 After that: €2,499.00 by December 16, 2026." \
        in plan


def test_pdf_metadata_fonts_and_file_name(built_examples):
    pdf = next(p for _, p in example_pages(built_examples) if p.name == "2026-007.pdf")
    reader = pypdf.PdfReader(pdf)
    meta = reader.metadata
    assert meta.title == "Счёт 2026-007 · Studio Lindqvist"
    assert meta.author == "Studio Lindqvist"
    assert "2026-007" in meta.subject and "ИП Петрова Ж. А." in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "ru"
    assert meta["/CreationDate"] == "D:20261118"  # the issue date, never the clock
    fonts = {f.get_object()["/BaseFont"] for p in reader.pages
             for f in p["/Resources"]["/Font"].values()}
    assert fonts and all(name.split("+", 1)[1].startswith("Remit-Sans") for name in fonts)
    for page in reader.pages:  # subset and embedded: a six-letter tag and a font file
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert len(font["/BaseFont"].split("+")[0]) == 7  # "/ABCDEF"
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()


def test_page_links_its_pdf_with_the_real_size(built_examples):
    for soup, pdf in example_pages(built_examples):
        link = soup.select_one(".pdf-download a")
        assert link["href"] == pdf.name and link.has_attr("download")
        kb = max(1, round(pdf.stat().st_size / 1000))
        size = norm(soup.select_one(".pdf-size").get_text())
        assert str(kb) in size and size.startswith("(") and "PDF" in size


def test_void_and_paid_invoices_print_without_an_amount_to_pay(built_examples):
    texts = {pdf.name: " ".join(pdf_text(pdf)) for _, pdf in example_pages(built_examples)}
    paid = texts["2026-005.pdf"]
    assert "Paid on October 20, 2026 (PayPal, 7TX99812AB) −€416.50" in paid
    assert "Balance due €0.00" in paid and "Paid in full on October 20, 2026." in paid
    assert "Please pay" not in paid and "How to pay" not in paid
    assert "cancelled" in texts["2026-011.pdf"] and "Please pay" not in texts["2026-011.pdf"]


def test_payment_qr_code_decodes_from_page_one_of_the_printed_pdf(site, tmp_path):
    """The real SEPA payment code the page carries survives printing, on the first page."""
    pdftoppm = system_tool("pdftoppm")
    site.write("site.toml", (site.root / "site.toml").read_text() + (
        '\n[payment.sepa]\nbeneficiary = "Studio Lindqvist"\n'
        'iban = "DE02 1203 0000 0000 2020 51"\n'))
    payload = "BCD\n002\n1\nSCT\n\nStudio Lindqvist\nDE02120300000000202051\nEUR238.00\n\n\nT-1"
    site.invoice()
    site.build(pdf=True)
    pdf = next(site.output.glob("*/T-1.pdf"))
    subprocess.run([pdftoppm, "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [payload]


def test_two_clean_builds_give_byte_identical_pdfs(site, tmp_path):
    site.invoice()
    site.invoice("ru.md", INVOICE.replace('"T-1"', '"T-2"').replace(
        "[client]", 'language = "ru"\n\n[client]'))
    site.build(pdf=True, output=tmp_path / "one")
    shutil.rmtree(site.root / ".remit-cache")
    site.build(pdf=True, output=tmp_path / "two")
    one, two = tree_snapshot(tmp_path / "one"), tree_snapshot(tmp_path / "two")
    assert [p for p in one if p.endswith(".pdf")] and one == two


def test_the_same_site_in_another_folder_gives_byte_identical_pdfs(site, tmp_path):
    site.invoice()
    site.build(pdf=True)
    moved = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(site.root, moved, ignore=shutil.ignore_patterns("output", ".remit-cache"))
    build(moved, today=TODAY, pdf=True)
    here, there = tree_snapshot(site.output), tree_snapshot(moved / "output")
    assert [p for p in here if p.endswith(".pdf")] and here == there


def test_unchanged_invoices_come_from_the_cache_and_theme_edits_rerender_all(site):
    site.invoice()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    assert sorted(site.build(pdf=True).rendered) == ["T-1", "T-2"]
    first = tree_snapshot(site.output)
    assert site.build(pdf=True).rendered == ()
    assert tree_snapshot(site.output) == first
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"').replace("quantity = 2",
                                                                      "quantity = 3"))
    assert site.build(pdf=True).rendered == ("T-2",)
    # A site-local theme file (here an extra stylesheet) changes every PDF's inputs.
    site.write("themes/default/static/extra.css", "/* print tweak */\n")
    assert sorted(site.build(pdf=True).rendered) == ["T-1", "T-2"]
    # The next day, every page says "in N days" differently: all re-rendered.
    assert len(site.build(pdf=True, today=TODAY + dt.timedelta(days=1)).rendered) == 2


def test_incremental_build_equals_clean_build_byte_for_byte(site, tmp_path):
    site.invoice()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    site.build(pdf=True)
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"').replace("Work", "More work"))
    site.build(pdf=True)  # T-2 re-rendered, T-1 from the cache
    shutil.rmtree(site.root / ".remit-cache")
    site.build(pdf=True, output=tmp_path / "clean")
    assert tree_snapshot(site.output) == tree_snapshot(tmp_path / "clean")


def test_a_damaged_cache_entry_is_rendered_again(site):
    site.invoice()
    site.build(pdf=True)
    for cached in (site.root / ".remit-cache").rglob("*.T-1.pdf"):
        cached.write_bytes(b"%PDF-1.7 truncated")
    assert site.build(pdf=True).rendered == ("T-1",)
    assert pypdf.PdfReader(next(site.output.glob("*/T-1.pdf"))).pages


def test_no_pdf_build_has_neither_pdfs_nor_links(site):
    site.invoice()
    site.build(pdf=False)
    assert not list(site.output.rglob("*.pdf"))
    assert site.pages()["T-1"].select_one(".pdf-download") is None


def long_invoice(lines: int) -> str:
    items = "".join(f'\n[[items]]\ndescription = "Line {i:02d}: consulting"\nquantity = 1\n'
                    f"unit_price = {i}.00\n" for i in range(1, lines + 1))
    head, rest = INVOICE.split("[[items]]", 1)
    return head + items.lstrip("\n") + "+++\n" + rest.split("+++", 1)[1]


def test_sixty_line_invoice_paginates_with_repeated_headers_and_page_numbers(site):
    site.invoice(text=long_invoice(60))
    site.build(pdf=True)
    pages = pdf_text(next(site.output.glob("*/T-1.pdf")))
    assert len(pages) >= 2
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in text
    # Every page holding item lines starts them under the column headings again.
    with_items = [t for t in pages if "consulting" in t]
    assert len(with_items) >= 2
    assert all("Description Quantity Unit price Amount" in t for t in with_items)
    assert "Line 60: consulting" in " ".join(pages)
    assert "Studio Lindqvist" in pages[1] and "Invoice T-1" in pages[1]  # running header


def add_setting(site: SiteDir, line: str) -> None:
    """A top-level site.toml setting (before the [seller] table)."""
    site.write("site.toml", line + "\n" + (site.root / "site.toml").read_text("utf-8"))


def problems_of(excinfo: pytest.ExceptionInfo[RemitError]) -> str:
    return "\n".join(str(p) for p in excinfo.value.problems)


def test_logo_is_shown_on_page_and_pdf(site):
    site.write("images/.keep", "")
    Image.new("RGB", (60, 20), "#1f5fbf").save(site.root / "images" / "logo.png")
    add_setting(site, 'logo = "images/logo.png"')
    site.invoice()
    site.build(pdf=True)
    img = site.pages()["T-1"].select_one("img.logo")
    assert img["src"] == "../static/site-logo.png"
    assert (site.output / "static" / "site-logo.png").is_file()
    reader = pypdf.PdfReader(next(site.output.glob("*/T-1.pdf")))
    assert reader.pages[0].images  # the logo is drawn into the PDF


@pytest.mark.parametrize(("setting", "message"), [
    ('logo = "../outside.png"', "outside the site folder"),
    ('logo = "missing.png"', "not found"),
    ('logo = "notes.txt"', "not an image"),
    ('paper = "A3"', "expected one of: A4, Letter"),
])
def test_bad_pdf_settings_are_reported(site, setting, message):
    (site.root.parent / "outside.png").write_bytes(b"x")
    site.write("notes.txt", "x")
    add_setting(site, setting)
    site.invoice()
    with pytest.raises(RemitError) as excinfo:
        site.build(pdf=True)
    assert "site.toml" in problems_of(excinfo) and message in problems_of(excinfo)


def test_unreadable_logo_is_an_error_not_a_pdf_without_it(site):
    site.write("logo.png", "this is not a PNG")
    add_setting(site, 'logo = "logo.png"')
    site.invoice()
    with pytest.raises(RemitError) as excinfo:
        site.build(pdf=True)
    assert "content/t-1.md: pdf: Failed to load image" in problems_of(excinfo)
    assert not site.output.exists()


def test_missing_theme_font_is_an_error(site):
    css = (BUNDLED / "static" / "letter.css").read_text("utf-8")
    site.write("themes/default/static/letter.css",
               css.replace("fonts/DejaVuSans-Bold.ttf", "fonts/Missing-Bold.ttf"))
    site.invoice()
    with pytest.raises(RemitError) as excinfo:
        site.build(pdf=True)
    assert "static/fonts/Missing-Bold.ttf" in problems_of(excinfo)


def test_remote_image_in_a_note_is_an_error_not_a_download(site):
    add_setting(site, 'print_note = "always"')  # a note with an image prints only if asked
    site.invoice(text=INVOICE.replace("Thanks!", "![photo](https://example.com/photo.png)"))
    with pytest.raises(RemitError) as excinfo:
        site.build(pdf=True)
    assert "https://example.com/photo.png" in problems_of(excinfo)
    assert "never fetch from the network" in problems_of(excinfo)


def test_letter_paper(site):
    add_setting(site, 'paper = "Letter"')
    site.invoice()
    site.build(pdf=True)
    box = pypdf.PdfReader(next(site.output.glob("*/T-1.pdf"))).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # 8.5 x 11 in


def test_cli_builds_pdfs_with_jobs_and_pages_only_with_no_pdf(site):
    from generator.cli.main import main
    site.invoice()
    assert main(["build", str(site.root), "--today", "2026-11-23", "--no-pdf"]) == 0
    assert not list(site.output.rglob("*.pdf"))
    assert main(["build", str(site.root), "--today", "2026-11-23", "-j", "1"]) == 0
    assert list(site.output.rglob("T-1.pdf"))
    assert os.environ["REMIT_SECRET"] == SECRET


def test_font_the_theme_does_not_ship_is_an_error_not_a_system_fallback(site):
    css = (BUNDLED / "static" / "letter.css").read_text("utf-8")
    site.write("themes/default/static/letter.css",
               css + '\nh1 { font-family: "Nowhere Grotesk"; }\n')
    site.invoice()
    with pytest.raises(RemitError) as excinfo:
        site.build(pdf=True)
    assert "system font" in problems_of(excinfo) and "Remit Sans" in problems_of(excinfo)


def test_output_edited_by_hand_is_rebuilt_whole_and_equals_a_clean_build(site, tmp_path):
    site.invoice()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    site.build(pdf=True)
    page = next(site.output.glob("t-1-*/index.html"))
    page.write_text("defaced", "utf-8")
    (site.output / "stray.txt").write_text("left behind", "utf-8")
    (next(site.output.glob("t-2-*/T-2.pdf"))).unlink()
    # The page was a hard link to its cache entry, so that entry is damaged too: its digest
    # no longer matches and T-1 is rendered again; T-2's PDF comes back from the cache.
    assert site.build(pdf=True).rendered == ("T-1",)
    site.build(pdf=True, output=tmp_path / "clean")
    assert tree_snapshot(site.output) == tree_snapshot(tmp_path / "clean")


def test_unchanged_files_are_remembered_but_new_errors_are_still_found(site):
    site.invoice()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    site.build()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"').replace("quantity = 2",
                                                                      "quantity = -2"))
    with pytest.raises(RemitError) as excinfo:
        site.build()
    assert "content/t-2.md:" in problems_of(excinfo) and "quantity" in problems_of(excinfo)
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-1"'))  # now a duplicate number
    with pytest.raises(RemitError) as excinfo:
        site.build()
    assert "T-1" in problems_of(excinfo)


def test_errors_from_pool_workers_are_collected_for_every_invoice(site):
    add_setting(site, 'print_note = "always"')
    bad = INVOICE.replace("Thanks!", "![photo](https://example.com/photo.png)")
    site.invoice("a.md", bad.replace('"T-1"', '"T-A"'))
    site.invoice("b.md", bad.replace('"T-1"', '"T-B"'))
    site.invoice("c.md", INVOICE.replace('"T-1"', '"T-C"'))
    with pytest.raises(RemitError) as excinfo:
        site.build(pdf=True, jobs=2)  # three PDFs: rendered in the worker pool
    text = problems_of(excinfo)
    # A note's image from the web is refused while the page renders, in the worker; each
    # invoice's problem crosses back to the builder.
    assert "content/a.md: note: image 'https://example.com/photo.png'" in text
    assert "content/b.md: note: image 'https://example.com/photo.png'" in text
    assert "c.md" not in text and not site.output.exists()


def test_switching_between_page_only_and_full_builds_equals_clean_builds(site, tmp_path):
    site.invoice()
    site.build(pdf=False)
    site.build(pdf=True)
    shutil.rmtree(site.root / ".remit-cache")
    site.build(pdf=True, output=tmp_path / "clean")
    assert tree_snapshot(site.output) == tree_snapshot(tmp_path / "clean")
    site.build(pdf=False)
    assert not list(site.output.rglob("*.pdf"))
    assert site.pages()["T-1"].select_one(".pdf-download") is None


def test_cache_keys_are_the_same_in_every_process(site):
    """Set order follows per-process string hashing: keys must not depend on it."""
    import sys
    site.invoice()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "REMIT_SECRET": SECRET}
        runs.append(subprocess.run(
            [sys.executable, "-m", "generator", "build", str(site.root), "--today",
             TODAY.isoformat(), "--no-pdf"], env=env, cwd=REPO, check=True,
            capture_output=True, text=True).stdout)
    assert "2 invoice pages into" in runs[0]
    assert "0 re-rendered" in runs[1]


def test_stable_repr_sorts_sets():
    from generator.digest import stable_repr
    assert stable_repr(frozenset({"b", "a", "c"})) == "{'a', 'b', 'c'}"
    assert stable_repr({"z": {2, 1}, "a": (1,)}) == "{'a': [1], 'z': {1, 2}}"


def test_page_is_the_same_whether_its_pdf_was_just_printed_or_came_from_the_cache(site, tmp_path):
    """A fresh PDF fills its size into the page it was printed from; a cached PDF's page is
    rendered with the size directly. Both roads must give the same bytes."""
    site.invoice()
    site.invoice("ru.md", INVOICE.replace('"T-1"', '"T-2"').replace(
        "[client]", 'language = "ru"\n\n[client]'))
    assert sorted(site.build(pdf=True).rendered) == ["T-1", "T-2"]
    printed = tree_snapshot(site.output)
    shutil.rmtree(site.root / ".remit-cache" / CACHE_FORMAT / "page")  # pages go, PDFs stay cached
    assert sorted(site.build(pdf=True, output=tmp_path / "again").rendered) == ["T-1", "T-2"]
    again = tree_snapshot(tmp_path / "again")
    assert any(p.endswith("/index.html") for p in again)
    assert again == printed


def test_paper_carries_the_preferred_way_to_pay_and_fits_a_short_invoice_on_two_pages(
        built_examples):
    pdfs = {pdf.name: pdf for _, pdf in example_pages(built_examples)}
    pages = pdf_text(pdfs["2026-004.pdf"])
    text = " ".join(pages)
    assert "DE89 3704 0044 0532 0130 00" in pages[0] and "€803.05" in pages[0]
    # PayPal and Stripe are web links: one tap away on the page, clutter on paper.
    assert "Other ways to pay" not in text and "PayPal" not in text
    assert len(pages) <= 2
