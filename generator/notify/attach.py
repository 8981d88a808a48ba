"""The PDF of an invoice as of a day, to attach to its reminder: from the build cache when a
build for that day made it, else rendered now (and kept in the cache for the next build)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.model.invoice import Invoice
from generator.model.site import Site
from generator.urls import pdf_name
from generator.write.invoices import invoice_files


def invoice_pdfs(site: Site, invoices: list[Invoice], today: dt.date) -> dict[str, bytes]:
    """Invoice number -> its PDF, as `remit build --today` would publish it."""
    if not invoices:
        return {}
    part = Site(site.settings, tuple(invoices), site.paths, ())
    files, _ = invoice_files(part, today, 1, True, {})
    return {inv.number: Path(files[site.paths[inv.source] + pdf_name(inv.number)]).read_bytes()
            for inv in invoices}
