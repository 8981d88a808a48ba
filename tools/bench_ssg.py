"""The bench's anchors: Pelican (and Hugo, when a `hugo` binary is on PATH) building the same
invoice-shaped pages as Remit (the note, a table of the invoice's lines, the total), each as
a fresh process from a cold start, like `remit build --no-pdf`.

Pelican is installed into the bench's own virtual environment (.bench/pelican in the
checkout, made on first use with this Python's venv and pip), never into Remit's.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PELICAN_ENV = ROOT / ".bench" / "pelican"
PELICAN = "pelican==4.12.0"  # pinned: the anchor should not move between runs
# Lean on purpose: just the pages, no index, archives, feeds or menus listing every page.
PELICAN_CONF = """\
SITENAME = "Invoices"
SITEURL = ""
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
DIRECT_TEMPLATES = []
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""
HUGO_CONFIG = 'baseURL = "https://bench.example/"\ntitle = "Invoices"\n' \
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "home", "section"]\n'
HUGO_SINGLE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
               "<title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>"
               "{{ .Content }}</main></body></html>\n")

Lines = Callable[[int], list[tuple[str, int, int, int]]]

# A cold run's old trees are moved in here, not deleted, and deleted once the timings are
# done (the bench sets it to a folder in its temporary folder). On a file system without a
# journal (this bench machine's ext4), allocating an inode skips, one by one, inodes deleted
# in the last minutes: a build right after deleting the previous build's thousands of files
# paid for that in kernel time, the more files, the more (a cold page-only build of 1,000
# invoices, one process: 0.95-1.29 s system time after `rm -rf`, 0.30-0.40 s after moving
# the trees aside), and the anchors' rounds paid for each other's deletions.
TRASH: list[Path] = []
_moved = itertools.count()


def clear(path: Path) -> None:
    """Make `path` not exist: moved into TRASH when set, deleted otherwise."""
    if not path.exists():
        return
    if TRASH:
        TRASH[0].mkdir(parents=True, exist_ok=True)
        try:
            path.rename(TRASH[0] / f"{next(_moved)}-{path.name}")
            return
        except OSError:  # another file system (--keep elsewhere)
            pass
    shutil.rmtree(path, ignore_errors=True)


def markdown_page(i: int, lines: Lines, note: Callable[[int], str]) -> str:
    """Invoice i's body as Markdown: note, 7-row table, total."""
    rows, total = [], Decimal(0)
    for description, quantity, price, rate in lines(i):
        net = Decimal(quantity * price)
        total += net * (100 + rate) / 100
        rows.append(f"| {description} | {quantity} | €{price}.00 | {rate} % | €{net}.00 |")
    return (f"{note(i)}\n\n| Description | Qty | Unit price | Tax | Net |\n"
            "|---|---:|---:|---:|---:|\n" + "\n".join(rows) +
            f"\n\n**Total due: €{total.quantize(Decimal('0.01'))}**\n")


def pelican_python() -> Path:
    python = PELICAN_ENV / "bin" / "python"
    if not (PELICAN_ENV / "bin" / "pelican").exists():
        print(f"installing {PELICAN} into {PELICAN_ENV} (once) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_ENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", PELICAN, "markdown"],
                       check=True)
    return python


def make_pelican_site(root: Path, n: int, lines: Lines, note: Callable[[int], str]) -> None:
    pages = root / "content" / "pages"
    pages.mkdir(parents=True)
    (root / "pelicanconf.py").write_text(PELICAN_CONF, "utf-8")
    for i in range(n):
        (pages / f"b-{i:05d}.md").write_text(
            f"Title: Invoice B-{i:05d}\nSlug: b-{i:05d}\n\n" + markdown_page(i, lines, note),
            "utf-8")


