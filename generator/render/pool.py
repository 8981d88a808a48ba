"""Invoices rendered in a long-lived process pool (PDFs are CPU-bound; WeasyPrint is not
thread-safe), or in this process when there are only a few.

Pages without a PDF go to the pool too when there are many (a cold page-only build of a
thousand invoices keeps every core busy), a batch of them per task so that the settings
and the site's view are pickled once a batch, not once a page. Watch mode's small
rebuilds stay in this process: a page costs milliseconds, a pool start far more.

No worker outlives its build, however the build ends: each watches the builder's process
and exits with it (SIGKILL included); Ctrl-C and SIGTERM shut the pool down first."""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import RemitError
from generator.interrupt import signals_deferred
from generator.model.settings import Settings
from generator.read.parse import Parsed, parse_batch, parse_files
from generator.render import forkserver, spare
from generator.render import pdf as pdf_render
from generator.render.forkserver import IN_PROCESS_PAGES
from generator.render.spare import IN_PROCESS_MAX
from generator.render.task import InvoiceFiles, InvoiceTask
from generator.toml import Locator

if TYPE_CHECKING:  # imported when a pool starts: a build with little to render starts faster
    from concurrent.futures import ProcessPoolExecutor

# What becomes of an invoice's files where they were rendered (the builder stores them in
# its cache there, so that only small entries travel back); its result is what run_tasks
# yields. Module-level functions and partials of them: they are pickled with each batch.
Keep = Callable[[InvoiceTask, InvoiceFiles], Any]


IN_PROCESS_PAGES_WARM = 8
BATCH_MAX = 32  # pages a pool task renders at most (smaller when there are few)
# Invoice files (~0.6 ms each to parse and check) go to a running pool when there are more
# than this, PARSE_BATCH to a task: a first build of a large site reads in parallel.
PARSE_IN_PROCESS = 100
PARSE_BATCH = 50
BATCHES_PER_WORKER = 8  # at least, when there are enough pages: the workers finish together

# -- the worker pool ------------------------------------------------------------------------
_pool: dict[str, object] = {}


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pool(jobs: int, pdf: bool = True) -> ProcessPoolExecutor:
    """One long-lived pool per process (watch mode rebuilds reuse it). `pdf=False`: a pool
    started for pages alone does not import WeasyPrint first (its workers import it on their
    first PDF, should a later build of the same process print one)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if _pool.get("jobs") != jobs:
        shutdown_pool()
        # forkserver: workers fork from a clean process that has already imported WeasyPrint,
        # never from a builder that may be running threads (watch mode).
        ctx = multiprocessing.get_context("forkserver")
        forkserver.start(pdf)  # unless `remit build` started it already
        _pool["executor"] = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=start_worker,
                                                initargs=(os.getpid(), pdf))
        _pool["jobs"] = jobs
        # Registered again: atexit runs last-in first-out, and this must run before
        # multiprocessing's own exit handler removes the semaphores that workers still use.
        atexit.unregister(shutdown_pool)
        atexit.register(shutdown_pool)
    return _pool["executor"]  # type: ignore[return-value]


def start_early(jobs: int, pdf: bool) -> None:
    """Start the workers now, in a background thread, while the builder reads the site: a
    first build of a large site hands them its pages a second or so later, and the fork
    server's imports need not wait for that."""
    if jobs == 1 or _pool.get("jobs") == jobs:
        return
    with signals_deferred():
        executor = pool(jobs, pdf)

    def spawn() -> None:
        for future in [executor.submit(int) for _ in range(jobs)]:  # one a worker
            future.exception()

    threading.Thread(target=spawn, name="remit-pool-start", daemon=True).start()


def start_worker(builder: int, pdf: bool) -> None:
    """A worker's initializer: it lives only as long as the build that started it, however
    that build ends (SIGKILL included), and leaves Ctrl-C to the builder."""
    # Ctrl-C reaches the whole process group; the builder stops the pool itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=spare.exit_with, args=(builder,), name="remit-builder-watch",
                     daemon=True).start()
    if pdf:
        pdf_render.warm_up()


def shutdown_pool() -> None:
    executor: Any = _pool.pop("executor", None)
    _pool.pop("jobs", None)
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown_pool)


def parse_in_pool(paths: list[Path], settings: Settings, languages: frozenset[str],
                  site_toml: Locator | None, pdf: bool = True) -> Iterator[Parsed]:
    """read/parse.py's parse_files, in the running pool when there are many files (a first
    build of a large site starts its pool before reading: start_early)."""
    executor: Any = _pool.get("executor")
    if executor is None or len(paths) <= PARSE_IN_PROCESS:
        yield from parse_files(paths, settings, languages, site_toml)
        return
    chunks = [paths[i:i + PARSE_BATCH] for i in range(0, len(paths), PARSE_BATCH)]
    futures = [executor.submit(parse_batch, chunk, settings, languages, site_toml)
               for chunk in chunks]
    here: dict[int, list[Parsed]] = {}  # batches the builder took back and parsed itself
    with guarded(futures):
        compile_theme(settings, pdf)  # meanwhile
        last = len(futures)
        for i, future in enumerate(futures):
            # Rather than wait (for workers still starting, or busy), the builder parses the
            # last batch no worker has begun: withdrawn from the pool, parsed here.
            while not future.done() and last - 1 > i and futures[last - 1].cancel():
                last -= 1
                here[last] = parse_batch(chunks[last], settings, languages, site_toml)
            yield from here.pop(i) if i in here else future.result()


