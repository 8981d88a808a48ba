"""The fork server that the worker pool's processes come from (render/pool.py), started as
soon as a command knows it will want workers: a fresh Python that imports the parser and the
renderer (~0.4 s) while the builder is still importing and reading the site, so that workers
can begin the moment the builder has work for them.

It imports nothing else of Remit's: `remit build` starts it before importing the builder."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from generator.digest import CACHE_DIR

# Pages (no PDF) rendered in the building process rather than in the pool: a page costs
# ~3 ms, starting a pool without WeasyPrint ~0.4 s, sending a batch to a running one well
# under a millisecond.
IN_PROCESS_PAGES = 150


def first_build_of_many(root: Path, many: int = 0) -> bool:
    """No build cache yet, and more than `many` files in content/: everything will render,
    most likely in the worker pool."""
    if (root / CACHE_DIR).exists():
        return False
    try:
        with os.scandir(root / "content") as entries:
            return sum(1 for _ in entries) > many
    except OSError:
        return False


def start_for_build(root: Path, jobs: int | None, pdf: bool) -> None:
    """At the top of `remit build`: the fork server, when the build will start workers."""
    if jobs != 1 and first_build_of_many(root, IN_PROCESS_PAGES):
        start(pdf)


def start(pdf: bool) -> None:
    """Start the fork server (if it is not running) with Ctrl-C ignored, a disposition that
    it and every worker it forks inherit: the terminal sends Ctrl-C to the whole process
    group, and the builder stops its workers itself (otherwise each prints a
    KeyboardInterrupt traceback). `pdf=False`: WeasyPrint is not imported up front."""
    import multiprocessing
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(
        ["generator.read.parse", "generator.render.invoice", "generator.render.einvoice",
         "generator.view.einvoice", *(["generator.render.weasy"] * pdf)])
    with _builders_import_path():
        if threading.current_thread() is not threading.main_thread():
            forkserver.ensure_running()
            return
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _builders_import_path() -> Iterator[None]:
    """The fork server (`python -c ...`) would look for modules in the current folder first
    (Python 3.11's forkserver ignores the sys.path it is handed): a `generator` folder where
    `remit build` is run, say a site folder or another checkout, would be the code the
    workers run. It is started with the builder's own import path, and nothing before it."""
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", "PYTHONSAFEPATH")}
    os.environ["PYTHONPATH"] = os.pathsep.join(p or os.getcwd() for p in sys.path)
    os.environ["PYTHONSAFEPATH"] = "1"  # no '' (the current folder) before that path
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
