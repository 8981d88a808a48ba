"""`make bench`: build a synthetic site of N invoices and time the build paths that matter.

First the anchor: a cold page-only build (`remit build --no-pdf`, a fresh process, no build
cache) against Pelican (and Hugo, when on PATH) building the same N invoice-shaped pages,
alternated over a few rounds; medians and the same-run ratio. Then, in total and per
invoice: a cold page-only build, a cold full build with PDFs, a no-op rebuild, and a rebuild
after one invoice is edited (each in this process, as watch mode runs them, and the last two
also as a fresh `remit build` command). Beside them, the baseline measured in the same run:
WeasyPrint alone printing the same invoice pages in one process with one shared
FontConfiguration. Last, a cold page-only build of a large site (--large, fresh process), then
a second one that samples the peak memory of the builder and its workers together (sampling
memory costs a third of a core, so no timed run does it; timed runs count CPU only).

Targets (issue 17): page-only cold / Pelican <= 1.0 at 1,000 invoices; 10,000 invoices page-
only <= 15 s and < 300 MB; fresh no-op on 1,000 < 0.3 s, one edit with its PDF < 1.0 s; full
cold build <= 1.1 x baseline / cores.

Then privacy = "encrypted": a cold page-only build of the same site beside a plain one
measured right before it (the cost of sealing per page), the size of what is published, and,
when Playwright and /usr/bin/chromium are there, the time the browser takes to open a
sealed page (target < 100 ms).

    python tools/bench.py [--invoices N] [--jobs J] [--rounds R] [--large M] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench_ssg  # noqa: E402

from generator.build import build  # noqa: E402
from generator.render.pool import default_jobs, shutdown_pool  # noqa: E402

TODAY = dt.date(2026, 11, 23)
PELICAN_VERSION = bench_ssg.PELICAN.split("==")[1]
SITE_TOML = """\
title = "Invoices · Bench Studio"
base_url = "https://bench.example/invoices/"
language = "en"
timezone = "Europe/Berlin"
currency = "EUR"

[seller]
name = "Anna Lindqvist"
company = "Bench Studio"
address = "Lindenstraße 12\\n10969 Berlin\\nGermany"
email = "billing@bench.example"
phone = "+49 30 1234 5678"
tax_id = "DE123456789"

[payment]
preferred = "sepa"

[payment.sepa]
beneficiary = "Anna Lindqvist"
iban = "DE89 3704 0044 0532 0130 00"
bic = "COBADEFFXXX"

[payment.paypal]
handle = "benchstudio"
"""
CLIENTS = [
    ("Jonas Weber", "Weber Bäckerei GmbH", "en"),
    ("Ирина Петрова", "ООО «Петрова и партнёры»", "ru"),
    ("Pieter van der Merwe", "Van der Merwe Boerdery", "af"),
]
LINES = 7  # items per invoice: the pages Pelican builds beside Remit have a 7-row table
WORK = ["Design of page templates", "Development: booking form", "Copywriting, German",
        "Hosting set-up and monitoring", "Workshop, half day", "Photography, product shots"]


def items(i: int) -> list[tuple[str, int, int, int]]:
    """Invoice i's lines: description, quantity, unit price, tax rate (per cent)."""
    return [(WORK[(i + k) % len(WORK)], 1 + (i * 7 + k) % 9, 40 + (i * 13 + k * 29) % 400,
             19 if k % 3 else 7) for k in range(LINES)]


def note(i: int) -> str:
    return f"Thank you for the work on project {i}! Payment by bank transfer, please."


