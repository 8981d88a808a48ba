"""Re-render only what changed: cache keys, the PDF worker pool, and assembling the output.

Each invoice has two cache entries: its page and its PDF. Both keys hash everything the
files can depend on:
  - the invoice: the memo's digest of its file's bytes and the settings it was read with
    (memo.py), or else its stable_repr; and its URL path (which carries the secret's token);
  - the site settings (the parsed SiteConfig, base_url included, and site.toml's bytes) and
    the logo's bytes;
  - every file of the site's theme and of the bundled default theme (templates, catalogs,
    CSS, fonts);
  - the generator's own source files and the versions of Jinja2, Babel, Markdown (and for
    PDFs WeasyPrint and pydyf);
  - the build day: every page says "in N days" and figures depend on which payments are due;
  - for the page, whether it links a PDF (whose size it shows, a function of the PDF key).
Anything not in the key cannot change the output; when in doubt, add it to the key.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import cache as build_cache
from generator.config import SiteConfig, bundled_themes
from generator.errors import Problem, RemitError
from generator.pdf_settings import logo_name, pdf_name
from generator.render import pdf as pdf_render
from generator.site import Site

if TYPE_CHECKING:  # imported when something must be rendered: a no-op build starts faster
    from concurrent.futures import ProcessPoolExecutor

    from generator.model import Invoice
    from generator.render.invoice import InvoiceFiles, InvoiceTask

IN_PROCESS_MAX = 2  # a pool costs ~1 s to start: not worth it for one or two PDFs


def theme_dirs(config: SiteConfig) -> list[Path]:
    return [bundled_themes() / "default", config.theme_dir]


def static_sources(config: SiteConfig) -> dict[str, Path]:
    """Everything published under static/ (relative path -> local file): the bundled theme's
    files, the site theme's over them, and the logo."""
    sources: dict[str, Path] = {}
    for theme in theme_dirs(config):  # the site's theme last: its files win
        static = theme / "static"
        if static.is_dir():
            for path in sorted(p for p in static.rglob("*") if p.is_file()):
                sources["static/" + path.relative_to(static).as_posix()] = path
    if config.logo:
        sources["static/" + logo_name(config.logo)] = config.logo
    return sources


def static_assets(config: SiteConfig) -> dict[str, str]:
    """Public URL -> local file for everything under static/, for the PDF's URL fetcher."""
    return {config.base_url + rel: str(path) for rel, path in static_sources(config).items()}


@dataclass(frozen=True)
class Keys:
    common: str  # site, theme, code, day
    theme: str
    assets: str  # theme and logo: whatever a PDF embeds besides its page

    @classmethod
    def for_build(cls, config: SiteConfig, today: dt.date) -> Keys:
        theme = build_cache.files_digest(theme_dirs(config))
        logo = config.logo.read_bytes() if config.logo else b""
        # site.toml's bytes too: a setting another module reads directly is still an input.
        settings = (config.root / "site.toml").read_bytes()
        common = build_cache.digest(build_cache.code_digest(), build_cache.stable_repr(config),
                                    settings, theme, logo, today.isoformat())
        return cls(common, theme, build_cache.digest(theme, logo))

    def page(self, data: str, path: str, with_pdf: bool) -> str:
        """`data` identifies the invoice: the memo's digest of its file and settings, or its
        stable_repr (every field exactly, Decimals as written)."""
        return build_cache.digest(self.common, "page", data, path, str(with_pdf))

    def pdf(self, data: str, path: str) -> str:
        return build_cache.digest(self.common, "pdf", pdf_render.version(), data, path)


def external_inputs(inv: Invoice, config: SiteConfig) -> list[bytes]:
    """Bytes of files outside the invoice's own file that its page or PDF copies or embeds
    (e.g. a video from content/ placed beside the page): they are inputs of its cache keys.
    A feature that reads such a file must list it here."""
    video = inv.countdown.video_file(config.content_dir)
    return [video.read_bytes()] if video is not None and video.is_file() else []


