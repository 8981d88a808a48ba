"""One invoice's files: its page, its PDF (the theme's letter template, printed by WeasyPrint)
and, once it is paid, its receipt.

A picklable task in, bytes out: the same function runs in a pool worker or, for a handful of
invoices, in the building process. The page and the letter share one view of the invoice, so
paper and screen never disagree; the page links the PDFs with their real sizes, filled in
once they exist. On an encrypted site every file then goes through the task's Sealer
(render/seal.py), so what comes back is what is published.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel.units import format_unit

from generator import i18n
from generator.figures.derive import Figures, derive
from generator.render import html, letter, pdf
from generator.render.ics import CalendarFile, calendar_file
from generator.render.qr import qr_svg
from generator.render.task import InvoiceFiles, InvoiceTask
from generator.urls import pdf_name, receipt_name, xrechnung_name
from generator.view.format import Formatter
from generator.view.invoice import invoice_view
from generator.view.letter import item_pages, letter_view, paid_note, receipt_view


def size_text(size: int, language: str) -> str:
    """'PDF, 48 kB' in the page's language (Babel's CLDR unit names)."""
    return _kilobytes(max(1, round(size / 1000)), language)


@lru_cache(maxsize=1024)  # Babel takes ~50 us; PDFs of a build have a few dozen sizes
def _kilobytes(kb: int, language: str) -> str:
    return format_unit(kb, "digital-kilobyte", length="short", locale=language)


def with_qr_codes(pay: dict[str, Any]) -> dict[str, Any]:
    """The payment view with each method's QR code drawn as SVG (`qr_svg`)."""
    def draw(offer: dict[str, Any]) -> dict[str, Any]:
        spec = offer["qr"]
        svg = qr_svg(spec.payload, spec.level, spec.cross).svg if spec else None
        return {**offer, "qr_svg": svg}

    return {**pay, "primary": draw(pay["primary"]), "others": [draw(o) for o in pay["others"]]}


def page_view(task: InvoiceTask, fig: Figures) -> dict[str, Any]:
    inv, settings = task.invoice, task.settings
    view = invoice_view(inv, fig, settings, task.path, task.today)
    view["pays"] = [with_qr_codes(p) for p in view["pays"]]
    f = Formatter(inv.language, inv.currency)
    view["paid_note"] = paid_note(inv, task.today, f, settings.theme_dir) \
        if view["status"] == "paid" else ""
    return view


def render_page(task: InvoiceTask, view: dict[str, Any], links: dict[str, Any] | None,
                cal: CalendarFile | None, einvoice: dict[str, Any] | None = None) -> str:
    return html.render(task.template_dirs, task.settings.theme_dir, "invoice.html",
                       task.invoice.language,
                       {**task.site_view, "inv": view, "root": view["root"], "pdf": links,
                        "ics": {"href": cal.name, "count": cal.events} if cal else None,
                        "statement": task.statement, "einvoice": einvoice},
                       task.settings.cache_dir)


