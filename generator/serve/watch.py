"""`remit watch`: rebuild the site whenever an invoice, a theme file or site.toml changes.

Three parts, each on its own thread, so that nothing a build does can kill the watcher:

- watchdog's observer calls `EventCollector`, which only filters events and enqueues paths
  (an exception raised inside a watchdog handler silently kills the observer thread);
- `Watcher.run` takes a burst of queued paths as one batch (a short quiet period), then
  calls the ordinary `build()`: a rebuild IS a build, so any sequence of rebuilds ends in the
  same output as a clean build. Which pages are re-rendered is build()'s business (its cache);
- listeners (the preview server) hear about every finished rebuild, good or bad.

Folders are watched, not files: editors save by writing a temporary file and renaming it
over the original, which only a folder watch sees (as a *moved* event). Every event kind
counts as "something changed"; the build then looks at the disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from generator.build import BuildReport, build
from generator.errors import Problem, RemitError
from generator.read.files import IGNORED
from generator.read.settings import SITE_FILE
from generator.theme import SITE_THEMES

# Reading a file emits opened/closed_no_write; a build reads every source, so listening to
# them would rebuild forever. Everything else means the disk may have changed.
CHANGE_EVENTS = {"created", "modified", "moved", "deleted", "closed", "attrib"}
EVENT_FILTER: list[type[FileSystemEvent]] = [
    FileCreatedEvent, DirCreatedEvent, FileModifiedEvent, FileMovedEvent, DirMovedEvent,
    FileDeletedEvent, DirDeletedEvent, FileClosedEvent, FileAttribEvent,
]
WATCHED_DIRS = ("content", SITE_THEMES)
INVOICE_SUFFIXES = (".md", ".toml")
QUIET_SECONDS = 0.15  # a burst of events ends after this long without a new one
MAX_BATCH_SECONDS = 2.0  # ...or after this long, so an endless stream still rebuilds


def is_editor_junk(name: str) -> bool:
    return bool(IGNORED.search(name))


class ChangeFilter:
    """Decides whether a path is one of the site's inputs: site.toml, content/**, themes/**."""

    def __init__(self, root: Path, output: Path) -> None:
        self.root = root.resolve()
        self.output = output.resolve()

    def relevant(self, path: str | bytes, is_dir: bool = False) -> str | None:
        """The path relative to the site folder if a change to it matters, else None.

        In content/ only folders and .md/.toml files matter (all the loader reads), so
        tools' temporary files (sed's `sedXXXXXX`, say) never trigger a rebuild.
        """
        text = os.fsdecode(path)
        if not text:
            return None
        p = Path(text)
        if not p.is_absolute() or not p.is_relative_to(self.root):
            return None
        if p == self.output or p.is_relative_to(self.output):
            return None
        rel = p.relative_to(self.root)
        parts = rel.parts
        if parts == (SITE_FILE,):
            return SITE_FILE
        if not parts or parts[0] not in WATCHED_DIRS:
            return None
        if any(is_editor_junk(part) for part in parts[1:]):
            return None
        if parts[0] == "content" and not is_dir and p.suffix not in INVOICE_SUFFIXES:
            return None
        return rel.as_posix()


class EventCollector(FileSystemEventHandler):
    """The watchdog handler: filter and enqueue, nothing else, and never raise."""

    def __init__(self, changes: ChangeFilter, sink: Callable[[str], None]) -> None:
        self.changes = changes
        self.sink = sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            if event.event_type not in CHANGE_EVENTS:
                return
            # A directory's own "modified" only echoes a change to a child, reported anyway.
            if event.is_directory and event.event_type in ("modified", "attrib", "closed"):
                return
            # An atomic save is "moved .x.tmp -> x": the destination is what matters.
            for path in (event.src_path, getattr(event, "dest_path", "")):
                rel = self.changes.relevant(path, event.is_directory)
                if rel is not None:
                    self.sink(rel)
        except Exception:  # a raising handler would kill the observer thread
            traceback.print_exc()


def next_change(source: queue.Queue[str], stop: threading.Event) -> str | None:
    """Block until a change arrives; None once the watcher is stopped."""
    while not stop.is_set():
        with contextlib.suppress(queue.Empty):
            if change := source.get(timeout=1.0):
                return change
    return None


def rest_of_burst(source: queue.Queue[str], quiet: float,
                  max_wait: float = MAX_BATCH_SECONDS) -> list[str]:
    """Every further change until `quiet` seconds pass without one (or `max_wait` ends)."""
    burst: list[str] = []
    deadline = time.monotonic() + max_wait
    while (left := deadline - time.monotonic()) > 0:
        try:
            burst.append(source.get(timeout=min(quiet, left)))
        except queue.Empty:
            break
    return burst


