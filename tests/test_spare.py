"""The spare renderer of `remit build` (render/spare.py): forked when an invoice or two were
edited, it prints their PDFs with the very bytes the builder would; whatever becomes of it
(unused, dead, broken, hung, the build interrupted or killed), the build's output is the
same and no process is left behind; a page-only build never forks one nor imports
WeasyPrint."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.digest import CACHE_DIR, CACHE_FORMAT, MEMO_FILE
from generator.render import spare
from tests.conftest import INVOICE, REPO, TODAY, tree_snapshot

# A `remit build` in a fresh process, with the spare changed as `mode` says; it prints what
# became of the spare and whether the builder itself imported WeasyPrint.
DRIVER = """
import json, os, signal, sys, time
from generator.render import spare
from generator.cli.main import main

mode, site, record = sys.argv[1], sys.argv[2], sys.argv[3]
real_start, real_serve = spare.start, spare._serve
started = []

def start(*args, **kwargs):
    ok = real_start(*args, **kwargs)
    if ok:
        started.append(spare._spare["pid"])
        with open(record, "w") as fh:
            fh.write(str(spare._spare["pid"]))
        if mode == "die":
            os.kill(spare._spare["pid"], signal.SIGKILL)
    return ok

def serve(*args):
    if mode in ("broken", "slow", "late"):
        import generator.render.pdf as pdf
        real_layout, calls = pdf.layout, []
        def broken(job):
            if job.base_url != "https://warm.up/":  # not the spare's own throwaway letter
                calls.append(job)
            if mode == "late" and len(calls) <= 1:  # the first letter laid out, no more
                return real_layout(job)
            if mode == "slow":
                time.sleep(3600)
            raise RuntimeError("a bug of the spare's own")
        pdf.layout = broken
    if mode == "hang":  # before it even reads its work
        time.sleep(3600)
    real_serve(*args)

spare.start, spare._serve = start, serve
spare.idle_core = lambda: True  # however busy the machine running the tests
if mode == "hang":
    spare.PATIENCE = 1.0
extra = ["--no-pdf"] if mode == "pages" else []
rc = main(["build", site, "--today", "2026-11-23", *extra])
import generator.render.pdf as pdf
print(json.dumps({"rc": rc, "started": started, "handed": spare._state["handed"],
                  "weasyprint": "weasyprint" in sys.modules, "left": dict(spare._spare),
                  "printer": pdf._state.get("printer") is not None}))
