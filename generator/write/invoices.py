"""Each published invoice's files: from the build cache, or rendered (in a process pool) and
stored there first. The output folder is then assembled from cache files alone."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.digest import digest, stable_repr
from generator.errors import Problem, RemitError
from generator.figures.clients import client_key
from generator.model.invoice import Invoice
from generator.model.site import Site
from generator.theme import template_dirs
from generator.urls import pdf_name, receipt_name
from generator.write.cache import Cache, CacheFile, Entry
from generator.write.keys import Keys, external_inputs

if TYPE_CHECKING:  # imported when something renders: a no-op build never loads the renderer
    from generator.render.seal import Sealer
    from generator.render.task import InvoiceFiles, InvoiceTask


@dataclass(frozen=True, slots=True)
class Stored:
    """An invoice's files as put into the build cache by the process that rendered them."""

    page: Entry
    pdf: Entry | None  # None: no PDF was printed (none wanted, or it was in the cache)


def store_files(cache_dir: Path, task: InvoiceTask, result: InvoiceFiles) -> Stored:
    """Where the files were rendered (a pool worker, or this process): into the build cache,
    so that only their entries travel back to the builder, never the pages' bytes."""
    store = _store(cache_dir)
    page_key, pdf_key = task.keys
    # The receipt is a file of the PDF's entry: it changes exactly when the invoice's PDF
    # may (payments are part of the invoice).
    pdf = store.write("pdf", pdf_key, result.pdf_files) if result.pdf_files else None
    return Stored(store.write("page", page_key, result.page_files), pdf)


@functools.lru_cache(maxsize=4)
def _store(cache_dir: Path) -> Cache:
    # One per process and folder: store_files only writes files (and returns their entries,
    # which the builder's own Cache adopts and indexes), so it holds no state between calls.
    return Cache(cache_dir)


def statement_links(site: Site) -> dict[str, str]:
    """Invoice source -> its client's statement page, relative to the invoice's page."""
    if not site.statements:
        return {}
    return {inv.source: posixpath.relpath(site.statements[client_key(inv)],
                                          site.paths[inv.source]) + "/"
            for inv in site.published if client_key(inv) in site.statements}


