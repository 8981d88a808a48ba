"""Pages rendered in the worker pool (many invoices, no PDFs) are the pages rendered in the
building process, byte for byte and in the same places; small rebuilds stay in process."""

from __future__ import annotations

import re
import shutil

import pytest

from generator.render import pool
from tests.conftest import tree_snapshot


def built_in_one_process(site):
    """A one-process build's report and output; then its build cache and output are removed,
    so that the next build is a first build again."""
    report = site.build(jobs=1)
    snapshot = tree_snapshot(site.output)
    shutil.rmtree(site.root / ".remit-cache")
    shutil.rmtree(site.output)
    return report, snapshot


def test_pages_from_the_pool_equal_pages_rendered_here(example_site, monkeypatch):
    here, expected = built_in_one_process(example_site)
    # Every page through the pool, two pages a batch: order and batching both matter.
    monkeypatch.setattr(pool, "IN_PROCESS_PAGES", 0)
    monkeypatch.setattr(pool, "BATCH_MAX", 2)
    monkeypatch.setattr(pool, "BATCHES_PER_WORKER", 1)
    submitted: list[int] = []
    real_batch = pool._render_batch
    wrapped: set[int] = set()

    def counting_pool(jobs: int, pdf: bool = True):
        executor = real_pool(jobs, pdf)
        if id(executor) not in wrapped:  # the build may start the pool early, then use it
            wrapped.add(id(executor))
            original = executor.submit

            def submit(fn, *args):
                if fn is real_batch:
                    submitted.append(len(args[0]))
                return original(fn, *args)

            monkeypatch.setattr(executor, "submit", submit)
        return executor

    real_pool = pool.pool
    monkeypatch.setattr(pool, "pool", counting_pool)
    try:
        there = example_site.build(jobs=2)
    finally:
        pool.shutdown_pool()
    assert sum(submitted) == here.pages == there.pages and max(submitted) == 2
    assert sorted(there.rendered) == sorted(here.rendered)
    assert tree_snapshot(example_site.output) == expected


