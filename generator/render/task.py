"""What a pool worker (or the builder) is handed to render one invoice, and what comes back.

Apart from the renderer (render/invoice.py) so that a builder whose invoices all render in
the pool never imports Jinja, Babel's formatters, Markdown or qrcode itself: it only makes
tasks and hands them on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.model.invoice import Invoice
from generator.model.settings import Settings

if TYPE_CHECKING:
    from generator.render.seal import Sealer


@dataclass(frozen=True, slots=True)
class InvoiceTask:
    invoice: Invoice
    settings: Settings
    path: str  # the invoice's folder, relative to the site root
    today: dt.date
    template_dirs: tuple[Path, ...]
    site_view: dict[str, object]  # what every page sees (view/site.py)
    theme_digest: str  # changes whenever a theme file does
    want_pdf: bool  # render the PDF (it is not in the cache)
    pdf_sizes: dict[str, int] | None  # the cached PDFs' sizes (file name -> bytes) when
    # want_pdf is False; None: no PDF
    assets: dict[str, str]  # for the PDF: public URL -> local file
    assets_digest: str  # changes whenever a theme file or the logo does
    statement: str | None = None  # the client's statement page, relative to this page
    link: str = ""  # the invoice's link as shared (with its key on an encrypted site)
    sealer: Sealer | None = None  # privacy = "encrypted": seals every file before it is kept
    keys: tuple[str, str] = ("", "")  # the build cache's keys of its page and PDF entries


@dataclass(frozen=True, slots=True)
class InvoiceFiles:
    """One invoice's files as published (name -> bytes): the page and what is cached with
    it (calendar file, video), and the PDF, cached on its own (empty when not rendered)."""

    number: str
    page_files: dict[str, bytes]  # the page and what is cached with it (calendar, video)
    # The invoice's PDF and, once it is paid, its receipt (empty when not rendered).
    pdf_files: dict[str, bytes] = field(default_factory=dict)
