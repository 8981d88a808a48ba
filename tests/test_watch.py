"""`remit watch`: real file changes on a temporary site, with the watcher running in the test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.serve import watch
from generator.serve.watch import ChangeFilter, Outcome
from tests.conftest import INVOICE
from tests.watching import atomic_write, change, clean_build_equals, running_watcher


def total_of(site, number: str = "T-1") -> str | None:
    pages = site.pages()
    if number not in pages:
        return None
    return pages[number].select_one("[data-amount-due]").get_text(strip=True)


def priced(price: str, number: str = "T-1") -> str:
    return INVOICE.replace("unit_price = 100.00", f"unit_price = {price}") \
        .replace('number = "T-1"', f'number = "{number}"')


@pytest.fixture
def watched(site):
    site.invoice()
    with running_watcher(site, quiet=0.2) as w:
        yield site, w


def test_initial_build_then_a_plain_save_rebuilds_the_page(watched, tmp_path):
    site, w = watched
    assert w.last is not None and w.last.ok and total_of(site) == "€238.00"
    out = change(w, lambda: site.invoice(text=priced("200.00")),
                 until=lambda: total_of(site) == "€476.00")
    assert out.ok and out.changed == ("content/t-1.md",)
    line = w.out.getvalue().splitlines()[-1]
    assert "content/t-1.md -> rendered T-1 (1 page live) in " in line and line.endswith(" s")
    clean_build_equals(site, tmp_path)


def test_atomic_temp_file_and_rename_save_is_seen(watched, tmp_path):
    site, w = watched
    out = change(w, lambda: atomic_write(site.root / "content/t-1.md", priced("300.00")),
                 until=lambda: total_of(site) == "€714.00")
    # The rename's source is a hidden temporary file: only the real name is reported.
    assert out.changed == ("content/t-1.md",)
    clean_build_equals(site, tmp_path)


def test_a_burst_of_50_saves_is_one_or_two_rebuilds(watched, tmp_path):
    site, w = watched
    before = w.rebuilds

    def burst() -> None:
        for i in range(1, 51):
            site.invoice(text=priced(f"{i}.00"))

    change(w, burst, until=lambda: total_of(site) == "€119.00")  # 2 x 50.00 + 19 %
    assert w.rebuilds - before in (1, 2)
    clean_build_equals(site, tmp_path)


def test_new_renamed_drafted_and_deleted_invoices(watched, tmp_path):
    site, w = watched
    change(w, lambda: site.invoice("t-2.toml", priced("10.00", "T-2").replace("+++\n", "")
                                   .split("Thanks!")[0]),
           until=lambda: total_of(site, "T-2") == "€23.80")
    assert set(site.pages()) == {"T-1", "T-2"}
    # A rename within content/ keeps the invoice (its URL derives from the number).
    change(w, lambda: (site.root / "content/t-2.toml").rename(site.root / "content/sub.toml"),
           until=lambda: "content/sub.toml" in (w.last.changed if w.last else ()))
    assert set(site.pages()) == {"T-1", "T-2"}
    folders = {p.name for p in site.output.iterdir() if p.is_dir()}
    # Drafting an invoice takes its page down.
    change(w, lambda: site.invoice(text=INVOICE.replace('number = "T-1"',
                                                        'number = "T-1"\ndraft = true')),
           until=lambda: "T-1" not in site.pages())
    assert set(site.pages()) == {"T-2"}
    change(w, lambda: (site.root / "content/sub.toml").unlink(),
           until=lambda: not site.pages())
    assert w.last is not None and w.last.changed == ("content/sub.toml",)
    assert "content/sub.toml (deleted) -> nothing to render (0 pages live)" in \
        w.out.getvalue()
    left = {p.name for p in site.output.iterdir() if p.is_dir()}
    assert left == {"static"} and left < folders
    clean_build_equals(site, tmp_path)


def test_a_bad_save_keeps_the_last_good_site_and_a_fix_clears_it(watched, tmp_path):
    site, w = watched
    good = (site.output / "index.html").read_bytes()
    bad = change(w, lambda: site.invoice(text=INVOICE.replace("quantity = 2",
                                                              'quantity = "two"')),
                 until=lambda: w.last and not w.last.ok)
    assert not bad.ok and len(bad.problems) == 1
    problem = bad.problems[0]
    assert (problem.file, problem.field) == ("content/t-1.md", "items[0].quantity")
    assert problem.line == INVOICE.splitlines().index("quantity = 2") + 1
    text = w.out.getvalue()
    assert "1 problem, the last good site stays in place" in text
    assert f"error: content/t-1.md:{problem.line}: items[0].quantity:" in text
    assert total_of(site) == "€238.00" and (site.output / "index.html").read_bytes() == good
    fixed = change(w, lambda: site.invoice(text=priced("50.00")),
                   until=lambda: total_of(site) == "€119.00")
    assert fixed.ok and fixed.problems == ()
    clean_build_equals(site, tmp_path)


def test_site_toml_and_theme_changes_rebuild_everything(watched, tmp_path):
    site, w = watched
    toml = (site.root / "site.toml").read_text(encoding="utf-8")
    change(w, lambda: atomic_write(site.root / "site.toml",
                                   toml.replace('company = "Studio Lindqvist"',
                                                'company = "Studio Nord"')),
           until=lambda: "Studio Nord" in (site.output / "index.html").read_text("utf-8"))
    assert "Studio Nord" in site.pages()["T-1"].get_text()
    # themes/ does not exist yet: the watcher must notice it appear and watch inside it.
    css = "/* local theme override */\n"
    change(w, lambda: site.write("themes/default/static/style.css", css),
           until=lambda: (site.output / "static/style.css").read_text("utf-8") == css)
    css2 = css + "body { color: black }\n"
    change(w, lambda: site.write("themes/default/static/style.css", css2),
           until=lambda: (site.output / "static/style.css").read_text("utf-8") == css2)
    clean_build_equals(site, tmp_path)


def test_content_folder_deleted_and_recreated_is_watched_again(watched, tmp_path):
    site, w = watched
    change(w, lambda: shutil.rmtree(site.root / "content"), until=lambda: not site.pages())
    change(w, lambda: site.invoice(text=priced("3.00")),
           until=lambda: total_of(site) == "€7.14")
    # The new folder has its own watch: a plain save inside it is seen.
    change(w, lambda: site.invoice(text=priced("4.00")),
           until=lambda: total_of(site) == "€9.52")
    clean_build_equals(site, tmp_path)


def test_editor_lock_swap_and_backup_files_and_output_never_trigger(watched):
    site, w = watched
    outcomes: list[Outcome] = []
    w.listeners.append(outcomes.append)

    def junk_then_real_save() -> None:
        for name in (".#t-1.md", "t-1.md~", ".t-1.md.swp", "t-1.md.bck", "4913", "#t-1.md#"):
            (site.root / "content" / name).write_text("junk", encoding="utf-8")
        (site.output / "stray.html").write_text("x", encoding="utf-8")
        (site.root / "notes.txt").write_text("x", encoding="utf-8")
        site.invoice(text=priced("1.00"))  # the one real change, made last

    change(w, junk_then_real_save, until=lambda: total_of(site) == "€2.38")
    # Had any junk counted, it would show in a rebuild's changes (events arrive in order).
    assert outcomes and all(o.changed == ("content/t-1.md",) for o in outcomes)


def test_a_crash_inside_a_rebuild_is_reported_and_the_next_change_retries(watched, monkeypatch):
    site, w = watched
    real_build = watch.build

    def crashing(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(watch, "build", crashing)
    out = change(w, lambda: site.invoice(text=priced("5.00")),
                 until=lambda: w.last and w.last.crash)
    assert out.crash == "RuntimeError: disk on fire"
    assert "the build crashed (RuntimeError: disk on fire)" in w.out.getvalue()
    assert w.thread is not None and w.thread.is_alive() and w.observer.is_alive()
    monkeypatch.setattr(watch, "build", real_build)
    change(w, lambda: site.invoice(text=priced("6.00")),
           until=lambda: total_of(site) == "€14.28")


def test_polling_fallback_sees_saves(site, tmp_path):
    site.invoice()
    with running_watcher(site, quiet=0.2, poll=True) as w:
        assert type(w.observer).__name__ == "PollingObserver"
        change(w, lambda: atomic_write(site.root / "content/t-1.md", priced("300.00")),
               until=lambda: total_of(site) == "€714.00")
    clean_build_equals(site, tmp_path)


@pytest.mark.parametrize(("rel", "is_dir", "expected"), [
    ("site.toml", False, "site.toml"),
    ("content/a.md", False, "content/a.md"),
    ("content/2026/a.toml", False, "content/2026/a.toml"),
    ("content/2026", True, "content/2026"),
    ("themes/default/templates/invoice.html", False, "themes/default/templates/invoice.html"),
    ("content/.#a.md", False, None),
    ("content/a.md~", False, None),
    ("content/.a.md.swp", False, None),
    ("content/a.md.bck", False, None),
    ("content/4913", False, None),
    ("content/sedAbC123", False, None),
    ("themes/default/static/.style.css.swp", False, None),
    ("output/index.html", False, None),
    (".remit-cache/x", False, None),
    (".output-new-abc/index.html", False, None),
    ("README.md", False, None),
])
def test_change_filter(tmp_path: Path, rel: str, is_dir: bool, expected: str | None):
    changes = ChangeFilter(tmp_path, tmp_path / "output")
    assert changes.relevant(str(tmp_path / rel), is_dir) == expected


def test_handler_errors_never_reach_the_observer(tmp_path, capsys):
    class Event:
        event_type = "modified"
        is_directory = False
        src_path = str(tmp_path / "content/a.md")
        dest_path = ""

    def broken_sink(_: str) -> None:
        raise ValueError("boom")

    collector = watch.EventCollector(ChangeFilter(tmp_path, tmp_path / "output"), broken_sink)
    collector.on_any_event(Event())  # type: ignore[arg-type]
    assert "ValueError: boom" in capsys.readouterr().err
    got: list[str] = []
    collector = watch.EventCollector(ChangeFilter(tmp_path, tmp_path / "output"), got.append)
    for kind in ("opened", "closed_no_write"):
        Event.event_type = kind
        collector.on_any_event(Event())  # type: ignore[arg-type]
    assert got == []


def test_summary_lines():
    root = Path("/nonexistent")
    many = Outcome(3, tuple(f"content/{i}.md" for i in range(5)), 1.234)
    assert watch.summary_line(root, many).startswith(
        "content/0.md (deleted), content/1.md (deleted), content/2.md (deleted) and 2 more ->")


def test_an_edited_invoice_rerenders_only_its_own_page_and_pdf(site, tmp_path):
    """Incremental through the build cache: one save, one invoice rendered, page and PDF."""
    site.invoice()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    with running_watcher(site) as watcher:
        outcome = change(watcher, lambda: site.invoice(
            text=INVOICE.replace("quantity = 2", "quantity = 3")))
        assert outcome.report.rendered == ("T-1",)
    clean_build_equals(site, tmp_path)
    assert any(site.output.glob("*/T-1.pdf")) and any(site.output.glob("*/T-2.pdf"))
