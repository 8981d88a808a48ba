"""Invoices rendered in a long-lived process pool (PDFs are CPU-bound; WeasyPrint is not
thread-safe), or in this process when there are only a few."""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.errors import RemitError
from generator.render import pdf as pdf_render
from generator.render.invoice import InvoiceFiles, InvoiceTask, render_invoice

if TYPE_CHECKING:  # imported when a pool starts: a build with little to render starts faster
    from concurrent.futures import ProcessPoolExecutor


IN_PROCESS_MAX = 2  # a pool costs ~1 s to start: not worth it for one or two PDFs

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


    pdfs = sum(t.want_pdf for t in tasks)
    # A warm pool (watch mode, the bench) beats importing WeasyPrint here; a cold one does not.
    if jobs == 1 or (pdfs <= IN_PROCESS_MAX and _pool.get("jobs") != jobs):
        for task in tasks:
            try:
                yield render_invoice(task)
            except (pdf_render.PdfError, RemitError) as exc:  # reported per invoice
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
