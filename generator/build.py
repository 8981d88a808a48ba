"""The whole build, stage by stage: site.toml and content/ in, output/ out, at once.

1. read/     load the site: every problem of every file at once, nothing written yet
             (unchanged files come from the memo of parsed invoices);
2. write/    for each invoice, its page and PDF from the build cache, or rendered by render/
             (PDFs in a process pool) and stored there first;
3. render/   the site-wide pages and the theme's static files;
4. write/    only then output/: the files that differ, when output/ is provably the last
             build's, or else a fresh tree swapped into place.
An incremental build equals a clean one, byte for byte.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.digest import CACHE_DIR
from generator.errors import Problem
from generator.model.site import Site
from generator.read.checked import CheckMemo
from generator.read.memo import InvoiceMemo
from generator.read.site import load_site, today_in
from generator.render import spare
from generator.render.forkserver import first_build_of_many
from generator.write.cache import Cache, CacheFile
from generator.write.invoices import invoice_files
from generator.write.keys import Keys
from generator.write.output import (
    Content,
    OutputState,
    StagedTree,
    check_output_dir,
    write_output,
)
from generator.write.site import site_files
from generator.write.statements import statement_files


@dataclass(frozen=True)
class BuildReport:
    output: Path
    pages: int
    drafts: int
    rendered: tuple[str, ...]  # numbers of the invoices whose files were (re)rendered
    seconds: float
    notices: tuple[str, ...]
    warnings: tuple[Problem, ...] = ()


def build(root: Path, output: Path | None = None, today: dt.date | None = None,
          base_url: str | None = None, *, jobs: int | None = None,
          pdf: bool = True, keep_workers: bool = True) -> BuildReport:
    """Build the site; `jobs` PDF workers (default: every core); `pdf=False`: pages only;
    `keep_workers=False` (a one-shot command): the worker pool stops once all is rendered,
    before output/ is written (at 10,000 invoices its ~110 MB would otherwise count on top
    of the builder's peak)."""
    held = Held()
    try:
        return _build(held, root, output, today, base_url, jobs, pdf, keep_workers)
    finally:
        held.thaw()


class Held:
    """What a build reads (its settings, every invoice: ~70 objects an invoice, none in a
    cycle; output/'s last state) lasts as long as the build. The collector waits while it
    is read, then it is frozen: no collection walks it again (at 10,000 invoices five full
    collections cost the builder ~0.5 s, one of them after the last page; at 1,000 memo'd
    ones ~10 ms of a no-op build). It is given back when the build ends, failed or not;
    never where objects were frozen already (unfreezing would give back theirs too)."""

    def __init__(self) -> None:
        self.froze = False

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        if gc.get_freeze_count() or not gc.isenabled():
            yield
            return
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            self.froze = True
            gc.enable()

    def thaw(self) -> None:
        if self.froze:
            gc.unfreeze()
            self.froze = False


def _build(held: Held, root: Path, output: Path | None, today: dt.date | None,
           base_url: str | None, jobs: int | None, pdf: bool, keep_workers: bool,
           ) -> BuildReport:
    started = time.perf_counter()
    parse = None  # read/parse.py's, in this process
    if jobs != 1 and first_build_of_many(root):
        from generator.render.pool import IN_PROCESS_PAGES, default_jobs, parse_in_pool, start_early

        if first_build_of_many(root, IN_PROCESS_PAGES):
            start_early(jobs or default_jobs(), pdf)
            parse = functools.partial(parse_in_pool, pdf=pdf)
    memo = InvoiceMemo()
    checks = CheckMemo(root.resolve() / CACHE_DIR)
    checks.recall()
    with held.reading():
        site = load_site(root, base_url, memo=memo, parse=parse)
        settings = site.settings
        output = (output or settings.output_dir).resolve()
        check_output_dir(settings, output)
        day = today or today_in(settings)
        state = OutputState(settings.cache_dir, output)
    # Cache files verified by output/'s stats need not be read again (a no-op stays fast).
    trusted = state.trusted_cache_files() if state.trusted() else {}
    store = Cache(settings.cache_dir)
    # A fresh output tree (first build): filled with each invoice's files as they come.
    staged = StagedTree(output) if not state.trusted() else None
    keys = Keys.for_build(settings, day)  # once: it hashes every file of the theme

    def beside_invoices() -> tuple[dict[str, CacheFile], dict[str, CacheFile]]:
        """The site-wide files and the statements: they need no invoice's files."""
        return (site_files(settings, keys, store, trusted),
                statement_files(site, day, trusted, memo.keys, store, keys))

    early: dict[str, object] = {}

    def meanwhile() -> None:
        """While the spare prints the first letter, or the pool's workers render their first
        pages: the memos (the load's, complete now) and what needs no invoice's files,
        rather than after the last invoice, when nothing runs beside the builder."""
        if not early:
            memo.save()
            checks.save()
            early["files"] = beside_invoices()

    def beside_the_spare() -> None:
        try:
            meanwhile()
        except Exception as exc:  # raised below, not as the invoice's problem
            early["error"] = exc

    try:
        if spare.running():
            spare.meanwhile(beside_the_spare)
        invoices, rendered = invoice_files(site, day, jobs, pdf, trusted, memo.keys, store,
                                           staged.add if staged else None, keys, meanwhile)
        if "error" in early:
            raise early["error"]  # type: ignore[misc]
        site_wide, statements = early["files"] if "files" in early \
            else beside_invoices()  # type: ignore[misc]
        files: dict[str, Content] = {**site_wide, **invoices, **statements}
    except BaseException:
        store.save(prune=False)  # what was rendered before the error stays cached
        if staged:
            staged.discard()
        raise
    store.save()  # the index of the entries written; old entries pruned
    if not keep_workers and "generator.render.pool" in sys.modules:
        from generator.render.pool import shutdown_pool

        shutdown_pool()
    write_output(output, files, state, staged)
    memo.save()
    checks.save()
    drafts = len(site.invoices) - len(site.published)
    return BuildReport(output, len(site.published), drafts, rendered,
                       time.perf_counter() - started, site.notices, site.warnings)


def check(root: Path, today: dt.date | None = None, base_url: str | None = None, *,
          jobs: int | None = None, pdf: bool = True) -> Site:
    """Everything a build checks, without writing into the site: every file read and
    validated, every page, PDF (unless `pdf=False`) and site-wide file rendered, into a
    scratch folder that is removed after."""
    site = load_site(root, base_url, create_secret=False)
    day = today or today_in(site.settings)
    with tempfile.TemporaryDirectory(prefix="remit-check-") as scratch:
        settings = dataclasses.replace(site.settings, cache_dir=Path(scratch))
        scratch_site = dataclasses.replace(site, settings=settings)
        keys = Keys.for_build(settings, day)
        invoice_files(scratch_site, day, jobs, pdf, {}, keys=keys)
        statement_files(scratch_site, day, {}, None, keys=keys)
        from generator.render.site import site_wide_files

        site_wide_files(settings, keys.theme)
    return site