def test_small_page_rebuilds_stay_in_process(example_site, monkeypatch):
    example_site.build(jobs=1)
    monkeypatch.setattr(pool, "pool", lambda *a, **k: pytest.fail("a pool was started"))
    page = next(example_site.root.glob("content/*.md"))
    page.write_text(page.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    report = example_site.build(jobs=2)
    assert len(report.rendered) == 1


def _tasks(flags: list[bool]):
    from generator.render.invoice import InvoiceTask

    out = []
    for i, want_pdf in enumerate(flags):
        task = InvoiceTask.__new__(InvoiceTask)
        object.__setattr__(task, "want_pdf", want_pdf)
        object.__setattr__(task, "path", f"p{i}/")
        out.append(task)
    return out


def test_batches_keep_order_put_each_pdf_alone_and_give_every_worker_several():
    tasks = _tasks([False] * 40 + [True, True] + [False] * 3)
    batches = pool.batches(tasks, jobs=2)
    assert [t for b in batches for t in b] == tasks
    assert all(len(b) == 1 for b in batches if any(t.want_pdf for t in b))
    assert max(len(b) for b in batches) <= max(1, 45 // 16)
    big = pool.batches(_tasks([False] * 5000), jobs=2)
    assert max(len(b) for b in big) == pool.BATCH_MAX


def test_when_the_pool_is_worth_it(monkeypatch):
    monkeypatch.setattr(pool, "_pool", {})
    pages = _tasks([False] * (pool.IN_PROCESS_PAGES + 1))
    assert not pool.in_process(pages, jobs=2)
    assert pool.in_process(pages, jobs=1)
    assert pool.in_process(pages[:pool.IN_PROCESS_PAGES], jobs=2)
    assert pool.in_process(_tasks([True] * pool.IN_PROCESS_MAX), jobs=2)
    assert not pool.in_process(_tasks([True] * (pool.IN_PROCESS_MAX + 1)), jobs=2)
    monkeypatch.setattr(pool, "_pool", {"jobs": 2})  # warm, as in watch mode
    assert pool.in_process(pages[:pool.IN_PROCESS_PAGES_WARM], jobs=2)
    assert not pool.in_process(pages[:pool.IN_PROCESS_PAGES_WARM + 1], jobs=2)
    assert not pool.in_process(_tasks([True]), jobs=2)



def test_a_first_build_of_many_invoices_starts_the_workers_early(example_site, monkeypatch):
    started: list[tuple[int, bool]] = []
    monkeypatch.setattr(pool, "start_early", lambda jobs, pdf: started.append((jobs, pdf)))
    monkeypatch.setattr(pool, "IN_PROCESS_PAGES", 3)
    try:
        example_site.build(jobs=2)  # no build cache yet, more than 3 files in content/
        assert started == [(2, False)]
        example_site.build(jobs=2)  # the cache exists: most pages will come from it
        example_site.build(jobs=1)
        assert started == [(2, False)]
    finally:
        pool.shutdown_pool()


def test_files_parsed_in_the_pool_give_the_site_and_problems_parsed_here(site, monkeypatch):
    """A first build of many files parses them in the pool: the same invoices, in the same
    order, and the same problems, located the same, as when they are parsed here."""
    from generator.errors import RemitError
    from tests.conftest import INVOICE

    for i in range(12):
        site.invoice(f"t-{i:02d}.md", INVOICE.replace('"T-1"', f'"T-{i}"'))
    site.invoice("t-03.md", INVOICE.replace('"T-1"', '"T-3"').replace("quantity = 2",
                                                                     "quantity = -2x"))
    site.invoice("t-07.md", INVOICE.replace('"T-1"', '"T-7"').replace("issued", "isued"))
    site.invoice("t-09.md", INVOICE.replace('"T-1"', '"T-1"'))  # a duplicate number

    def outcome(jobs: int) -> str:
        shutil.rmtree(site.root / ".remit-cache", ignore_errors=True)
        with pytest.raises(RemitError) as err:
            site.build(jobs=jobs)
        return "\n".join(map(str, err.value.problems))

    here = outcome(1)
    monkeypatch.setattr(pool, "IN_PROCESS_PAGES", 3)
    monkeypatch.setattr(pool, "PARSE_IN_PROCESS", 0)
    monkeypatch.setattr(pool, "PARSE_BATCH", 2)
    batches: list[int] = []
    real_start = pool.start_early

    def start_counting(jobs: int, pdf: bool) -> None:
        real_start(jobs, pdf)
        executor = pool._pool["executor"]
        submit = executor.submit

        def counting(fn, *args):
            if fn is pool.parse_batch:
                batches.append(len(args[0]))
            return submit(fn, *args)

        monkeypatch.setattr(executor, "submit", counting)

    monkeypatch.setattr(pool, "start_early", start_counting)
    try:
        there = outcome(2)
        assert there == here and "t-03.md" in here and "t-07.md" in here and "T-1" in here
        site.invoice("t-03.md", INVOICE.replace('"T-1"', '"T-3"'))
        site.invoice("t-07.md", INVOICE.replace('"T-1"', '"T-7"'))
        site.invoice("t-09.md", INVOICE.replace('"T-1"', '"T-9"'))
        shutil.rmtree(site.root / ".remit-cache", ignore_errors=True)
        parallel = site.build(jobs=2)
        expected = tree_snapshot(site.output)
    finally:
        pool.shutdown_pool()
    shutil.rmtree(site.root / ".remit-cache")
    shutil.rmtree(site.output)
    serial = site.build(jobs=1)
    assert tree_snapshot(site.output) == expected and serial.pages == parallel.pages == 12
    assert batches and max(batches) == 2


def test_workers_never_run_a_generator_folder_found_where_remit_is_run(tmp_path):
    """The fork server is a `python -c` process, which looks in the current folder first: a
    folder named `generator` there (in a site folder, another checkout) must not become the
    code the workers run. `remit build` here is the installed command, run in the site."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import INVOICE, SECRET, TODAY, SiteDir

    site = SiteDir(tmp_path / "site")
    count = pool.IN_PROCESS_PAGES + 5  # a first build of this many starts the pool
    for i in range(count):
        site.invoice(f"t-{i:03d}.md", INVOICE.replace('"T-1"', f'"T-{i}"'))
    decoy = site.root / "generator"
    decoy.mkdir()
    (decoy / "__init__.py").write_text(
        "open(__file__ + '.imported', 'w').close()\nraise SystemExit('decoy imported')\n")
    remit = Path(sys.executable).parent / "remit"
    result = subprocess.run([str(remit), "build", ".", "--no-pdf", "--jobs", "2", "--today",
                             TODAY.isoformat()], cwd=site.root, capture_output=True, text=True,
                            env={**os.environ, "REMIT_SECRET": SECRET}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not (decoy / "__init__.py.imported").exists()
    assert len(list(site.output.glob("*/index.html"))) == count


def test_a_one_shot_build_stops_its_workers_before_writing(example_site, monkeypatch):
    """`remit build` (keep_workers=False) lets its workers go once everything is rendered,
    so their memory is not held while output/ is written; watch mode keeps them for its
    next rebuild."""
    from generator.build import build
    from generator.write import output
    from tests.conftest import TODAY

    monkeypatch.setattr(pool, "IN_PROCESS_PAGES", 0)
    seen: list[bool] = []
    real_write = output.write_output

    def writing(*args, **kwargs):
        seen.append("executor" in pool._pool)
        return real_write(*args, **kwargs)

    monkeypatch.setattr("generator.build.write_output", writing)
    try:
        example_site.build(jobs=2)  # as watch mode builds
        assert seen == [True] and "executor" in pool._pool
        pool.shutdown_pool()
        for folder in (".remit-cache", "output"):
            shutil.rmtree(example_site.root / folder)
        build(example_site.root, today=TODAY, pdf=False, jobs=2, keep_workers=False)
        assert seen == [True, False] and "executor" not in pool._pool
    finally:
        pool.shutdown_pool()


def test_while_the_workers_render_the_builder_writes_the_memo_and_site_wide_pages(
        example_site, monkeypatch):
    """Not after the last invoice, when the builder would run alone: before it takes the
    first invoice's files from the pool. A site-wide page that fails then stops the build
    with its own error and leaves no output/."""
    from generator.errors import RemitError
    from generator.read.memo import InvoiceMemo
    from generator.write import output

    monkeypatch.setattr(pool, "IN_PROCESS_PAGES", 0)
    monkeypatch.setattr(pool, "BATCH_MAX", 2)
    events: list[str] = []
    real_save, real_add = InvoiceMemo.save, output.StagedTree.add

    def save(memo):
        events.append("memo")
        real_save(memo)

    def add(tree, files):
        events.append("invoice" if any(f.endswith("/index.html") for f in files) else "site")
        real_add(tree, files)

    monkeypatch.setattr(InvoiceMemo, "save", save)
    monkeypatch.setattr(output.StagedTree, "add", add)
    try:
        report = example_site.build(jobs=2)
        assert events[0] == "memo" and events.count("invoice") == report.pages
        assert (example_site.output / "404.html").is_file()

        for folder in (".remit-cache", "output"):
            shutil.rmtree(example_site.root / folder)
        example_site.write("themes/broken/templates/404.html", "{{ no_such_value.at_all }}")
        site_toml = example_site.root / "site.toml"
        site_toml.write_text(re.sub(r'(?m)^theme = .*$', 'theme = "broken"',
                                    site_toml.read_text("utf-8")), "utf-8")
        events.clear()
        with pytest.raises(RemitError, match=r"404\.html"):
            example_site.build(jobs=2)
        assert "invoice" not in events and not example_site.output.exists()
    finally:
        pool.shutdown_pool()


def test_the_builder_compiles_what_its_workers_render_while_they_parse(site, monkeypatch):
    """compile_theme leaves in the build cache every template a worker renders (where a
    worker's first page loads them, compiling nothing), the letter's only when PDFs are
    printed; a template that does not compile is left to the render, which reports it."""
    from generator.read.settings import load_settings
    from generator.render import html, runtime

    compiled: list[str] = []
    real_compile = runtime.Environment.compile

    def noting(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return real_compile(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(runtime.Environment, "compile", noting)
    settings = load_settings(site.root)
    html.environment.cache_clear()
    pool.compile_theme(settings, pdf=False)
    for_pages = set(compiled)
    assert {"invoice.html", "base.html", "payments.html", "summary.html"} <= for_pages
    assert not {"letter.html", "letter_base.html", "receipt.html"} & for_pages
    html.environment.cache_clear()  # a worker: a fresh environment, the same build cache
    compiled.clear()
    site.build(jobs=1)
    assert set(compiled) <= {"index.html", "404.html"}  # the builder's own pages
    html.environment.cache_clear()
    compiled.clear()
    pool.compile_theme(settings, pdf=True)
    assert {"letter.html", "letter_base.html", "receipt.html"} <= set(compiled)

    site.write("themes/broken/templates/personal.html", "{% if %}")
    site.write("site.toml", 'theme = "broken"\n' + (site.root / "site.toml").read_text("utf-8"))
    html.environment.cache_clear()
    compiled.clear()
    pool.compile_theme(load_settings(site.root), pdf=False)  # no error here
    assert compiled == ["personal.html"]  # tried; the others come from the build cache


_BUILDER: list[int] = []
_PARSED_HERE: list[int] = []


def _parse_batch_noting_where(paths, *args):
    """parse_batch, noting the batches parsed in the building process (pickled by name, it
    runs in the workers too, where the note goes nowhere)."""
    import os

    from generator.read.parse import parse_batch

    if _BUILDER and os.getpid() == _BUILDER[0]:
        _PARSED_HERE.append(len(paths))
    return parse_batch(paths, *args)


def test_the_builder_parses_what_busy_workers_have_not_begun(site, monkeypatch):
    """While its workers are busy (or still starting), the builder withdraws the last batch
    no worker has begun and parses it itself: the same site, page for page."""
    import os
    import time

    from tests.conftest import INVOICE

    for i in range(12):
        site.invoice(f"t-{i:02d}.md", INVOICE.replace('"T-1"', f'"T-{i}"'))
    serial, expected = built_in_one_process(site)
    monkeypatch.setattr(pool, "IN_PROCESS_PAGES", 3)
    monkeypatch.setattr(pool, "PARSE_IN_PROCESS", 0)
    monkeypatch.setattr(pool, "PARSE_BATCH", 2)
    monkeypatch.setattr(pool, "parse_batch", _parse_batch_noting_where)
    _BUILDER[:] = [os.getpid()]
    _PARSED_HERE.clear()
    real_start = pool.start_early

    def start_busy(jobs: int, pdf: bool) -> None:
        real_start(jobs, pdf)
        for _ in range(jobs):  # every worker busy for a while before any batch
            pool._pool["executor"].submit(time.sleep, 1.0)

    monkeypatch.setattr(pool, "start_early", start_busy)
    try:
        parallel = site.build(jobs=2)
    finally:
        pool.shutdown_pool()
        _BUILDER.clear()
    assert _PARSED_HERE and sum(_PARSED_HERE) < 12  # some here, the rest in the workers
    assert tree_snapshot(site.output) == expected and parallel.pages == serial.pages == 12


def test_remit_build_starts_the_fork_server_before_importing_the_builder(tmp_path):
    """`remit build` of many invoices with no build cache starts the workers' fork server
    (which imports the renderer) first thing, not after its own imports; with a cache, or
    with --jobs 1, it starts none."""
    import os
    import subprocess
    import sys

    from tests.conftest import INVOICE, SECRET, TODAY, SiteDir

    site = SiteDir(tmp_path / "site")
    for i in range(pool.IN_PROCESS_PAGES + 5):
        site.invoice(f"t-{i:03d}.md", INVOICE.replace('"T-1"', f'"T-{i}"'))
    probe = (
        "import sys\n"
        "from generator.render import forkserver\n"
        "real = forkserver.start\n"
        "def start(pdf):\n"
        "    print('fork server started; builder imported:', 'generator.build' in sys.modules,"
        " 'pdf:', pdf, flush=True)\n"
        "    real(pdf)\n"
        "forkserver.start = start\n"
        "from generator.cli.main import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n")

    def remit(*args: str) -> str:
        result = subprocess.run([sys.executable, "-c", probe, "build", str(site.root),
                                 "--today", TODAY.isoformat(), *args], capture_output=True,
                                text=True, env={**os.environ, "REMIT_SECRET": SECRET},
                                timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    first = remit("--no-pdf", "--jobs", "2")
    assert first.splitlines()[0] == "fork server started; builder imported: False pdf: False"
    assert "fork server" not in remit("--no-pdf", "--jobs", "2")  # the cache is there now
    shutil.rmtree(site.root / ".remit-cache")
    assert "fork server" not in remit("--no-pdf", "--jobs", "1")