# -- the worker pool ------------------------------------------------------------------------
_pool: dict[str, object] = {}


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pool(jobs: int) -> ProcessPoolExecutor:
    """One long-lived pool per process (watch mode rebuilds reuse it)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if _pool.get("jobs") != jobs:
        shutdown_pool()
        # forkserver: workers fork from a clean process that has already imported WeasyPrint,
        # never from a builder that may be running threads (watch mode).
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["generator.render.invoice", "weasyprint"])
        _pool["executor"] = ProcessPoolExecutor(jobs, mp_context=ctx,
                                                initializer=pdf_render.warm_up)
        _pool["jobs"] = jobs
    return _pool["executor"]  # type: ignore[return-value]


def shutdown_pool() -> None:
    executor: Any = _pool.pop("executor", None)
    _pool.pop("jobs", None)
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown_pool)


def run_tasks(tasks: list[InvoiceTask], jobs: int) -> Iterator[InvoiceFiles | BaseException]:
    """Each task's files (or its exception), in task order, as soon as they are ready: the
    caller stores them and lets go of the bytes, so memory stays flat however many PDFs."""
    from concurrent.futures.process import BrokenProcessPool

    from generator.render.invoice import render_invoice

    pdfs = sum(t.want_pdf for t in tasks)
    # A warm pool (watch mode, the bench) beats importing WeasyPrint here; a cold one does not.
    if jobs == 1 or (pdfs <= IN_PROCESS_MAX and _pool.get("jobs") != jobs):
        for task in tasks:
            try:
                yield render_invoice(task)
            except pdf_render.PdfError as exc:
                yield exc
        return
    executor = pool(jobs)
    futures = [executor.submit(render_invoice, t) for t in tasks]
    try:
        for future in futures:
            yield future.exception() or future.result()
    except BrokenProcessPool:
        shutdown_pool()  # the next build starts a fresh pool
        raise
    finally:
        for future in futures:  # on an unexpected error, do not leave work queued
            future.cancel()


# -- a build's invoices -----------------------------------------------------------------------
def invoice_files(site: Site, today: dt.date, jobs: int | None, with_pdf: bool,
                  trusted: dict[str, dict[str, int]],
                  identities: dict[str, str] | None = None,
                  ) -> tuple[dict[str, Path], tuple[str, ...]]:
    """Every published invoice's files (relative path -> cache file), rendering those the
    cache lacks; and the numbers of the invoices rendered."""
    from generator.build import site_context, template_dirs  # build imports this module
    from generator.render.invoice import InvoiceTask

    config = site.config
    keys = Keys.for_build(config, today)
    store = build_cache.Cache(config.cache_dir)
    assets = static_assets(config) if with_pdf else {}
    dirs = template_dirs(config)
    base = site_context(config, "")
    placed: dict[str, tuple[build_cache.Entry, build_cache.Entry | None]] = {}
    tasks: list[InvoiceTask] = []
    known = identities or {}
    data = {inv.source: build_cache.digest(known.get(inv.source) or build_cache.stable_repr(inv),
                                           *external_inputs(inv, config))
            for inv in site.published}
    for inv in site.published:
        path = site.paths[inv.source]
        name = pdf_name(inv.number)
        pdf_key = keys.pdf(data[inv.source], path) if with_pdf else ""
        pdf_entry = store.get("pdf", pdf_key, trusted) if with_pdf else None
        page_key = keys.page(data[inv.source], path, with_pdf)
        page_entry = store.get("page", page_key, trusted)
        if page_entry and (pdf_entry or not with_pdf):
            placed[inv.source] = (page_entry, pdf_entry)
            continue
        tasks.append(InvoiceTask(
            invoice=inv, config=config, path=path, today=today, template_dirs=dirs,
            site=base, theme_digest=keys.theme, want_pdf=with_pdf and pdf_entry is None,
            pdf_size=pdf_entry.sizes.get(name) if pdf_entry else None,
            assets=assets, assets_digest=keys.assets))
    problems: list[Problem] = []
    results = run_tasks(tasks, jobs or default_jobs()) if tasks else iter(())
    for task, result in zip(tasks, results, strict=True):
        inv = task.invoice
        if isinstance(result, pdf_render.PdfError):
            problems.append(Problem(inv.source, None, "pdf", str(result)))
            continue
        if isinstance(result, BaseException):
            raise result
        pdf_entry = None
        if with_pdf:
            pdf_key = keys.pdf(data[inv.source], task.path)
            if result.pdf is not None:
                pdf_entry = store.put("pdf", pdf_key, {pdf_name(inv.number): result.pdf})
            else:
                pdf_entry = store.get("pdf", pdf_key)
                if pdf_entry is None:
                    raise RemitError([Problem(inv.source, None, "pdf",
                                              "the build cache changed during the build; "
                                              "run the build again")])
        page_entry = store.put("page", keys.page(data[inv.source], task.path, with_pdf),
                               {"index.html": result.page, **result.extra})
        placed[inv.source] = (page_entry, pdf_entry)
    if problems:
        raise RemitError(problems)
    files: dict[str, Path] = {}
    for inv in site.published:
        page_entry, pdf_entry = placed[inv.source]
        folder = site.paths[inv.source]
        for entry in (page_entry, pdf_entry):
            for name in sorted(entry.sizes) if entry else ():
                files[folder + name] = entry.path(name)
    if tasks:  # only a build that added entries can leave old ones to remove
        store.prune()
    return files, tuple(t.invoice.number for t in tasks)
