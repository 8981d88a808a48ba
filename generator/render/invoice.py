"""One invoice's files: its page, and its PDF (the same page printed by WeasyPrint).

A picklable task in, bytes out: the same function runs in a pool worker or, for a handful of
invoices, in the building process. The PDF is printed from the page as rendered without a
download link (print hides it anyway); the page is then rendered once more with the link
and the real size of the file it points to. On an encrypted site every file then goes
through the task's Sealer (render/seal.py), so what comes back is what is published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.units import format_unit
from markupsafe import escape

from generator import i18n
from generator.digest import CACHE_FORMAT
from generator.figures.derive import Figures, derive
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.render import html, pdf
from generator.render.ics import CalendarFile, calendar_file
from generator.render.qr import QR_FOLDER, cached_qr_svg
from generator.render.seal import Sealer
from generator.urls import pdf_name
from generator.view.invoice import invoice_view

# Stands in for the PDF's size until the PDF exists; no template text can contain it.
SIZE_SLOT = "\ue000remit-pdf-size\ue000"


@dataclass(frozen=True)
class InvoiceTask:
    invoice: Invoice
    settings: Settings
    path: str  # the invoice's folder, relative to the site root
    today: dt.date
    template_dirs: tuple[Path, ...]
    site_view: dict[str, object]  # what every page sees (view/site.py)
    theme_digest: str  # changes whenever a theme file does
    want_pdf: bool  # render the PDF (it is not in the cache)
    pdf_size: int | None  # size of the cached PDF when want_pdf is False; None: no PDF
    assets: dict[str, str]  # for the PDF: public URL -> local file
    assets_digest: str  # changes whenever a theme file or the logo does
    link: str  # the invoice's link as shared (with its key on an encrypted site)
    sealer: Sealer | None = None  # privacy = "encrypted": seals every file before it is kept


@dataclass(frozen=True)
class InvoiceFiles:
    """One invoice's files as published (name -> bytes): the page and what is cached with
    it (calendar file, video), and the PDF, cached on its own (empty when not rendered)."""

    number: str
    page_files: dict[str, bytes]
    pdf_files: dict[str, bytes] = field(default_factory=dict)


def size_text(size: int, language: str) -> str:
    """'PDF, 48 kB' in the page's language (Babel's CLDR unit names)."""
    kb = max(1, round(size / 1000))
    return format_unit(kb, "digital-kilobyte", length="short", locale=language)


_seen_theme: dict[str, str] = {}


def _fresh_theme(digest: str) -> None:
    # Templates reload by mtime, but compiled catalogs are cached per process: a long-lived
    # worker must not translate with an old catalog after the owner edits the theme.
    if _seen_theme.get("digest") != digest:
        i18n.translations.cache_clear()
        _seen_theme["digest"] = digest


def with_qr_codes(pay: dict[str, Any] | None, folder: Path) -> dict[str, Any] | None:
    """The payment view with each method's QR code drawn as SVG (`qr_svg`)."""
    if pay is None:
        return None

    def draw(offer: dict[str, Any]) -> dict[str, Any]:
        spec = offer["qr"]
        svg = cached_qr_svg(spec.payload, spec.level, spec.cross, folder).svg if spec else None
        return {**offer, "qr_svg": svg}

    return {**pay, "primary": draw(pay["primary"]), "others": [draw(o) for o in pay["others"]]}


def render_page(task: InvoiceTask, fig: Figures, pdf_link: dict[str, str] | None,
                cal: CalendarFile | None) -> str:
    inv, settings = task.invoice, task.settings
    view = invoice_view(inv, fig, settings, task.path, task.today)
    view["pay"] = with_qr_codes(view["pay"], settings.cache_dir / CACHE_FORMAT / QR_FOLDER)
    return html.render(task.template_dirs, settings.theme_dir, "invoice.html", inv.language,
                       {**task.site_view, "inv": view, "root": view["root"], "pdf": pdf_link,
                        "ics": {"href": cal.name, "count": cal.events} if cal else None})


def render_invoice(task: InvoiceTask) -> InvoiceFiles:
    # First: the calendar file below is translated too, with catalogs this clears if stale.
    _fresh_theme(task.theme_digest)
    inv, settings = task.invoice, task.settings
    data = None
    size = task.pdf_size
    fig = derive(inv, task.today, settings.tz)
    cal = calendar_file(inv, fig, task.link, task.path,
                        i18n.translations(settings.theme_dir, inv.language))
    extra = {cal.name: cal.data} if cal else {}
    # A video file from content/ sits beside its page, as private as the page itself.
    video = inv.countdown.video_file(settings.content_dir)
    if video is not None:
        extra[video.name] = video.read_bytes()
    href = pdf_name(inv.number)
    if task.want_pdf:
        # One render serves both: print hides the download link (screen-only), so the PDF
        # does not depend on the size it will have, and the page gets it filled in after.
        page = render_page(task, fig, {"href": href, "size": SIZE_SLOT}, cal)
        data = pdf.render(pdf.PdfJob(page, settings.base_url + task.path, task.assets,
                                     task.assets_digest))
        page = page.replace(SIZE_SLOT, str(escape(size_text(len(data), inv.language))))
    else:
        link = {"href": href, "size": size_text(size, inv.language)} if size is not None \
            else None
        page = render_page(task, fig, link, cal)
    files = {"index.html": page.encode("utf-8"), **extra}
    pdf_files = {href: data} if data is not None else {}
    if task.sealer is not None:
        files, pdf_files = task.sealer.seal(files), task.sealer.seal(pdf_files)
    return InvoiceFiles(inv.number, files, pdf_files)