def invoice(i: int) -> str:
    name, company, lang = CLIENTS[i % len(CLIENTS)]
    issued = dt.date(2026, 9, 1) + dt.timedelta(days=i % 80)
    lines = []
    for description, quantity, price, rate in items(i):
        lines.append(f'[[items]]\ndescription = "{description}"\n'
                     f"quantity = {quantity}\nunit_price = {price}.00\n"
                     f"tax_rate = {rate}\n")
    extra = ""
    if i % 4 == 1:
        extra = f"[deposit]\npercent = 30\ndue = {issued + dt.timedelta(days=3)}\n"
    if i % 5 == 2:
        extra += f"[[payments]]\ndate = {issued + dt.timedelta(days=5)}\namount = 100.00\n" \
                 'method = "Bank transfer"\n'
    return (f'+++\nnumber = "B-{i:05d}"\nissued = {issued}\nterms_days = 30\n'
            f'language = "{lang}"\n\n[client]\nname = "{name}"\ncompany = "{company}"\n'
            f'email = "client{i}@example.com"\n\n' + "\n".join(lines) + "\n" + extra +
            f"+++\n{note(i)}\n")


def make_site(root: Path, n: int) -> None:
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, "utf-8")
    for i in range(n):
        (root / "content" / f"b-{i:05d}.md").write_text(invoice(i), "utf-8")