def print_pdfs(task: InvoiceTask, fig: Figures, view: dict[str, Any],
               facturx: bytes | None = None) -> dict[str, bytes]:
    """The invoice's PDF (carrying `facturx`, its Factur-X XML, if any), and its receipt
    when it is paid: file name -> bytes."""
    inv, settings = task.invoice, task.settings
    f = Formatter(inv.language, inv.currency)
    paper = dict(view)
    # Paper holds the build day's state: its payment section is the first block's.
    now = view["now"]["pay"]
    paper["pay"] = view["pays"][now] if now is not None else None
    if paper["pay"]:
        primary = paper["pay"]["primary"]
        svg = primary["qr_svg"]
        # A tagged PDF's figure needs alternative text: what the code is for.
        # `_(...)`, so that `make messages` extracts the string (it reads `_` and `gettext`).
        _ = i18n.translations(settings.theme_dir, inv.language).gettext
        label = _("QR code")
        alt = f"{label}: {paper['pay']['amount']}, {inv.number}"
        paper["pay"] = {**paper["pay"], "primary": {
            **primary, "qr_svg": letter.titled_svg(svg, alt) if svg else None}}
    doc = letter_view(inv, fig, settings, paper, task.today)
    base = {**task.site_view, "inv": paper, "root": paper["root"], "doc": doc}

    def job_for(text: str, xml: bytes | None = None) -> pdf.PdfJob:
        return pdf.PdfJob(text, settings.base_url + task.path, task.assets, task.assets_digest,
                          xml)

    def html_for(breaks: tuple[int, ...], measure: bool, numbered: bool) -> str:
        pages = item_pages(fig.totals.lines, breaks, f)
        return html.render(task.template_dirs, settings.theme_dir, "letter.html", inv.language,
                           {**base, "pages": pages, "measure": measure, "numbered": numbered},
                           settings.cache_dir)

    files = {pdf_name(inv.number): letter.print_invoice(
        html_for, lambda text: job_for(text, facturx), len(inv.items))}
    if doc["paid_in_full"]:
        receipt = receipt_view(inv, fig, settings, paper, task.today)
        text = html.render(task.template_dirs, settings.theme_dir, "receipt.html",
                           inv.language, {**base, "doc": receipt, "numbered": False},
                           settings.cache_dir)
        files[receipt_name(inv.number)] = letter.print_receipt(text, job_for)
    return files


def render_invoice(task: InvoiceTask) -> InvoiceFiles:
    # First: the calendar file below is translated too, with catalogs this clears if stale.
    html.fresh_theme(task.theme_digest)
    inv, settings = task.invoice, task.settings
    fig = derive(inv, task.today, settings.tz)
    cal = calendar_file(inv, fig, task.link, task.path,
                        i18n.translations(settings.theme_dir, inv.language))
    extra = {cal.name: cal.data} if cal else {}
    # A video file from content/ sits beside its page, as private as the page itself.
    video = inv.countdown.video_file(settings.content_dir)
    if video is not None:
        extra[video.name] = video.read_bytes()
    view = page_view(task, fig)
    href, receipt_href = pdf_name(inv.number), receipt_name(inv.number)
    # The e-invoice is made here, in the worker, from the figures the page shows; its
    # payment terms say what the printed letter says on the build day, word for word.
    now = view["now"]
    said = (now["now"], now["next"], now["until"]) if now["due_now"] else ()
    ev = facturx = None
    if inv.einvoice:  # lxml and the EN 16931 view: imported for e-invoices only
        from generator.render.einvoice import cii_xml
        from generator.view.einvoice import as_xrechnung, einvoice_view

        ev = einvoice_view(inv, fig, said)
        facturx = cii_xml(ev)
        if inv.einvoice == "xrechnung":
            extra[xrechnung_name(inv.number)] = cii_xml(as_xrechnung(ev))
    pdfs = None
    if task.want_pdf:
        pdfs = print_pdfs(task, fig, view, facturx)
        sizes = {name: len(data) for name, data in pdfs.items()}
    else:
        sizes = task.pdf_sizes or {}
    links = None
    if href in sizes:
        links = {"href": href, "size": size_text(sizes[href], inv.language),
                 "receipt": {"href": receipt_href,
                             "size": size_text(sizes[receipt_href], inv.language)}
                 if receipt_href in sizes else None}
    einvoice = {"kind": inv.einvoice, "xml": xrechnung_name(inv.number)
                if inv.einvoice == "xrechnung" else None} if inv.einvoice else None
    page = render_page(task, view, links, cal, einvoice)
    files = {"index.html": page.encode("utf-8"), **extra}
    pdf_files = pdfs or {}
    if task.sealer is not None:
        files, pdf_files = task.sealer.seal(files), task.sealer.seal(pdf_files)
    return InvoiceFiles(inv.number, files, pdf_files)