def make_hugo_site(root: Path, n: int, lines: Lines, note: Callable[[int], str]) -> None:
    (root / "content").mkdir(parents=True)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
    (root / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, "utf-8")
    for i in range(n):
        (root / "content" / f"b-{i:05d}.md").write_text(
            f'+++\ntitle = "Invoice B-{i:05d}"\n+++\n' + markdown_page(i, lines, note),
            "utf-8")


def run_pelican(root: Path) -> tuple[float, float]:
    """Seconds and CPU seconds of one cold Pelican build of `root` (a fresh process)."""
    clear(root / "output")
    python = pelican_python()
    started = time.perf_counter()
    proc = subprocess.Popen([str(python), "-m", "pelican", "content", "-o", "output", "-s",
                             "pelicanconf.py", "-q"], cwd=root, stdout=subprocess.DEVNULL)
    usage = TreeUsage(proc.pid)  # CPU only, as Remit's timed runs
    if proc.wait() != 0:
        raise SystemExit("pelican failed")
    seconds = time.perf_counter() - started
    usage.stop()
    built = sum(1 for _ in (root / "output" / "pages").glob("*.html"))
    assert built == sum(1 for _ in (root / "content" / "pages").glob("*.md")), built
    return seconds, usage.cpu


def hugo() -> str | None:
    return shutil.which("hugo")


def run_hugo(root: Path) -> float:
    clear(root / "public")
    started = time.perf_counter()
    subprocess.run([hugo() or "hugo", "--quiet", "-s", str(root)], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


class TreeUsage:
    """CPU seconds of a process and all its descendants together (Linux /proc): the builder,
    the fork server and every worker; with `memory`, also their peak memory, each process
    counting its proportional set size (pages shared by forked workers counted once over all
    of them, as the machine holds them), or its resident size where smaps_rollup is
    unreadable.

    Reading a process's smaps_rollup walks its page tables: every 20 ms over a build's four
    processes that took a third of a core (2.6 CPU-s in 8 s), which a build using every core
    then lacks (10,000 invoices: 1.0-2.5 s longer). A timed run therefore counts CPU only,
    from /proc/<pid>/stat every 100 ms (about 1 % of a core), and memory is measured in a
    run of its own."""

    def __init__(self, pid: int, memory: bool = False) -> None:
        self.pid, self.memory = pid, memory
        self.every = 0.02 if memory else 0.1
        self.peak, self.peak_rss, self._stop = 0, 0, threading.Event()
        self.ticks: dict[int, int] = {}  # pid -> CPU time (user + system) last seen
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            rss, pss = tree_memory(self.pid, self.ticks, self.memory)
            self.peak, self.peak_rss = max(self.peak, pss), max(self.peak_rss, rss)

    @property
    def cpu(self) -> float:
        """CPU seconds of the whole tree, as last sampled (a process's last 100 ms may be
        missed): on a shared machine, a steadier figure than the wall clock."""
        return sum(self.ticks.values()) / TICKS

    def stop(self) -> tuple[int, int]:
        """(peak of the summed PSS, 0 unless `memory`; peak of the summed RSS)."""
        self._stop.set()
        self._thread.join()
        return self.peak, self.peak_rss


PAGE = os.sysconf("SC_PAGE_SIZE")


TICKS = os.sysconf("SC_CLK_TCK")


def tree_memory(root: int, ticks: dict[int, int] | None = None,
                memory: bool = True) -> tuple[int, int]:
    """(summed RSS, summed PSS; PSS 0 unless `memory`) of `root` and its descendants; their
    CPU ticks into `ticks`."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    cpu: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            parents[pid] = int(fields[1])
            rss[pid] = int(fields[21]) * PAGE
            cpu[pid] = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo += [child for child, parent in parents.items() if parent == pid]
    if ticks is not None:
        ticks.update({pid: cpu[pid] for pid in tree if pid in cpu})
    return (sum(rss.get(pid, 0) for pid in tree),
            sum(pss(pid, rss.get(pid, 0)) for pid in tree) if memory else 0)


def pss(pid: int, fallback: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return fallback