BASELINE = """
import glob, sys, time
t0 = time.perf_counter()
import weasyprint
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
t1 = time.perf_counter()
for page in sorted(glob.glob(sys.argv[1] + "/*/index.html")):
    weasyprint.HTML(filename=page).write_pdf(font_config=fonts)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def cli(site: Path, *extra: str, usage: str | None = None) -> Any:
    """Seconds for a fresh `remit build` process; with `usage` ("cpu" or "memory"), (seconds,
    bench_ssg.TreeUsage) of the process and its workers together."""
    env = {**os.environ, "REMIT_SECRET": "bench"}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(site), "--today",
                             TODAY.isoformat(), *extra], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL)
    meter = bench_ssg.TreeUsage(proc.pid, memory=usage == "memory") if usage else None
    if proc.wait() != 0:
        raise SystemExit(f"remit build failed on {site}")
    seconds = time.perf_counter() - started
    if meter is None:
        return seconds
    meter.stop()
    return seconds, meter


def cold(site: Path, *extra: str, usage: str | None = None) -> Any:
    """A fresh process with no build cache and no output/: a first build."""
    bench_ssg.clear(site / ".remit-cache")
    bench_ssg.clear(site / "output")
    return cli(site, *extra, usage=usage)


def settle() -> None:
    """Before timing: the sites just written reach the disk now, not while a build is timed
    (the kernel's writeback then takes CPU from whichever tool runs first)."""
    os.sync()


def pelican_pages(tmp: Path, n: int) -> Path:
    """Pelican's site of the n anchor pages in `tmp` (made on first use), and Pelican
    installed (on first use too, outside the timings)."""
    site = tmp / "pelican"
    if not site.exists():
        bench_ssg.make_pelican_site(site, n, items, note)
    bench_ssg.pelican_python()
    return site


def anchor(site: Path, n: int, rounds: int, tmp: Path) -> list[str]:
    """Remit's cold page-only build against Pelican (and Hugo) on the same pages, alternated
    so that a busy moment of a shared machine hits both; medians and their ratio."""
    pelican_site, hugo_site = pelican_pages(tmp, n), tmp / "hugo"
    has_hugo = bench_ssg.hugo() is not None
    if has_hugo:
        bench_ssg.make_hugo_site(hugo_site, n, items, note)
    settle()
    times: dict[str, list[float]] = {"remit": [], "pelican": [], "hugo": []}
    cpu: dict[str, list[float]] = {"remit": [], "pelican": []}
    for _ in range(rounds):
        seconds, meter = cold(site, "--no-pdf", usage="cpu")
        times["remit"].append(seconds)
        cpu["remit"].append(meter.cpu)
        seconds, used = bench_ssg.run_pelican(pelican_site)
        times["pelican"].append(seconds)
        cpu["pelican"].append(used)
        if has_hugo:
            times["hugo"].append(bench_ssg.run_hugo(hugo_site))
    remit, pelican = statistics.median(times["remit"]), statistics.median(times["pelican"])
    ratios = [r / p for r, p in zip(times["remit"], times["pelican"], strict=True)]
    lines = [f"Anchor: {n} pages, cold, fresh processes, {rounds} rounds (median; each round)",
             f"  remit build --no-pdf   {remit:7.3f} s   " + _each(times["remit"]),
             f"  pelican {PELICAN_VERSION:<14} {pelican:7.3f} s   " + _each(times["pelican"]),
             f"  remit / pelican        {remit / pelican:7.2f}     "
             + " ".join(f"{r:.2f}" for r in ratios) + "   (target <= 1.00)",
             f"  CPU seconds (all processes): remit {statistics.median(cpu['remit']):.2f} "
             f"{_each(cpu['remit'])}, pelican {statistics.median(cpu['pelican']):.2f} "
             f"{_each(cpu['pelican'])}"]
    # The site is now built (pages only): a fresh process with nothing to do, then one edit.
    noop = cli(site, "--no-pdf")
    edited = site / "content" / f"b-{n // 2:05d}.md"
    text = edited.read_text("utf-8")
    edited.write_text(text.replace("Thank you", "Many thanks"), "utf-8")
    edit = cli(site, "--no-pdf")
    edited.write_text(text, "utf-8")
    lines.append(f"  then, fresh `remit build --no-pdf` processes: no-op {noop:.3f} s "
                 f"(target < 0.3 s for 1,000), one invoice edited {edit:.3f} s")
    if has_hugo:
        h = statistics.median(times["hugo"])
        lines += [f"  hugo                   {h:7.3f} s   " + _each(times["hugo"]),
                  f"  remit / hugo           {remit / h:7.2f}       (aim <= 2.00)"]
    return lines


# Issue 17's machine: Pelican built the 1,000 anchor pages in 2.95 s when the 10,000-invoice
# target (15 s) was set. This machine's speed changes from hour to hour (the same build's
# CPU seconds by up to 40 %), so the large build is also given in that machine's terms.
ISSUE_PELICAN_SECONDS = 2.95
LARGE_TARGET_SECONDS = 15  # the 10,000-invoice page-only build


def _scaled(seconds: float, n: int, before: float, after: float) -> str:
    """The large build's time on the issue's machine, estimated from Pelican's time on the
    anchor pages just before and just after it."""
    ratio = seconds / ((before + after) / 2)
    target = LARGE_TARGET_SECONDS / ISSUE_PELICAN_SECONDS
    return (f"  Pelican on the {n} anchor pages just before and after it: {before:.2f} s, "
            f"{after:.2f} s; the large build = {ratio:.2f} x that (the target is "
            f"{target:.2f} x on the issue's machine, where Pelican took "
            f"{ISSUE_PELICAN_SECONDS} s): about {ratio * ISSUE_PELICAN_SECONDS:.1f} s there")


def _each(values: list[float]) -> str:
    return "(" + " ".join(f"{v:.2f}" for v in values) + ")"


PARTS = ("anchor", "builds", "large")


def builds(site: Path, n: int, jobs: int) -> None:
    """Cold, no-op and one-edit builds against WeasyPrint alone; printed when done."""
    bench_ssg.clear(site / ".remit-cache")
    bench_ssg.clear(site / "output")
    rows: list[tuple[str, float]] = []
    t, _ = timed(build, site, today=TODAY, pdf=False, jobs=jobs)
    rows.append(("page-only cold build (in process)", t))
    bench_ssg.clear(site / ".remit-cache")
    shutdown_pool()
    t, report = timed(build, site, today=TODAY, jobs=jobs)
    full = t
    rows.append(("full cold build with PDFs (in process, pool start-up included)", t))
    t, report = timed(build, site, today=TODAY, jobs=jobs)
    assert not report.rendered, report.rendered  # type: ignore[attr-defined]
    rows.append(("no-op rebuild (in process, as watch mode)", t))
    pick = n // 2
    edited = site / "content" / f"b-{pick:05d}.md"
    edited.write_text(edited.read_text("utf-8").replace("Thank you", "Many thanks"), "utf-8")
    t, report = timed(build, site, today=TODAY, jobs=jobs)
    assert report.rendered == (f"B-{pick:05d}",), report.rendered  # type: ignore[attr-defined]
    rows.append(("one invoice edited (in process, as watch mode)", t))
    shutdown_pool()
    rows.append(("no-op rebuild (fresh `remit build` process)", cli(site)))
    edited.write_text(edited.read_text("utf-8").replace("Many thanks", "Thanks"), "utf-8")
    rows.append(("one invoice edited (fresh `remit build` process)", cli(site)))
    out = subprocess.run([sys.executable, "-c", BASELINE, str(site / "output")], check=True,
                         capture_output=True, text=True).stdout.split()
    imp, loop = float(out[0]), float(out[1])
    baseline = imp + loop
    sealed = bench_encrypted(n, jobs)
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'':<{width}}{'total':>10}{'per invoice':>14}")
    for label, seconds in rows:
        print(f"{label:<{width}}{seconds:>9.3f}s{seconds / n * 1000:>12.2f}ms")
    print(f"{'baseline: WeasyPrint alone, 1 process':<{width}}{baseline:>9.3f}s"
          f"{baseline / n * 1000:>12.2f}ms   (import {imp:.2f} s + printing {loop:.2f} s)")
    ideal = baseline / jobs
    print(f"full cold build / (baseline / {jobs} cores) = {full / ideal:.2f}  (target <= 1.10)")
    print(f"no-op rebuild, fresh process: {rows[4][1]:.3f} s (target < 0.3 s for 1,000 "
          f"invoices); one edited invoice with its PDF, fresh process: {rows[5][1]:.3f} s "
          "(target < 1.0 s)", flush=True)
    plain_t, sealed_t, plain_size, sealed_size, opening = sealed
    print(f"privacy = \"encrypted\", page-only cold build: {sealed_t:.3f} s vs plain "
          f"{plain_t:.3f} s: {(sealed_t - plain_t) / n * 1000:+.2f} ms per page; published "
          f"invoice files {sealed_size / plain_size:.2f} x the plain bytes")
    if opening:
        print(f"opening a sealed page in Chromium (fresh load, {len(opening)} pages): median "
              f"{statistics.median(opening):.1f} ms, max {max(opening):.1f} ms (target < 100 ms)")


