"""A build stopped part-way, however it is stopped (SIGTERM, Ctrl-C, SIGKILL), leaves no PDF
worker, fork server or resource tracker running, leaves output/ as the old complete tree, and
the next build equals a clean one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import INVOICE, REPO, SECRET, TODAY, SiteDir, tree_snapshot
from tests.systools import required

INVOICES = 5


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process on the machine."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            found[int(entry)] = (int(ppid), state)
    return found


def descendants(pid: int) -> set[int]:
    table = processes()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, (parent, _) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def alive(pids: set[int]) -> set[int]:
    table = processes()
    return {p for p in pids if p in table and table[p][1] != "Z"}


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def many(site) -> SiteDir:
    for n in range(INVOICES):
        site.invoice(f"t-{n}.md", INVOICE.replace('"T-1"', f'"T-{n}"'))
    return site


def start_build(site: SiteDir, stderr: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "REMIT_SECRET": SECRET}
    # stderr into a file, not a pipe: a worker left behind would hold a pipe open forever.
    with stderr.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", "build", str(site.root), "-j", "2",
             "--today", TODAY.isoformat()], cwd=REPO, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=err)


@pytest.mark.skipif(not Path("/proc/self/stat").exists() and not required(),
                    reason="reads the process table from /proc (Linux); "
                           "REMIT_REQUIRE_SYSTEM_TOOLS=1 requires it")
@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C", "SIGKILL"])
def test_no_worker_outlives_a_stopped_build(many, tmp_path, how):
    many.build()  # pages only: the old tree that must survive
    old = tree_snapshot(many.output)
    log = tmp_path / "stderr.txt"
    proc = start_build(many, log)
    # The pool is up: fork server, resource tracker and both workers, rendering PDFs.
    def started() -> set[int] | None:
        found = descendants(proc.pid)
        # The fork server and the workers it forked share its command line.
        return found if len([p for p in found if "forkserver" in cmdline(p)]) >= 3 else None

    pool = wait_for(started, 60, "the PDF pool to start")
    if how == "SIGTERM":
        proc.send_signal(signal.SIGTERM)
    elif how == "Ctrl-C":
        os.killpg(proc.pid, signal.SIGINT)  # the terminal signals the whole process group
    else:
        proc.kill()
    status = proc.wait(60)
    stderr = log.read_text(errors="replace")
    assert status == {"SIGTERM": 143, "Ctrl-C": 130, "SIGKILL": -9}[how], stderr
    try:
        wait_for(lambda: not alive(pool), 10, "every pool process to end")
    finally:
        for pid in alive(pool):  # fail, but leave nothing of ours running
            os.kill(pid, signal.SIGKILL)
    if how != "SIGKILL":  # a killed builder cannot stop the tracker's report of its semaphores
        assert "Traceback" not in stderr, stderr
    assert tree_snapshot(many.output) == old  # stopped while printing: the old site, whole
    assert not list(many.root.glob(".output-*"))

    if how == "SIGKILL":  # the next build, from what the killed one left, equals a clean one
        build(many.root, today=TODAY, jobs=1)
        clean = SiteDir(tmp_path / "clean", fresh=False)
        shutil.copytree(many.root, clean.root, ignore=shutil.ignore_patterns(".remit-cache",
                                                                             "output"))
        build(clean.root, today=TODAY, jobs=1)
        assert tree_snapshot(many.output) == tree_snapshot(clean.output)


def test_a_tree_left_by_a_killed_build_is_removed_by_the_next(site):
    site.invoice()
    site.build()
    stale = site.root / ".output-new-999999999-x1"  # no such process
    legacy = site.root / ".output-old-abc"  # named before trees carried their builder's pid
    running = site.root / f".output-new-{os.getppid()}-y2"  # a build that is still running
    for tree in (stale, legacy, running):
        (tree / "site").mkdir(parents=True)
        (tree / "site" / "index.html").write_text("half", encoding="utf-8")
    (site.output / "index.html").write_text("edited", encoding="utf-8")  # forces a new tree
    site.build()
    assert not stale.exists() and not legacy.exists()
    assert running.exists()
