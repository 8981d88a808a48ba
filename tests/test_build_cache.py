"""The build cache's entries: written whole, read back only when intact, and written again
when the cache folder vanished under a running process (watch mode, a user's `rm -rf`)."""

from __future__ import annotations

import shutil

from generator.write.cache import MANIFEST, Cache

FILES = {"index.html": b"<p>page</p>", "b-1.ics": b"BEGIN:VCALENDAR\r\n", "empty.txt": b""}


def test_an_entry_reads_back_as_written(tmp_path):
    cache = Cache(tmp_path)
    entry = cache.put("page", "ab" * 32, FILES)
    got = cache.get("page", "ab" * 32)
    assert got is not None and got.folder == entry.folder
    assert {n: got.path(n).read_bytes() for n in FILES} == FILES
    assert got.sizes == {n: len(d) for n, d in FILES.items()}
    assert sorted(p.name for p in entry.folder.iterdir()) == sorted([*FILES, MANIFEST])
    assert not [p for p in entry.folder.parent.iterdir() if p.name.startswith(".new-")]


def test_a_damaged_entry_is_a_miss_and_is_replaced(tmp_path):
    cache = Cache(tmp_path)
    entry = cache.put("page", "cd" * 32, FILES)
    entry.path("index.html").write_bytes(b"<p>edited</p>")
    assert cache.get("page", "cd" * 32) is None
    cache.put("page", "cd" * 32, FILES)
    got = cache.get("page", "cd" * 32)
    assert got is not None and got.path("index.html").read_bytes() == FILES["index.html"]


def test_entries_are_written_after_the_cache_folder_is_removed(tmp_path):
    cache = Cache(tmp_path)
    cache.put("page", "ef" * 32, FILES)
    shutil.rmtree(tmp_path / cache.root.name)
    cache.put("page", "ef" * 32, FILES)
    cache.put("pdf", "ef" * 32, {"b-1.pdf": b"%PDF-1.7"})
    assert cache.get("page", "ef" * 32) is not None
    assert cache.get("pdf", "ef" * 32).path("b-1.pdf").read_bytes() == b"%PDF-1.7"


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