def invoice_bytes(output: Path) -> int:
    return sum(p.stat().st_size for d in output.iterdir() if d.is_dir() and d.name != "static"
               for p in d.iterdir())


def bench_encrypted(n: int, jobs: int) -> tuple[float, float, int, int, list[float]]:
    tmp = Path(tempfile.mkdtemp(prefix="remit-bench-sealed-"))
    try:
        plain, sealed = tmp / "plain", tmp / "sealed"
        make_site(plain, n)
        make_site(sealed, n)
        toml = sealed / "site.toml"
        toml.write_text(toml.read_text("utf-8").replace('currency = "EUR"\n', 'currency = '
                                                        '"EUR"\nprivacy = "encrypted"\n'),
                        "utf-8")
        # Alternate cold builds (no cache, no output) and keep each one's best: the first
        # build of a process also pays for imports and compiling templates.
        best = {plain: float("inf"), sealed: float("inf")}
        for _ in range(3):
            for site in (plain, sealed):
                bench_ssg.clear(site / ".remit-cache")
                bench_ssg.clear(site / "output")
                t, _ = timed(build, site, today=TODAY, pdf=False, jobs=jobs)
                best[site] = min(best[site], t)
        plain_t, sealed_t = best[plain], best[sealed]
        sizes = invoice_bytes(plain / "output"), invoice_bytes(sealed / "output")
        return (plain_t, sealed_t, *sizes, opening_times(sealed, min(n, 20)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def opening_times(site: Path, count: int) -> list[float]:
    """window.remitSealed.ms of `count` sealed pages, each loaded afresh in Chromium."""
    try:
        from playwright.sync_api import sync_playwright

        from generator.read.site import load_site
        from tests.subpath_server import SubPathServer
    except ImportError:
        return []
    if not Path("/usr/bin/chromium").exists():
        return []
    loaded = load_site(site)
    times = []
    with SubPathServer("/invoices/") as srv, sync_playwright() as p:
        srv.root = site / "output"
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        for inv in loaded.published[:count]:
            page.goto("about:blank")
            page.goto(loaded.url(inv).replace(loaded.settings.base_url, srv.base_url))
            page.wait_for_function("window.remitSealed !== undefined")
            times.append(page.evaluate("window.remitSealed.ms"))
        browser.close()
    return times


def subsetter() -> str:
    """Which library subsets the PDFs' fonts: WeasyPrint falls back to fontTools where
    libharfbuzz-subset0 is missing, and a PDF takes 1.5 to 2 times as long; more for the
    build's letters than for the baseline's pages (full build / baseline 1.15 instead of
    0.94 here), so neither the seconds nor that ratio compare with a run that had it."""
    import ctypes.util

    if ctypes.util.find_library("harfbuzz-subset"):
        return "fonts subset by HarfBuzz"
    return "fonts subset by fontTools (libharfbuzz-subset0 is missing: PDFs print slower)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--invoices", "-n", type=int, default=int(os.environ.get("N", 1000)))
    ap.add_argument("--jobs", "-j", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=3, help="anchor rounds (default 3)")
    ap.add_argument("--large", type=int, default=10000,
                    help="invoices of the large page-only build (default 10000)")
    ap.add_argument("--parts", default=",".join(PARTS),
                    help=f"which to run, comma-separated (default: {','.join(PARTS)})")
    ap.add_argument("--keep", type=Path, help="build the site here and keep it")
    args = ap.parse_args()
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    if parts - set(PARTS):
        ap.error(f"unknown part(s): {', '.join(sorted(parts - set(PARTS)))}")
    n = args.invoices
    jobs = args.jobs or default_jobs()
    os.environ["REMIT_SECRET"] = "bench"
    tmp = Path(tempfile.mkdtemp(prefix="remit-bench-"))
    bench_ssg.TRASH.append(tmp / "trash")  # deleted with tmp, after the timings
    site = args.keep or tmp / "site"
    if site.exists():
        shutil.rmtree(site)
    make_site(site, n)
    print(f"Remit bench: {n} invoices, {jobs} worker(s), {os.cpu_count()} CPU(s), "
          f"load average {os.getloadavg()[0]:.1f} at the start; {subsetter()}", flush=True)
    try:
        if "anchor" in parts:
            print("\n".join(anchor(site, n, args.rounds, tmp)), flush=True)
        if "builds" in parts:
            builds(site, n, jobs)
        if "large" in parts:
            big = tmp / "large"
            make_site(big, args.large)
            pelican_site = pelican_pages(tmp, n)  # the anchor's, or made now
            settle()
            before, _ = bench_ssg.run_pelican(pelican_site)
            seconds, meter = cold(big, "--no-pdf", usage="cpu")
            after, _ = bench_ssg.run_pelican(pelican_site)
            # Memory in a second cold build: sampling it slows the build it measures.
            sampled, memory = cold(big, "--no-pdf", usage="memory")
            pss, rss = memory.peak, memory.peak_rss
            print(f"large: {args.large} invoices, page-only cold build, fresh process: "
                  f"{seconds:.2f} s (target <= {LARGE_TARGET_SECONDS} s for 10,000), "
                  f"{meter.cpu:.1f} CPU seconds; "
                  f"then again, sampling memory ({sampled:.2f} s): peak of the builder and "
                  f"its workers together {pss / 2**20:.0f} MB PSS (target < 300 MB), "
                  f"{rss / 2**20:.0f} MB summed RSS (pages shared by workers counted in each)")
            print(_scaled(seconds, n, before, after))
    finally:
        shutdown_pool()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end (a shared machine: compare "
          "the ratios, which are measured in the same run)")

if __name__ == "__main__":
    main()
