"""The build cache's entries: flat files that count only once the builder has indexed them,
read back only when intact, never rewritten under output/'s hard links, written again when
the cache folder vanished under a running process (watch mode, a user's `rm -rf`), pruned
once unused for days; and a cache of an earlier format is simply built over."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from generator.digest import CACHE_FORMAT
from generator.write.cache import INDEX, Cache
from tests.conftest import INVOICE, SiteDir, tree_snapshot

FILES = {"index.html": b"<p>page</p>", "b-1.ics": b"BEGIN:VCALENDAR\r\n", "empty.txt": b""}
KEY = "ab" * 32
WEEK_AGO = time.time() - 7 * 24 * 3600


def test_an_entry_counts_once_indexed_and_reads_back_as_written(tmp_path):
    cache = Cache(tmp_path)
    entry = cache.put("page", KEY, FILES)  # as a pool worker does
    assert Cache(tmp_path).get("page", KEY) is None  # written, not yet indexed: a miss
    cache.save()
    got = Cache(tmp_path).get("page", KEY)
    assert got is not None and got.base == entry.base
    assert {n: Path(got.path(n)).read_bytes() for n in FILES} == FILES
    assert got.sizes == {n: len(d) for n, d in FILES.items()}
    shard = cache.root / "page" / KEY[:2]  # flat: no folder, no manifest per entry
    assert sorted(p.name for p in shard.iterdir()) == sorted(f"{KEY}.{n}" for n in FILES)
    assert sorted(p.name for p in cache.root.iterdir()) == [INDEX, "page"]  # no temporaries


def test_the_builder_indexes_what_a_worker_wrote(tmp_path):
    worker, builder = Cache(tmp_path), Cache(tmp_path)
    builder.adopt(worker.put("pdf", KEY, {"b-1.pdf": b"%PDF-1.7"}))
    builder.save()
    assert Cache(tmp_path).get("pdf", KEY).sizes == {"b-1.pdf": 8}


def test_a_damaged_entry_is_a_miss_and_is_replaced_without_touching_its_old_inode(tmp_path):
    cache = Cache(tmp_path)
    entry = cache.put("page", KEY, FILES)
    cache.save()
    published = tmp_path / "published.html"  # output/ hard-links cache files
    os.link(entry.path("index.html"), published)
    with open(entry.path("index.html"), "wb") as fh:
        fh.write(b"<p>edited</p>")  # through either name: both change
    assert Cache(tmp_path).get("page", KEY) is None
    again = Cache(tmp_path)
    again.put("page", KEY, FILES)
    assert published.read_bytes() == b"<p>edited</p>"  # a new file, not rewritten in place
    again.save()
    got = Cache(tmp_path).get("page", KEY)
    assert got is not None and Path(got.path("index.html")).read_bytes() == FILES["index.html"]
    assert not [p for p in (cache.root / "page" / KEY[:2]).iterdir() if "~" in p.name]


def test_a_half_written_entry_or_index_is_a_miss_never_an_error(tmp_path):
    cache = Cache(tmp_path)
    entry = cache.put("page", KEY, FILES)
    cache.save()
    with open(entry.path("b-1.ics"), "r+b") as fh:
        fh.truncate(5)  # a build killed while writing over it
    assert Cache(tmp_path).get("page", KEY) is None
    os.unlink(entry.path("b-1.ics"))
    assert Cache(tmp_path).get("page", KEY) is None
    for damage in (b"", b'{"entries": {', b'{"entries": []}', b'{"entries": {"x": 1}}',
                   json.dumps({"swept": 0, "entries": {f"page/{KEY[:2]}/{KEY}": 7}}).encode()):
        (cache.root / INDEX).write_bytes(damage)
        fresh = Cache(tmp_path)
        assert fresh.get("page", KEY) is None
        fresh.put("page", KEY, FILES)
        fresh.save()  # the damaged index is replaced
        assert Cache(tmp_path).get("page", KEY) is not None


def test_entries_are_written_after_the_cache_folder_is_removed(tmp_path):
    cache = Cache(tmp_path)
    cache.put("page", KEY, FILES)
    cache.save()
    shutil.rmtree(cache.root)
    cache.put("page", KEY, FILES)
    cache.put("pdf", KEY, {"b-1.pdf": b"%PDF-1.7"})
    cache.save()
    assert Cache(tmp_path).get("page", KEY) is not None
    assert Path(Cache(tmp_path).get("pdf", KEY).path("b-1.pdf")).read_bytes() == b"%PDF-1.7"


def test_two_processes_saving_one_after_the_other_keep_both_entries(tmp_path):
    one, two = Cache(tmp_path), Cache(tmp_path)
    assert one.get("page", KEY) is None and two.get("page", "cd" * 32) is None  # both read
    one.put("page", KEY, FILES)
    two.put("page", "cd" * 32, FILES)
    one.save()
    two.save()  # reads the index again: it changed since this process read it
    assert Cache(tmp_path).get("page", KEY) and Cache(tmp_path).get("page", "cd" * 32)


def _age_index(cache: Cache, when: float) -> None:
    index = json.loads((cache.root / INDEX).read_bytes())
    index["swept"] = when
    for listed in index["entries"].values():
        listed[0] = when
    (cache.root / INDEX).write_text(json.dumps(index), "utf-8")


def test_pruning_drops_what_no_build_used_for_days_and_what_no_index_lists(tmp_path):
    cache = Cache(tmp_path)
    old, kept = cache.put("page", KEY, FILES), cache.put("page", "cd" * 32, FILES)
    cache.save()
    _age_index(cache, WEEK_AGO)
    shard = cache.root / "pdf" / "ef"
    shard.mkdir(parents=True)
    orphan, recent = shard / ("ef" * 32 + ".b-1.pdf"), shard / ("ee" * 32 + ".b-2.pdf")
    for path in (orphan, recent):  # written by a build killed before it saved the index
        path.write_bytes(b"%PDF")
    foreign = shard / "notes.txt"  # not an entry's file: never removed
    foreign.write_text("mine", "utf-8")
    for path in (orphan, foreign):
        os.utime(path, (WEEK_AGO, WEEK_AGO))
    earlier = tmp_path / "v1" / "page" / "ab" / KEY  # an earlier format's entry
    earlier.mkdir(parents=True)
    (earlier / "manifest.json").write_text("{}", "utf-8")
    for folder in (earlier, earlier.parent, earlier.parent.parent, tmp_path / "v1"):
        os.utime(folder, (WEEK_AGO, WEEK_AGO))

    build = Cache(tmp_path)
    assert build.get("page", "cd" * 32) is not None  # used by this build
    build.put("site", "12" * 32, {"robots.txt": b"User-agent: *\n"})  # and something new
    build.save()
    assert not os.path.exists(old.path("index.html")) and os.path.exists(kept.path("index.html"))
    assert Cache(tmp_path).get("page", KEY) is None
    assert Cache(tmp_path).get("page", "cd" * 32) is not None
    assert Cache(tmp_path).get("site", "12" * 32) is not None
    assert not orphan.exists() and recent.exists() and foreign.exists()
    assert not (tmp_path / "v1").exists() and (tmp_path / CACHE_FORMAT).is_dir()
    # Without anything new, a build writes nothing (a no-op build stays a no-op).
    before = (cache.root / INDEX).stat().st_mtime_ns
    quiet = Cache(tmp_path)
    quiet.get("page", "cd" * 32)
    quiet.save()
    assert (cache.root / INDEX).stat().st_mtime_ns == before


def test_a_build_over_an_earlier_formats_cache_builds_afresh_and_equals_a_clean_one(
        site, tmp_path):
    site.invoice()
    site.build()
    clean = tree_snapshot(site.output)
    current = site.root / ".remit-cache" / CACHE_FORMAT
    current.rename(site.root / ".remit-cache" / "v1")  # as if an earlier Remit had built it
    for stale in (site.root / ".remit-cache" / "v1").rglob("*"):
        if stale.is_file():
            stale.write_bytes(b"from another format")
    assert site.build().rendered == ("T-1",)
    assert tree_snapshot(site.output) == clean
    assert site.build().rendered == ()


def _clean_build(site, where):
    """The same site built in another folder without any cache: what output/ must equal."""
    shutil.copytree(site.root, where, ignore=shutil.ignore_patterns("output", ".remit-cache"))
    SiteDir(where, fresh=False).build()
    return tree_snapshot(where / "output")


def test_incremental_page_builds_equal_clean_ones_whatever_happened_to_the_cache(
        site, tmp_path):
    for n in (1, 2, 3):
        site.invoice(f"t-{n}.md", INVOICE.replace('"T-1"', f'"T-{n}"'))
    assert sorted(site.build().rendered) == ["T-1", "T-2", "T-3"]
    cache = site.root / ".remit-cache" / CACHE_FORMAT

    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"').replace("Work", "More work"))
    assert site.build().rendered == ("T-2",)
    assert tree_snapshot(site.output) == _clean_build(site, tmp_path / "edited")

    (site.root / "content" / "t-3.md").unlink()
    assert site.build().rendered == ()
    assert tree_snapshot(site.output) == _clean_build(site, tmp_path / "deleted")
    clean = tree_snapshot(site.output)

    # A cache file replaced under its name (not written through output/'s hard link, whose
    # file keeps its bytes but loses a link): a miss, and T-1 is rendered again.
    published = next(site.output.glob("t-1-*/index.html")).stat().st_ino
    page = next(p for p in cache.glob("page/*/*.index.html") if p.stat().st_ino == published)
    page.with_name("swap").write_bytes(b"<p>not T-1</p>")
    page.with_name("swap").replace(page)
    assert site.build().rendered == ("T-1",)
    assert tree_snapshot(site.output) == clean
    page.with_name("swap").write_bytes(b"<p>not T-1</p>")  # once more, and output/ removed
    page.with_name("swap").replace(page)
    shutil.rmtree(site.output)
    assert site.build().rendered == ("T-1",)
    assert tree_snapshot(site.output) == clean

    # Written through output/'s hard link: output/ is rebuilt, the entry rendered again.
    calendar = next(site.output.glob("t-2-*/t-2.ics"))
    with open(calendar, "r+b") as fh:
        fh.write(b"X")
    assert site.build().rendered == ("T-2",)
    assert tree_snapshot(site.output) == clean

    # No index (a build killed before writing it): every entry is a miss, rendered again.
    (cache / INDEX).unlink()
    shutil.rmtree(site.output)
    assert sorted(site.build().rendered) == ["T-1", "T-2"]
    assert tree_snapshot(site.output) == clean
    assert site.build().rendered == ()


def _render(dirs, theme, cache_dir):
    from generator.render import html

    html.environment.cache_clear()  # a fresh process: nothing compiled in memory
    return html.render(dirs, theme, "page.html", "en", {"who": "<Anna>"}, cache_dir)


def test_compiled_templates_follow_the_source_and_survive_damage(tmp_path):
    from generator.digest import CACHE_FORMAT, JINJA_FOLDER

    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    page = theme / "templates" / "page.html"
    page.write_text("<p>{{ _('Hello') }}, {{ who }}</p>", "utf-8")
    dirs, cache_dir = (theme / "templates",), tmp_path / "cache"
    assert _render(dirs, theme, cache_dir) == "<p>Hello, &lt;Anna&gt;</p>"
    compiled = list((cache_dir / CACHE_FORMAT / JINJA_FOLDER).glob("*/*.cache"))
    assert len(compiled) == 1
    assert _render(dirs, theme, cache_dir) == "<p>Hello, &lt;Anna&gt;</p>"  # loaded

    page.write_text("<p>Bye, {{ who }}</p>", "utf-8")  # same size and mtime would not matter
    assert _render(dirs, theme, cache_dir) == "<p>Bye, &lt;Anna&gt;</p>"

    for damage in (b"", b"j2garbage", compiled[0].read_bytes()[:40]):
        for file in (cache_dir / CACHE_FORMAT / JINJA_FOLDER).glob("*/*.cache"):
            file.write_bytes(damage)
        assert _render(dirs, theme, cache_dir) == "<p>Bye, &lt;Anna&gt;</p>"
