"""Load, validate and check a whole site: everything a build needs before it writes a byte."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.errors import Problem, RemitError
from generator.figures.checks import check_invoice, check_unique
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.model.site import Site
from generator.read.files import load_sources
from generator.read.invoice import read_invoice
from generator.read.memo import InvoiceMemo
from generator.read.secret import load_secret
from generator.read.settings import load_settings
from generator.urls import invoice_path, link_key


def today_in(settings: Settings) -> dt.date:
    return dt.datetime.now(settings.tz).date()


def load_site(root: Path, base_url: str | None = None, create_secret: bool = True,
              memo: InvoiceMemo | None = None) -> Site:
    """Raise RemitError with every problem of every file, or return a site that is fit to build.

    With a memo (the build cache), files unchanged since a valid earlier read are not parsed
    again; the memo returns their Invoice in place of their Source.
    """
    settings = load_settings(root, base_url)
    sources, problems = memo.load(settings) if memo else load_sources(settings.root,
                                                                      settings.content_dir)
    invoices: list[Invoice] = []
    for src in sources:
        if isinstance(src, Invoice):
            invoices.append(src)
            continue
        inv = read_invoice(src, settings, problems)
        if inv is not None:
            found = check_invoice(inv, src.locator)
            problems.extend(found)
            if not found:
                invoices.append(inv)
                if memo:
                    memo.remember(src, inv)
    # The memo skips re-reading unchanged invoice files, not the files they point to.
    for inv in invoices:
        video = inv.countdown.video_file(settings.content_dir)
        if video is not None and not video.is_file():
            rel = video.relative_to(settings.content_dir).as_posix()
            problems.append(Problem(inv.source, None, "video", f"no such file content/{rel}"))
    # A site whose invoices all have explicit slugs needs no secret (nor does CI need one);
    # an encrypted site always does: its keys derive from it.
    needs_secret = settings.encrypted or any(inv.slug is None for inv in invoices)
    secret, notice = load_secret(settings.root, create=create_secret and needs_secret)
    sealed = settings.encrypted
    paths = {inv.source: invoice_path(secret, inv.number, inv.slug, sealed) for inv in invoices}
    keys = {inv.source: link_key(secret, inv.number) for inv in invoices} if sealed else {}
    problems.extend(check_unique(invoices, paths))
    if problems:
        raise RemitError(problems)
    return Site(settings, tuple(invoices), paths, (notice,) if notice else (), keys)
