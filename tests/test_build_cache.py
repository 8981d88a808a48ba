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