@dataclass(frozen=True)
class Outcome:
    """The result of one rebuild, good or bad; the preview server shows it to the browser."""

    epoch: int  # counts finished rebuilds, the initial build being 1
    changed: tuple[str, ...]
    seconds: float
    report: BuildReport | None = None
    problems: tuple[Problem, ...] = ()
    crash: str | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None


def describe_changes(root: Path, changed: tuple[str, ...], limit: int = 3) -> str:
    if not changed:
        return "initial build"
    shown = [p if (root / p).exists() else f"{p} (deleted)" for p in changed[:limit]]
    more = f" and {len(changed) - limit} more" if len(changed) > limit else ""
    return ", ".join(shown) + more


def summary_line(root: Path, outcome: Outcome) -> str:
    """One line per rebuild: what changed, what was rebuilt, how long it took."""
    what = describe_changes(root, outcome.changed)
    took = f"{outcome.seconds:.2f} s"
    if outcome.report is not None:
        r = outcome.report
        done = (f"rendered {', '.join(r.rendered)}" if len(r.rendered) <= 5
                else f"rendered {len(r.rendered)} invoices") if r.rendered else "nothing to render"
        pages = f"{r.pages} page{'s' if r.pages != 1 else ''} live"
        return f"{what} -> {done} ({pages}) in {took}"
    if outcome.problems:
        n = len(outcome.problems)
        return (f"{what} -> {n} problem{'s' if n != 1 else ''}, the last good site stays "
                f"in place ({took}); fix and save to try again")
    return f"{what} -> the build crashed ({outcome.crash}) after {took}; the next change " \
           "tries again"


Listener = Callable[[Outcome], None]


