"""Stopping a build cleanly: SIGINT and SIGTERM held while a step must not be cut in half.

On the ground floor, so that the output writer (write/) and the worker pool (render/) share
it without the writer importing the renderer (a no-op build never loads it).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


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
