"""Load, validate and check a whole site: everything a build needs before it writes a byte."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.confine import confined_file, described
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
from generator.theme import theme_problems
from generator.urls import invoice_path


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
    # The memo skips re-reading unchanged invoice files, never checking the files they
    # publish: a video swapped for a link to /etc/passwd is refused on every build.
    for inv in invoices:
        video = inv.countdown.video_file(settings.content_dir)
        wrong = confined_file(video, settings.content_dir) if video is not None else None
        if video is not None and wrong:
            rel = video.relative_to(settings.content_dir).as_posix()
            problems.append(Problem(inv.source, None, "video", described(f"content/{rel}", wrong)))
    problems.extend(theme_problems(settings.theme_dir, settings.root))
    # A site whose invoices all have explicit slugs needs no secret (nor does CI need one).
    needs_secret = any(inv.slug is None for inv in invoices)
    secret, notice = load_secret(settings.root, create=create_secret and needs_secret)
    paths = {inv.source: invoice_path(secret, inv.number, inv.slug) for inv in invoices}
    problems.extend(check_unique(invoices, paths))
    if problems:
        raise RemitError(problems)
    return Site(settings, tuple(invoices), paths, (notice,) if notice else ())
