"""A spare printer for a `remit build` that will most likely print one or two PDFs (an
invoice edited since the last build): forked at the command's first line, it imports
WeasyPrint (~0.25 s) while the builder imports itself, reads the site, finds what changed
(~0.3 s for 1,000 invoices), then renders the invoice's page and its letter's HTML (Jinja,
Babel, QR codes: render/pool.py's run_tasks); the spare lays out and writes the letter
(render/pdf.py's `elsewhere`, called by render/letter.py) and sends back the PDF's bytes.
Each process thus imports only half of what printing needs. A letter longer than a page is
split as render/letter.py splits it: each pass's HTML is made in the builder and laid out in
the spare, which answers where the rows and totals fell and then writes the last pass. A
spare whose import is done before its first letter arrives lays out a throwaway one
meanwhile (WeasyPrint's first document costs ~0.1 s more than the next).

Only a guess, so it must cost nothing when wrong: a spare that fails, dies, hangs or is
never used changes no byte (the builder prints the letter itself, as it would have); it
is killed and reaped before the command returns (Ctrl-C, SIGTERM and errors included), and
exits by itself should the builder be killed. The guess (`likely`) is a stat of content/
against the memo of the last build; with no build cache yet, `--no-pdf`, `-j 1`, more
edited files than render in one process, only drafts edited, or no core to spare (the load
average), nothing is forked.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import re
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.digest import CACHE_DIR, CACHE_FORMAT, MEMO_FILE

IN_PROCESS_MAX = 2  # PDFs rendered without the pool: a pool costs ~1 s to start
# A spare that has sent nothing for this long is given up (the builder renders the rest);
# an invoice of hundreds of rows takes a few seconds.
PATIENCE = 120.0
_spare: dict[str, int] = {}  # pid, tasks (write end), results (read end)
_state = {"handed": False}
_meanwhile: list[Callable[[], None]] = []  # the builder's work while the spare prints
DRAFT = re.compile(rb"^[ \t]*draft[ \t]*=[ \t]*true\b", re.MULTILINE)  # TOML front matter

# A letter of the shape the theme prints: WeasyPrint's first table, SVG, page rule and
# tagged PDF each import or set up something once a process.
WARM_UP = """<!DOCTYPE html><html lang="en"><head><title>.</title><style>
@page { size: A4; margin: 2cm; @bottom-right { content: counter(page) } }
td { padding: 2px; border-bottom: 1px solid #ccc }</style></head><body><h1>Invoice</h1>
<p>Text <strong>bold</strong> <em>it</em> <a href="#t">link</a></p><table id="t"><thead><tr>
<th>Item</th><th>Price</th></tr></thead><tbody><tr><td>One</td><td>1.00</td></tr></tbody>
</table><svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" role="img">
<title>square</title><path d="M0 0h20v20H0z"/></svg></body></html>"""


def likely(root: Path, pdf: bool, jobs: int | None) -> bool:
    """Will this build most likely print a PDF or two, without the pool? One or two files of
    content/ changed since the memo was last written; a first build is the pool's."""
    if not pdf or jobs == 1 or not hasattr(os, "fork") or not idle_core():
        return False
    try:
        since = os.stat(root / CACHE_DIR / CACHE_FORMAT / MEMO_FILE).st_mtime_ns
    except OSError:
        return False
    newer: list[str] = []
    todo = [str(root / "content")]
    try:
        while todo:
            with os.scandir(todo.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
                    elif entry.stat(follow_symlinks=False).st_mtime_ns > since:
                        newer.append(entry.path)
                        if len(newer) > IN_PROCESS_MAX:
                            return False
        # A draft prints nothing: no WeasyPrint for it, not even in a spare.
        return any(not DRAFT.search(Path(path).read_bytes()) for path in newer)
    except OSError:
        return False


def idle_core(loadavg: str | None = None) -> bool:
    """Is a core free for the spare, beside this process's own? Measured: on a machine whose
    every core is busy the spare only takes CPU from the builder (a one-edit build of 1,000
    invoices took 2.9-3.2 s with it, 2.2-2.6 s without, while another process kept one of
    the two cores busy). Asked of the moment, not of the last minute: /proc/loadavg's count
    of runnable processes, this one included (a 1-minute average still counts a build that
    ended seconds ago); elsewhere, that average. `loadavg`: the file's text, for tests."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if loadavg is None:
        with contextlib.suppress(OSError), open("/proc/loadavg", encoding="ascii") as fh:
            loadavg = fh.read()
    with contextlib.suppress(IndexError, ValueError):
        if loadavg:
            others = int(loadavg.split()[3].partition("/")[0]) - 1
            return others <= cores - 2
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    return cores - load > 0.5


def start(root: Path, pdf: bool, jobs: int | None) -> bool:
    """Fork the spare if this build will likely want it (call first thing, while this
    process runs no other thread)."""
    if _spare or not likely(root, pdf, jobs):
        return False
    if threading.active_count() > 1:  # a fork copies no thread, but their locks as held
        return False
    tasks_r, tasks_w = os.pipe()
    results_r, results_w = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # else the child's exit could print the buffer twice
    builder = os.getpid()
    pid = os.fork()
    if pid == 0:  # the spare
        try:
            os.close(tasks_w)
            os.close(results_r)
            _serve(builder, tasks_r, results_w)
        finally:
            os._exit(0)  # never the builder's atexit handlers or buffers
    os.close(tasks_r)
    os.close(results_w)
    os.set_blocking(tasks_w, False)  # a spare that never reads cannot hang the builder
    _spare.update(pid=pid, tasks=tasks_w, results=results_r)
    _state["handed"] = False
    atexit.register(stop)  # however the command ends
    return True


def running() -> bool:
    """A spare was forked for this build and has not been stopped."""
    return bool(_spare)


def stop(touch: Path | None = None) -> None:
    """Kill and reap the spare, if any. `touch`: the site root of a successful build; if the
    spare went unused (files touched but not changed, say), the memo's time is moved on so
    that the next build does not guess the same again."""
    _meanwhile.clear()
    pid = _spare.pop("pid", None)
    if pid is None:
        return
    for fd in (_spare.pop("tasks"), _spare.pop("results")):
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
    if touch is not None and not _state["handed"]:
        with contextlib.suppress(OSError):
            os.utime(touch / CACHE_DIR / CACHE_FORMAT / MEMO_FILE)


def meanwhile(work: Callable[[], None]) -> None:
    """Have `work` done while the spare prints the first letter handed to it, rather than
    wait for it: or never (no letter is printed there), which the caller finds out. `work`
    raises nothing it should not: it runs inside the printing of that letter."""
    _meanwhile[:] = [work]


def print_pdf(job: Any, what: str) -> Any:
    """render/pdf.py's Printer: what the spare made of `job` (a PdfJob; see pdf.Printer), or
    None when there is no spare or it fails in any way: the builder then does it itself (a
    spare that died, hung or garbled its answer is also ended; one whose layout raised goes
    on to the next request). A PdfError of the letter's own (a missing image, a stray font)
    is raised here, as printing it here would."""
    if not _spare:
        return None
    _state["handed"] = True
    try:
        _send(_spare["tasks"], pickle.dumps((job, what), protocol=pickle.HIGHEST_PROTOCOL))
        while _meanwhile:
            _meanwhile.pop()()
        result = pickle.loads(_receive(_spare["results"]))
    except Exception:  # whatever the spare did, the builder prints
        stop()
        return None
    if isinstance(result, Exception):
        raise result
    wanted = {"place": tuple, "one_page": (bytes, int)}.get(what, bytes)
    return result if isinstance(result, wanted) else None


def _send(fd: int, data: bytes, patience: float | None = None) -> None:
    view = memoryview(len(data).to_bytes(8, "big") + data)
    deadline = time.monotonic() + (patience or PATIENCE) if patience != 0 else None
    while view:
        if deadline is not None and not select.select(
                [], [fd], [], max(0.0, deadline - time.monotonic()))[1]:
            raise TimeoutError("the spare renderer takes nothing")
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:  # the builder's end does not block: select waits
            continue


def _receive(fd: int, patience: float | None = None) -> bytes:
    size = int.from_bytes(_read(fd, 8, patience), "big")
    return _read(fd, size, patience)


def _read(fd: int, size: int, patience: float | None) -> bytes:
    chunks, left = [], size
    deadline = time.monotonic() + (patience or PATIENCE) if patience != 0 else None
    while left:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("the spare renderer sent nothing")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the spare renderer ended")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# -- in the spare ------------------------------------------------------------------------------
def _serve(builder: int, tasks: int, results: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the builder stops the spare
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=exit_with, args=(builder,), daemon=True).start()
    devnull = os.open(os.devnull, os.O_WRONLY)  # a guess prints nothing, even when it fails
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    from generator.render import pdf, weasy  # noqa: F401  (imports WeasyPrint)

    # Only if no letter has come meanwhile: a throwaway one (~0.1 s) saves the real one less
    # than that.
    if not select.select([tasks], [], [], 0)[0]:  # idle: pay the first document's costs now
        with contextlib.suppress(Exception):
            _warm_up()
    kept: tuple[Any, Any] | None = None  # the last letter laid out to "place", and its layout
    while True:
        try:
            message = _receive(tasks, patience=0)
        except EOFError:  # the builder is done
            return
        job, what = pickle.loads(message)
        result: Any
        try:
            doc = kept[1] if what == "write" and kept and kept[0] == job else pdf.layout(job)
            kept = None
            if what == "place":  # a pass of a letter longer than a page: written next, maybe
                kept, result = (job, doc), pdf.placement(doc)
            elif what == "one_page" and len(doc.pages) != 1:
                result = len(doc.pages)
            else:
                result = pdf.write(job, doc, tagged=True)
        except pdf.PdfError as exc:  # the letter's own problem: reported as the builder would
            result = exc
        except Exception:  # anything else: the builder prints the letter and meets it itself
            result = None
        _send(results, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), patience=0)


def _warm_up() -> None:
    """A throwaway letter laid out and written, tagged, as render/letter.py does: every
    one-time cost of WeasyPrint's first document is paid before the real one arrives."""
    from generator.render import pdf

    job = pdf.PdfJob(html=WARM_UP, base_url="https://warm.up/", assets={},
                     assets_digest="warm-up")
    pdf.write(job, pdf.layout(job), tagged=True)


def exit_with(pid: int) -> None:
    """Wait for process `pid` to end, then end this process at once (a process started for
    a build never outlives it, however it ends: SIGKILL included)."""
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
