"""Helpers for driving a running watcher from tests: real file changes, waits on conditions."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.build import build
from generator.serve.watch import Outcome, Watcher
from tests.conftest import TODAY, SiteDir, tree_snapshot

TIMEOUT = 30.0  # generous: waits end as soon as their condition holds


def wait_until(check: Callable[[], object], timeout: float = TIMEOUT,
               what: str = "condition") -> object:
    """Return check()'s first truthy value; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    event = threading.Event()
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        event.wait(0.02)  # re-check interval of a condition wait, not a fixed delay
    return value


@contextmanager
def running_watcher(site: SiteDir, **kwargs: object) -> Iterator[Watcher]:
    out = io.StringIO()
    watcher = Watcher(site.root, today=TODAY, out=out, **kwargs)  # type: ignore[arg-type]
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()


def change(watcher: Watcher, action: Callable[[], object],
           until: Callable[[], object] = lambda: True, what: str = "the change") -> Outcome:
    """Make a change, then wait until a rebuild after it has settled and `until` holds."""
    before = watcher.rebuilds
    action()
    outcome = watcher.wait_settled(before, TIMEOUT)
    # Late events of the same change may cause one more rebuild; wait for its result too.
    wait_until(lambda: until() and watcher.handled == watcher.seen, what=what)
    return watcher.last or outcome


def atomic_write(path: Path, text: str) -> None:
    """Save as most editors do: write a hidden temporary file, then rename it over."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def clean_build_equals(site: SiteDir, tmp: Path) -> None:
    """The watched output/ must equal a fresh build of the same inputs, byte for byte."""
    clean = tmp / "clean-output"
    build(site.root, clean, TODAY)
    assert tree_snapshot(site.output) == tree_snapshot(clean)