# -- a build's invoices -----------------------------------------------------------------------
def invoice_files(site: Site, today: dt.date, jobs: int | None, with_pdf: bool,
                  trusted: dict[str, dict[str, int]],
                  identities: dict[str, str] | None = None, store: Cache | None = None,
                  stage: Callable[[dict[str, CacheFile]], None] | None = None,
                  keys: Keys | None = None, meanwhile: Callable[[], None] | None = None,
                  ) -> tuple[dict[str, CacheFile], tuple[str, ...]]:
    """Every published invoice's files (relative path -> cache file), rendering those the
    cache lacks; and the numbers of the invoices rendered. The entries go into `store`'s
    index when the caller saves it (without a `store`, before this returns). `stage` is
    handed each invoice's files as soon as they are known (write/output.py's StagedTree).
    `keys`: the build's, when the caller has them (they hash every theme file). `meanwhile`
    is called once the pool's workers have pages to render (not called: no pool)."""
    if store is None:
        store = Cache(site.settings.cache_dir)
        try:
            result = invoice_files(site, today, jobs, with_pdf, trusted, identities, store,
                                   stage, keys, meanwhile)
        except BaseException:
            store.save(prune=False)  # what was rendered before the error stays cached
            raise
        store.save()
        return result
    settings = site.settings
    keys = keys or Keys.for_build(settings, today)
    assets: dict[str, str] | None = None  # for PDFs: made when the first task needs them
    dirs = template_dirs(settings.theme_dir)
    base: dict[str, object] | None = None  # what every page sees: made for the first task
    placed: dict[str, tuple[Entry, Entry | None]] = {}
    tasks: list[InvoiceTask] = []
    known = identities or {}
    statements = statement_links(site)
    # The link to the client's statement is part of the page (and so of the PDF's source).
    data = {inv.source: digest(known.get(inv.source) or stable_repr(inv),
                               *external_inputs(inv, settings),
                               *([statements[inv.source]] if inv.source in statements else []))
            for inv in site.published}
    views: dict[str, dict[str, object]] = {}  # one site view per folder depth
    sealers = {inv.source: sealer(site, inv, dirs, views) for inv in site.published}
    # The lock is part of both keys: a cached file is sealed under exactly this key.
    locks = {src: s.lock.fingerprint() if s else "" for src, s in sealers.items()}
    for inv in site.published:
        path = site.paths[inv.source]
        seal = sealers[inv.source]
        pdf_key = keys.pdf(data[inv.source], path, locks[inv.source]) if with_pdf else ""
        pdf_entry = store.get("pdf", pdf_key, trusted) if with_pdf else None
        page_key = keys.page(data[inv.source], path, with_pdf, locks[inv.source])
        page_entry = store.get("page", page_key, trusted)
        if page_entry and (pdf_entry or not with_pdf):
            placed[inv.source] = (page_entry, pdf_entry)
            if stage:
                stage(published_files(path, page_entry, pdf_entry))
            continue
        from generator.render.task import InvoiceTask
        if assets is None:
            from generator.render.site import static_assets

            assets = static_assets(settings) if with_pdf else {}
        if base is None:  # here: a no-op build never imports the view (Babel's catalogs)
            from generator.view.site import site_view

            base = site_view(settings, "")
        tasks.append(InvoiceTask(
            invoice=inv, settings=settings, path=path, today=today, template_dirs=dirs,
            site_view=base, theme_digest=keys.theme, want_pdf=with_pdf and pdf_entry is None,
            pdf_sizes=plain_sizes(pdf_entry, inv, seal) if pdf_entry else None,
            assets=assets, assets_digest=keys.assets,
            statement=statements.get(inv.source), link=site.url(inv), sealer=seal,
            keys=(page_key, pdf_key)))
    problems: list[Problem] = []
    results = iter(())
    if tasks:
        from generator.render import pdf as pdf_render
        from generator.render.pool import default_jobs, run_tasks

        results = run_tasks(tasks, jobs or default_jobs(),
                            functools.partial(store_files, settings.cache_dir), meanwhile)
    for task, result in zip(tasks, results, strict=True):
        inv = task.invoice
        if isinstance(result, pdf_render.PdfError):
            problems.append(Problem(inv.source, None, "pdf", str(result)))
            continue
        if isinstance(result, RemitError):  # e.g. a theme error, a note's missing image
            problems.extend(result.problems)
            continue
        if isinstance(result, BaseException):
            raise result
        assert isinstance(result, Stored)
        store.adopt(result.page)
        pdf_entry = result.pdf
        if pdf_entry is not None:
            store.adopt(pdf_entry)
        elif with_pdf:
            pdf_entry = store.get("pdf", task.keys[1])
            if pdf_entry is None:
                raise RemitError([Problem(inv.source, None, "pdf",
                                          "the build cache changed during the build; "
                                          "run the build again")])
        placed[inv.source] = (result.page, pdf_entry)
        if stage and not problems:
            stage(published_files(task.path, result.page, pdf_entry))
    if problems:
        raise RemitError(problems)
    files: dict[str, CacheFile] = {}
    for inv in site.published:
        files.update(published_files(site.paths[inv.source], *placed[inv.source]))
    return files, tuple(t.invoice.number for t in tasks)


def published_files(folder: str, page: Entry, pdf: Entry | None) -> dict[str, CacheFile]:
    """An invoice's files as output/ holds them: relative path -> cache file."""
    return {folder + name: entry.path(name)
            for entry in (page, pdf) if entry for name in sorted(entry.sizes)}


def sealer(site: Site, inv: Invoice, dirs: tuple[Path, ...],
           views: dict[str, dict[str, object]]) -> Sealer | None:
    """How an invoice's files are sealed on an encrypted site (None: published as they are).
    The shell speaks the client's language and names the site, never the invoice."""
    key = site.keys.get(inv.source)
    if key is None:
        return None
    from generator.render.seal import Lock, Sealer, Shell  # cryptography: encrypted sites only
    from generator.view.site import site_view
    settings = site.settings
    root = "../" * site.paths[inv.source].count("/")
    if root not in views:
        views[root] = site_view(settings, root)
    shell = Shell(dirs, settings.theme_dir, inv.language, views[root])
    return Sealer(Lock(key, inv.passphrase), shell)


def plain_sizes(entry: Entry, inv: Invoice, seal: Sealer | None) -> dict[str, int]:
    """The cached PDFs' sizes by their real names, as the page shows them (a sealed file is
    stored under a name of its own and is larger than what the client downloads)."""
    if seal is None:
        return dict(entry.sizes)
    from generator.render.seal import plain_size
    return {real: plain_size(entry.sizes[seal.name(real)])
            for real in (pdf_name(inv.number), receipt_name(inv.number))
            if seal.name(real) in entry.sizes}
