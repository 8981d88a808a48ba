"""Load, validate and check a whole site: everything a build needs before it writes a byte."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.checks import check_invoice, check_unique
from generator.config import SiteConfig, load_config
from generator.errors import Problem, RemitError
from generator.load import load_sources
from generator.memo import InvoiceMemo
from generator.model import Invoice, read_invoice
from generator.urls import invoice_path, load_secret


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    invoices: tuple[Invoice, ...]  # every valid invoice, drafts included
    paths: dict[str, str]  # invoice source -> URL path relative to the site root
    notices: tuple[str, ...]

    @property
    def published(self) -> tuple[Invoice, ...]:
        return tuple(i for i in self.invoices if not i.draft)

    def url(self, inv: Invoice) -> str:
        return self.config.base_url + self.paths[inv.source]


def today_in(config: SiteConfig) -> dt.date:
    return dt.datetime.now(config.tz).date()


def load_site(root: Path, base_url: str | None = None, create_secret: bool = True,
              memo: InvoiceMemo | None = None) -> Site:
    """Raise RemitError with every problem of every file, or return a site that is fit to build.

    With a memo (the build cache), files unchanged since a valid earlier read are not parsed
    again; the memo returns their Invoice in place of their Source.
    """
    config = load_config(root, base_url)
    sources, problems = memo.load(config) if memo else load_sources(config.root,
                                                                    config.content_dir)
    invoices: list[Invoice] = []
    for src in sources:
        if isinstance(src, Invoice):
            invoices.append(src)
            continue
        inv = read_invoice(src, config, problems)
        if inv is not None:
            found = check_invoice(inv, src)
            problems.extend(found)
            if not found:
                invoices.append(inv)
                if memo:
                    memo.remember(src, inv)
    # The memo skips re-reading unchanged invoice files, not the files they point to.
    for inv in invoices:
        video = inv.countdown.video_file(config.content_dir)
        if video is not None and not video.is_file():
            rel = video.relative_to(config.content_dir).as_posix()
            problems.append(Problem(inv.source, None, "video", f"no such file content/{rel}"))
    # A site whose invoices all have explicit slugs needs no secret (nor does CI need one).
    needs_secret = any(inv.slug is None for inv in invoices)
    secret, notice = load_secret(config.root, create=create_secret and needs_secret)
    paths = {inv.source: invoice_path(secret, inv.number, inv.slug) for inv in invoices}
    problems.extend(check_unique(invoices, paths))
    if problems:
        raise RemitError(problems)
    return Site(config, tuple(invoices), paths, (notice,) if notice else ())


__all__ = ["Problem", "Site", "load_site", "today_in"]