@dataclass
class Watcher:
    """Owns the observer, the event queue and the rebuild loop for one site."""

    root: Path
    output: Path | None = None
    today: dt.date | None = None
    base_url: str | None = None
    poll: bool = False
    quiet: float = QUIET_SECONDS
    out: TextIO = field(default_factory=lambda: sys.stdout)
    listeners: list[Listener] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.output = (self.output or self.root / "output").resolve()
        self.events: queue.Queue[str] = queue.Queue()
        self.collector = EventCollector(ChangeFilter(self.root, self.output), self.enqueue)
        self.observer: BaseObserver = PollingObserver(timeout=0.5) if self.poll else Observer()
        self.watches: dict[Path, tuple[ObservedWatch, tuple[int, int]]] = {}
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None
        self.last: Outcome | None = None
        self.rebuilds = 0  # finished rebuilds, the initial build included
        self.building = False  # build() is running: output/ may be mid-swap
        self.seen = 0  # changes enqueued by the observer
        self.handled = 0  # changes whose rebuild has finished
        self._cond = threading.Condition()

    # -- watching -------------------------------------------------------------------------

    def ensure_watches(self) -> None:
        """Watch the site folder itself (for site.toml) and content/ and themes/ recursively.

        Called before every rebuild: a folder created, deleted or replaced since (a git
        checkout, say) gets a fresh watch, since a watch follows the folder it was set on.
        """
        wanted = {self.root: False, **{self.root / d: True for d in WATCHED_DIRS}}
        for path, recursive in wanted.items():
            try:
                st = path.stat()
                ident = (st.st_dev, st.st_ino) if path.is_dir() else None
            except OSError:
                ident = None
            current = self.watches.get(path)
            if current and current[1] == ident:
                continue
            if current:
                # KeyError: the emitter already went away with its folder.
                with contextlib.suppress(KeyError, OSError):
                    self.observer.unschedule(current[0])
                del self.watches[path]
            if ident is not None:
                try:
                    watch = self.observer.schedule(self.collector, str(path), recursive=recursive,
                                                   event_filter=EVENT_FILTER)
                except OSError as exc:
                    print(f"watch: cannot watch {path}: {exc}", file=self.out, flush=True)
                    continue
                self.watches[path] = (watch, ident)

    # -- building -------------------------------------------------------------------------

    def rebuild(self, changed: tuple[str, ...] = ()) -> Outcome:
        """Build once; never raise (except KeyboardInterrupt): report and keep going."""
        started = time.perf_counter()
        report, problems, crash = None, (), None
        with self._cond:
            self.building = True
        try:
            report = build(self.root, output=self.output, today=self.today,
                           base_url=self.base_url)
        except RemitError as exc:
            problems = tuple(exc.problems)
        except Exception as exc:  # a crash must not end the watcher
            crash = f"{type(exc).__name__}: {exc}"
            traceback.print_exc(file=self.out)
        with self._cond:
            self.building = False
            self._cond.notify_all()
            self.rebuilds += 1
            outcome = Outcome(self.rebuilds, changed, time.perf_counter() - started,
                              report, problems, crash)
            self.last = outcome
        print(f"[{time.strftime('%H:%M:%S')}] {summary_line(self.root, outcome)}",
              file=self.out, flush=True)
        if report is not None:
            for notice in report.notices:
                print(f"note: {notice}", file=self.out, flush=True)
            for warning in report.warnings:
                print(f"warning: {warning}", file=self.out, flush=True)
        for problem in problems:
            print(f"  error: {problem}", file=self.out, flush=True)
        for listener in list(self.listeners):
            try:
                listener(outcome)
            except Exception:  # a listener's bug must not stop rebuilding
                traceback.print_exc(file=self.out)
        with self._cond:
            self._cond.notify_all()
        return outcome

    def enqueue(self, rel: str) -> None:
        with self._cond:
            self.seen += 1
        self.events.put(rel)

    def run(self) -> None:
        """The rebuild loop: one burst of changes, one build, until stopped."""
        while (first := next_change(self.events, self.stop_event)) is not None:
            burst = [first, *rest_of_burst(self.events, self.quiet)]
            if self.stop_event.is_set():
                return
            try:
                self.ensure_watches()
                self.rebuild(tuple(dict.fromkeys(p for p in burst if p)))
            except Exception:  # rebuild() catches build errors; this is the loop's last guard
                traceback.print_exc(file=self.out)
            finally:
                with self._cond:
                    self.handled += sum(1 for p in burst if p)
                    self._cond.notify_all()

    # -- life cycle -----------------------------------------------------------------------

    def start(self, initial_build: bool = True) -> Outcome | None:
        """Watch first, then build, so that no change made during the first build is lost."""
        self.ensure_watches()
        self.observer.start()
        outcome = self.rebuild() if initial_build else None
        self.thread = threading.Thread(target=self.run, name="remit-rebuild", daemon=True)
        self.thread.start()
        return outcome

    def stop(self) -> None:
        # watchdog's inotify emitter logs a spurious error when it is stopped while events
        # are in flight (a race in its shutdown, harmless); keep Ctrl-C quiet.
        logging.getLogger("watchdog.observers.inotify").setLevel(logging.CRITICAL)
        self.stop_event.set()
        self.events.put("")  # wakes the rebuild loop at once; "" is no path
        self.observer.stop()
        if self.thread:
            self.thread.join(timeout=10)
        self.observer.join(timeout=10)

    def wait_built(self, timeout: float) -> None:
        """Wait (at most `timeout` s) until no build is running: output/ is complete."""
        with self._cond:
            self._cond.wait_for(lambda: not self.building, timeout)

    def wait_settled(self, after: int, timeout: float = 30.0) -> Outcome:
        """Wait until rebuild number `after`+1 or later has finished and nothing is pending.

        For tests and tools: settled means every change seen so far has been built.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (self.rebuilds > after and self.handled == self.seen):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no settled rebuild after #{after} within {timeout} s "
                                       f"(now #{self.rebuilds}, {self.seen - self.handled} "
                                       "changes pending)")
                self._cond.wait(min(left, 0.1))
            assert self.last is not None
            return self.last



def watch_forever(watcher: Watcher) -> int:
    """Run until Ctrl-C, for the command line."""
    watcher.start()

    def announce() -> None:
        print(f"Watching {watcher.root} for changes to {SITE_FILE}, content/ and themes/"
              f"{' (polling)' if watcher.poll else ''}; press Ctrl-C to stop.",
              file=watcher.out, flush=True)

    return run_until_interrupt(lambda: watcher.thread, watcher.stop, announce)


def run_until_interrupt(thread: Callable[[], threading.Thread | None],
                        stop: Callable[[], None],
                        announce: Callable[[], None] = lambda: None) -> int:
    """Announce, then wait on a worker thread until Ctrl-C (a bare join would not see the
    signal). A Ctrl-C that comes while announcing is a stop like any other: the worker
    thread already runs, and may have answered someone who then pressed it."""
    try:
        announce()
        while (t := thread()) is not None and t.is_alive():
            t.join(timeout=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    return 0