def compile_theme(settings: Settings, pdf: bool = True) -> None:
    """The templates a worker renders (the invoice page and what it includes; the letter and
    receipt when PDFs are printed; the sealed page's shell) compiled into the build cache by
    the builder while its workers parse: each worker then loads them at its first page
    instead of compiling them (~0.2 s a worker on a first build). The builder's own pages
    (index, 404, statements) compile when it renders them; a page-only build never compiles
    the letter's (~60 ms). A template that fails to compile is left to the render, which
    reports it."""
    from generator.render import html
    from generator.theme import template_dirs

    env = html.theme_environment(template_dirs(settings.theme_dir), settings.cache_dir)
    todo = ["invoice.html", *(["letter.html", "receipt.html"] * pdf),
            *(["shell.html"] * settings.encrypted)]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        with contextlib.suppress(Exception):
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
            env.get_template(name)
            todo += _NAMED_TEMPLATE.findall(source)


# A template that another names literally (an include, extends or import of a string): the
# ones named by an expression compile where they are first rendered.
_NAMED_TEMPLATE = re.compile(r"""\{%-?\s*(?:include|extends|import|from)\s+["']([^"']+)["']""")


def _render(task: InvoiceTask, keep: Keep | None) -> Any:
    # Here, not at the top: a builder whose pages all render in the pool never imports the
    # renderer (the workers have it from the fork server).
    from generator.render.invoice import render_invoice

    files = render_invoice(task)
    return keep(task, files) if keep is not None else files


def _render_batch(tasks: list[InvoiceTask], keep: Keep | None = None) -> list[Any]:
    """A pool task: several invoices, each one's files (or what `keep` made of them) or its
    exception."""
    out: list[Any] = []
    for task in tasks:
        try:
            out.append(_render(task, keep))
        except Exception as exc:  # the builder reports it, as for a single invoice
            out.append(exc)
    return out


def in_process(tasks: list[InvoiceTask], jobs: int) -> bool:
    """Whether rendering here beats the pool: few PDFs and few pages, or a single job."""
    warm = _pool.get("jobs") == jobs
    pdfs = sum(t.want_pdf for t in tasks)
    if jobs == 1:
        return True
    if pdfs:  # a warm pool (watch mode, the bench) beats importing WeasyPrint here
        return pdfs <= IN_PROCESS_MAX and not warm
    return len(tasks) <= (IN_PROCESS_PAGES_WARM if warm else IN_PROCESS_PAGES)


def batches(tasks: list[InvoiceTask], jobs: int) -> list[list[InvoiceTask]]:
    """PDFs one a task (seconds each: the pool balances them); pages in runs of up to
    BATCH_MAX, small enough that every worker gets several."""
    size = max(1, min(BATCH_MAX, len(tasks) // (jobs * BATCHES_PER_WORKER)))
    out: list[list[InvoiceTask]] = []
    for task in tasks:
        if task.want_pdf or not out or out[-1][-1].want_pdf or len(out[-1]) >= size:
            out.append([task])
        else:
            out[-1].append(task)
    return out


def run_tasks(tasks: list[InvoiceTask], jobs: int, keep: Keep | None = None,
              meanwhile: Callable[[], None] | None = None) -> Iterator[Any]:
    """Each task's files, or what `keep` made of them where they were rendered (or its
    exception), in task order, as soon as they are ready; memory stays flat however many
    PDFs or pages (at most a few batches a worker are in flight). `meanwhile` is called
    once the pool's workers have their first batches (not when all render here)."""
    from collections import deque

    if in_process(tasks, jobs):
        # The spare that `remit build` forked at its start, if any, has imported WeasyPrint
        # meanwhile: it prints the letters whose HTML is made here (None: all is done here).
        printer = spare.print_pdf if spare.running() and any(t.want_pdf for t in tasks) \
            else None
        try:
            with pdf_render.printing_with(printer):
                for task in tasks:
                    try:
                        yield _render(task, keep)
                    except (pdf_render.PdfError, RemitError) as exc:  # reported per invoice
                        yield exc
        finally:
            if printer is not None:
                spare.stop()  # its work is done: it is not kept until the command ends
        return
    spare.stop()  # its CPU is the pool's now
    pending = iter(batches(tasks, jobs))
    futures: deque[Any] = deque()

    def submit(count: int) -> None:
        for batch in itertools.islice(pending, count):
            futures.append(executor.submit(_render_batch, batch, keep))

    with signals_deferred():  # workers start here: at most a second or two on a cold start
        executor = pool(jobs, pdf=any(t.want_pdf for t in tasks))
        submit(jobs * 4)
    with guarded(futures):
        if meanwhile is not None:
            meanwhile()
        while futures:
            future = futures.popleft()
            submit(1)
            error = future.exception()
            if error is not None:
                yield error  # the whole batch failed: its first task's error stands for it
                return
            yield from future.result()


@contextlib.contextmanager
def guarded(futures: Iterable[Any]) -> Iterator[None]:
    """Waiting on the pool: a broken pool is shut down (the next build starts a fresh one),
    and so is the pool on Ctrl-C or SIGTERM (no worker outlives the build); whatever ends
    the wait, work still queued is cancelled."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        yield
    except (BrokenProcessPool, KeyboardInterrupt, SystemExit):
        shutdown_pool()
        raise
    finally:
        for future in futures:
            future.cancel()
