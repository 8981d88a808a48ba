"""Invoices rendered in a long-lived process pool (PDFs are CPU-bound; WeasyPrint is not
thread-safe), or in this process when there are only a few."""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import signal
import threading
import time
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
        start_forkserver()
        _pool["executor"] = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=start_worker,
                                                initargs=(os.getpid(),))
        _pool["jobs"] = jobs
        # Registered again: atexit runs last-in first-out, and this must run before
        # multiprocessing's own exit handler removes the semaphores that workers still use.
        atexit.unregister(shutdown_pool)
        atexit.register(shutdown_pool)
    return _pool["executor"]  # type: ignore[return-value]


def start_forkserver() -> None:
    """Start the fork server with Ctrl-C ignored, a disposition that it and every worker it
    forks inherit: the terminal sends Ctrl-C to the whole process group, and the builder
    stops its workers itself (otherwise each prints a KeyboardInterrupt traceback)."""
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM, and deliver them right after: a build stopped with Ctrl-C or
    `kill` leaves the old or the new site, never a mix (write/output.py), and no worker
    half-started (a worker forked while the build exits fails with a traceback)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # handlers can only be set (and signals only handled) in the main thread
        return
    caught: list[int] = []
    saved = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(sig)
        if handler is not None:
            saved[sig] = handler
            signal.signal(sig, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        for sig in caught:
            signal.raise_signal(sig)


def start_worker(builder: int) -> None:
    """A worker's initializer: it lives only as long as the build that started it, however
    that build ends (SIGKILL included), and leaves Ctrl-C to the builder."""
    # Ctrl-C reaches the whole process group; the builder stops the pool itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(builder,), name="remit-builder-watch",
                     daemon=True).start()
    pdf_render.warm_up()


def _exit_with(pid: int) -> None:
    """Wait for process `pid` to end, then end this process at once. (A worker blocks on a
    queue whose write end it holds itself: without this it would wait forever.)"""
    try:
        fd = os.pidfd_open(pid)  # Linux 5.3+: readable when the process ends
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        select.select([fd], [], [])
        os._exit(1)
    while True:  # without pidfd (not Linux): poll the builder's pid
        time.sleep(0.5)
        try:
            os.kill(pid, 0)
        except (ProcessLookupError, PermissionError):  # gone, or reused by another user
            os._exit(1)


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
    with signals_deferred():  # workers start here: at most a second or two on a cold start
        executor = pool(jobs)
        futures = [executor.submit(render_invoice, t) for t in tasks]
    try:
        for future in futures:
            yield future.exception() or future.result()
    except BrokenProcessPool:
        shutdown_pool()  # the next build starts a fresh pool
        raise
    except (KeyboardInterrupt, SystemExit):  # Ctrl-C or SIGTERM: no worker outlives the build
        shutdown_pool()
        raise
    finally:
        for future in futures:  # on an unexpected error, do not leave work queued
            future.cancel()