raise SystemExit(rc)
"""


def run_driver(mode: str, site: Path, tmp_path: Path, rc: int = 0) -> dict:
    proc = subprocess.run([sys.executable, "-c", DRIVER, mode, str(site), str(tmp_path / "pid")],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == rc, proc.stderr
    done = json.loads(proc.stdout.strip().splitlines()[-1])
    done["stderr"] = proc.stderr
    return done


def gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
        except (FileNotFoundError, IndexError):
            return True
        if state == "Z":  # exited; its parent (ours, or init) reaps it
            return True
        time.sleep(0.05)
    return False


def memo(site: Path) -> Path:
    return site / CACHE_DIR / CACHE_FORMAT / MEMO_FILE


def edit(site: Path, name: str, note: str) -> None:
    """Change an invoice's note: now, and the memo's time set well before."""
    path = site / "content" / name
    path.write_text(path.read_text("utf-8").replace("Thanks!", note), "utf-8")
    long_ago = time.time() - 10
    os.utime(memo(site), (long_ago, long_ago))


@pytest.fixture
def built(site, monkeypatch):
    """A site of two invoices built with PDFs, in this process (no spare)."""
    site.invoice("t-1.md")
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    site.build(pdf=True, jobs=1)
    monkeypatch.setattr(spare, "idle_core", lambda: True)
    return site


def test_the_spare_prints_the_bytes_the_builder_would(built, tmp_path):
    edit(built.root, "t-1.md", "Many thanks!")
    twin = tmp_path / "twin"
    shutil.copytree(built.root, twin)
    done = run_driver("plain", built.root, tmp_path)
    assert done["rc"] == 0 and done["started"] and done["handed"]
    assert not done["weasyprint"], "the builder imported WeasyPrint: the spare printed nothing"
    assert gone(done["started"][0])
    # The same edit built in this process, without a spare.
    from generator.build import build

    build(twin, today=TODAY, jobs=1)  # the folder is part of the keys: both are printed
    assert tree_snapshot(built.output) == tree_snapshot(twin / "output")


@pytest.mark.parametrize("mode", ["die", "broken", "hang"])
def test_a_spare_that_fails_changes_nothing(built, tmp_path, mode):
    edit(built.root, "t-2.md", "Many thanks!")
    twin = tmp_path / "twin"
    shutil.copytree(built.root, twin)
    done = run_driver(mode, built.root, tmp_path)
    assert done["rc"] == 0 and done["started"] and not done["left"]
    assert done["weasyprint"]  # the builder printed the PDF itself
    assert gone(done["started"][0])
    from generator.build import build

    build(twin, today=TODAY, jobs=1)
    assert tree_snapshot(built.output) == tree_snapshot(twin / "output")


def long_invoice(lines: int) -> str:
    items = "".join(f'\n[[items]]\ndescription = "Line {i:02d}: consulting"\nquantity = 1\n'
                    f"unit_price = {i}.00\n" for i in range(1, lines + 1))
    head, rest = INVOICE.split("[[items]]", 1)
    return head + items.lstrip("\n") + "+++\n" + rest.split("+++", 1)[1]


@pytest.mark.parametrize("mode", ["plain", "late"])
def test_a_letter_longer_than_a_page_is_split_in_the_spare(built, tmp_path, mode):
    """A long letter's passes are laid out and written by the spare: the builder never
    imports WeasyPrint, and the PDF has the bytes a build without a spare prints. A spare
    that fails after the first pass ("late") leaves the rest to the builder, same bytes."""
    (built.root / "content" / "t-1.md").write_text(long_invoice(60), "utf-8")
    edit(built.root, "t-1.md", "Many thanks!")
    twin = tmp_path / "twin"
    shutil.copytree(built.root, twin)
    done = run_driver(mode, built.root, tmp_path)
    assert done["rc"] == 0 and done["started"] and done["handed"] and not done["left"]
    assert done["weasyprint"] == (mode == "late")
    assert not done["printer"]  # no later PDF is handed to a spare that is gone
    assert gone(done["started"][0])
    from generator.build import build

    build(twin, today=TODAY, jobs=1)
    snapshot = tree_snapshot(built.output)
    assert snapshot == tree_snapshot(twin / "output")
    import io

    import pypdf

    pdf = next(name for name in snapshot if name.endswith("T-1.pdf"))
    assert len(pypdf.PdfReader(io.BytesIO(snapshot[pdf])).pages) > 1


def test_a_letter_the_spare_cannot_print_faithfully_fails_the_build(built, tmp_path):
    """A PdfError met in the spare (here: a font the theme does not ship) is the build's
    error, word for word as the builder would report it, and nothing is published."""
    css = (REPO / "themes" / "default" / "static" / "letter.css").read_text("utf-8")
    built.write("themes/default/static/letter.css",
                css + '\nh1 { font-family: "Nowhere Grotesk"; }\n')
    edit(built.root, "t-1.md", "Many thanks!")
    before = tree_snapshot(built.output)
    done = run_driver("plain", built.root, tmp_path, rc=1)
    assert done["started"] and done["handed"] and not done["left"]
    assert not done["weasyprint"], "the builder printed: the spare's error was not kept"
    assert "system font" in done["stderr"] and "Remit Sans" in done["stderr"]
    assert "t-1.md" in done["stderr"]
    assert gone(done["started"][0])
    assert tree_snapshot(built.output) == before


def test_an_unused_spare_is_ended_and_not_guessed_again(built, tmp_path):
    edit(built.root, "t-1.md", "Thanks!")  # touched, not changed: nothing to print
    assert spare.likely(built.root, True, None)
    done = run_driver("plain", built.root, tmp_path)
    assert done["rc"] == 0 and done["started"] and not done["handed"]
    assert not done["weasyprint"]
    assert gone(done["started"][0])
    assert not spare.likely(built.root, True, None)


def test_a_page_only_build_forks_no_spare_and_never_imports_weasyprint(built, tmp_path):
    edit(built.root, "t-1.md", "Many thanks!")
    done = run_driver("pages", built.root, tmp_path)
    assert done["rc"] == 0 and not done["started"] and not done["weasyprint"]


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_no_spare_outlives_an_interrupted_build(built, tmp_path, how):
    edit(built.root, "t-1.md", "Many thanks!")
    record = tmp_path / "pid"
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, "slow", str(built.root),
                             str(record)], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not record.exists() or not record.read_text():
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        pid = int(record.read_text())
        time.sleep(1.0)  # the builder is waiting on its spare by now (or soon will be)
        proc.send_signal(how)
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
    assert code == {signal.SIGINT: 130, signal.SIGTERM: 128 + signal.SIGTERM,
                    signal.SIGKILL: -signal.SIGKILL}[how]
    assert gone(pid), "the spare outlived its build"


def test_what_the_guess_looks_at(built, monkeypatch):
    root = built.root
    assert not spare.likely(root, True, None)  # nothing changed since the memo
    edit(root, "t-1.md", "Many thanks!")
    assert spare.likely(root, True, None)
    assert not spare.likely(root, False, None)  # --no-pdf
    assert not spare.likely(root, True, 1)  # -j 1: one process
    monkeypatch.setattr(spare, "idle_core", lambda: False)
    assert not spare.likely(root, True, None)  # every core busy: it would only compete
    monkeypatch.setattr(spare, "idle_core", lambda: True)
    edit(root, "t-2.md", "Many thanks!")
    assert spare.likely(root, True, None)  # two: still rendered in one process
    built.invoice("t-3.md", INVOICE.replace('"T-1"', '"T-3"'))
    edit(root, "t-3.md", "Thank you!")
    assert not spare.likely(root, True, None)  # three: the pool's
    for name in ("t-2.md", "t-3.md"):
        (root / "content" / name).unlink()
    path = root / "content" / "t-1.md"
    path.write_text(path.read_text("utf-8").replace("+++\nnumber", "+++\ndraft = true\nnumber"),
                    "utf-8")
    edit(root, "t-1.md", "Thanks again!")
    assert not spare.likely(root, True, None)  # a draft prints no PDF
    shutil.rmtree(root / CACHE_DIR)
    assert not spare.likely(root, True, None)  # a first build: the pool's


def test_a_core_is_free_when_nothing_else_runs_now(monkeypatch):
    """idle_core asks how many processes are runnable now (this one among them), not how
    busy the last minute was: a build that just ended leaves a high 1-minute average."""
    import os

    real = spare.idle_core
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert real("1.95 1.20 0.80 1/120 4242")  # only this process runs: a core is free
    assert not real("0.10 0.05 0.01 2/120 4242")  # one other process runs: none is
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert real("3.50 3.00 2.00 3/120 4242")
    assert not real("0.10 0.05 0.01 4/120 4242")
