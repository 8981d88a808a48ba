"""The build cache: each invoice's rendered files, keyed by a hash of everything they depend on.

An entry's files lie flat, `<kind>/<key[:2]>/<key>.<name>`, and one index (`index.json`)
lists every entry's files with their SHA-256 digests. The processes that render (pool
workers) write the files and report the digests; the builder writes the index once a build,
after them. An entry counts only when the index lists it and every file matches its digest,
so a build killed before the index is written, or a truncated, edited or hard-link-modified
file, is a miss (re-rendered), never a wrong page or PDF. A file is created under its final
name only where none is (O_EXCL: three system calls, no folder, no rename); one already there
(a damaged or unlisted entry's, perhaps hard-linked from output/) is replaced by a rename,
never rewritten in place. The key is the only thing that decides validity: when in doubt, it
must include the doubtful input (see keys.py).

The same folder holds the memo of parsed invoices (read/memo.py) and compiled templates
(render/html.py; pruning keeps only the running generator's). Pruning also removes files no
index lists (left by a killed build) and earlier formats' folders, once unused for days.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import NewType

from generator.digest import CACHE_FORMAT, JINJA_FOLDER, code_digest
from generator.read.memo import replacing

INDEX = "index.json"
KEEP_UNUSED_SECONDS = 3 * 24 * 3600  # entries unused for this long are pruned
SWEEP_SECONDS = 24 * 3600  # how often pruning looks for files that no index lists
_KEY = re.compile(r"[0-9a-f]{64}")  # digest.digest's hex
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


# The path of a file in the build cache, as output/ places it (a hard link). A plain str,
# not a Path nor a str subclass: a build of 10,000 invoices holds 20,000 of them.
CacheFile = NewType("CacheFile", str)


class Entry:
    """One entry's files: `base` + name is each file's path."""

    __slots__ = ("base", "digests", "sizes")

    def __init__(self, base: str, sizes: dict[str, int],
                 digests: dict[str, str] | None = None) -> None:
        self.base = base  # "<cache>/<kind>/<key[:2]>/<key>."
        self.sizes = sizes  # file name -> size in bytes
        self.digests = digests  # file name -> SHA-256: files just written, to index

    def path(self, name: str) -> CacheFile:
        return CacheFile(self.base + name)

    def __reduce__(self) -> tuple[type, tuple[str, dict[str, int], dict[str, str] | None]]:
        return Entry, (self.base, self.sizes, self.digests)  # from a pool worker, pickled


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root / CACHE_FORMAT
        self.prefix = f"{self.root}{os.sep}"
        self.used: set[str] = set()  # entries of this build, by "<kind>/<key[:2]>/<key>"
        self.added: dict[str, dict[str, str]] = {}  # entry -> its files' digests, to index
        self._index: dict[str, list] | None = None  # entry -> [last used, {name: digest}]
        self._index_stat: tuple[int, int, int] | None = None
        self._swept = 0.0

    def _base(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}{os.sep}{key[:2]}{os.sep}{key}."

    def get(self, kind: str, key: str,
            trusted: dict[str, dict[str, int]] | None = None) -> Entry | None:
        """The entry if the index lists it and its files are intact. An entry in `trusted`
        (its files verified by the output folder's stats, see output.OutputState) is taken
        without reading it or the index."""
        base = self._base(kind, key)
        if trusted:
            sizes = trusted.get(base)
            if sizes is not None:
                self.used.add(base[len(self.prefix):-1])
                return Entry(base, dict(sizes))
        name = base[len(self.prefix):-1]
        try:
            files = self.index()[name][1]
            sizes = {}
            for file, want in files.items():
                data = _read(base + file)
                if hashlib.sha256(data).hexdigest() != want:
                    return None
                sizes[file] = len(data)
        except (OSError, LookupError, TypeError, AttributeError):
            return None
        self.used.add(name)
        return Entry(base, sizes)

    def put(self, kind: str, key: str, files: dict[str, bytes]) -> Entry:
        """Write an entry's files and adopt it: it counts once saved."""
        entry = self.write(kind, key, files)
        self.adopt(entry)
        return entry

    def write(self, kind: str, key: str, files: dict[str, bytes]) -> Entry:
        """Write an entry's files (in whichever process rendered them); it counts once the
        builder has indexed it (adopt, then save). This Cache keeps no record of it."""
        base = self._base(kind, key)
        for name, data in files.items():
            _create(base + name, data)
        return Entry(base, {n: len(d) for n, d in files.items()},
                     {n: hashlib.sha256(d).hexdigest() for n, d in files.items()})

    def adopt(self, entry: Entry) -> None:
        """An entry of this build, perhaps written by another process: indexed by `save`
        and kept when pruning."""
        name = entry.base[len(self.prefix):-1]
        self.used.add(name)
        if entry.digests is not None:
            self.added[name] = entry.digests

    def index(self) -> dict[str, list]:
        """The index as this process last read it (read on first use: a build whose entries
        all come trusted from output/ never reads it)."""
        if self._index is None:
            self._index, self._index_stat, self._swept = {}, None, time.time()
            with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                with open(self.root / INDEX, "rb") as fh:
                    st = os.fstat(fh.fileno())
                    data = json.loads(fh.read())
                self._index_stat = (st.st_ino, st.st_size, st.st_mtime_ns)
                entries, self._swept = data["entries"], float(data["swept"])
                if isinstance(entries, dict):
                    self._index = entries
        return self._index

    def save(self, prune: bool = True) -> None:
        """Index the entries this build wrote, if any, and (`prune`) mark this build's entries
        as used now and drop those no build has used for days. Another process that wrote the
        index meanwhile (watch mode and a build of the same site) has its entries kept; should
        two write at the same instant, the entries one of them loses are misses, not errors."""
        if not self.added:
            return
        index = self.index()
        with contextlib.suppress(OSError):
            st = os.stat(self.root / INDEX)
            if (st.st_ino, st.st_size, st.st_mtime_ns) != self._index_stat:
                self._index = None  # changed since read: start from the new one
                index = self.index()
        now = time.time()
        for name, digests in self.added.items():
            index[name] = [now, digests]
        if prune:
            self._prune(index, now)
        with replacing(self.root / INDEX, ".index-") as fh:
            fh.write(json.dumps({"swept": self._swept, "entries": index},
                                separators=(",", ":")).encode())
        self.added = {}

    def _prune(self, index: dict[str, list], now: float) -> None:
        for name in self.used:
            if name in index and name not in self.added:
                index[name] = [now, index[name][1]]
        for name, listed in list(index.items()):
            try:
                old = now - float(listed[0]) > KEEP_UNUSED_SECONDS
                files = list(listed[1])
            except (TypeError, ValueError, LookupError):
                old, files = True, []
            if old and name not in self.used:
                del index[name]
                for file in files:
                    with contextlib.suppress(OSError):
                        os.unlink(f"{self.prefix}{name}.{file}")
        current = code_digest()[:32]  # compiled templates of other generator versions
        for compiled in (self.root / JINJA_FOLDER).glob("*"):
            if compiled.name != current:
                shutil.rmtree(compiled, ignore_errors=True)
        if now - self._swept > SWEEP_SECONDS:
            self._sweep(index, now)
            self._swept = now

    def _sweep(self, index: dict[str, list], now: float) -> None:
        """Remove what no index lists, once old: files of entries a killed build wrote but
        never indexed, temporary files, and folders of earlier cache formats."""
        def stale(path: str) -> bool:
            with contextlib.suppress(OSError):
                return now - os.lstat(path).st_mtime > KEEP_UNUSED_SECONDS
            return False

        for kind in _subfolders(str(self.root)):
            if kind.name == JINJA_FOLDER:
                continue
            for shard in _subfolders(kind.path):
                with os.scandir(shard.path) as files:
                    for file in files:
                        name, _, rest = file.name.partition(".")
                        if not _KEY.fullmatch(name):  # not an entry's file: not ours to remove
                            continue
                        listed = index.get(os.path.join(kind.name, shard.name, name))
                        try:
                            known = rest in listed[1]  # type: ignore[index]
                        except (TypeError, LookupError):
                            known = False
                        if not known and stale(file.path):
                            with contextlib.suppress(OSError):
                                os.unlink(file.path)
        with os.scandir(self.root) as files:  # a killed writer's index or output state
            for file in files:
                if file.name.startswith((".index-", ".state-")) and stale(file.path):
                    with contextlib.suppress(OSError):
                        os.unlink(file.path)
        for other in _subfolders(str(self.root.parent)):
            if (re.fullmatch(r"v\d+", other.name) and other.name != CACHE_FORMAT
                    and stale(other.path)):
                shutil.rmtree(other.path, ignore_errors=True)


def _subfolders(path: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(path) as entries:
            return [e for e in entries if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _create(path: str, data: bytes) -> None:
    """A new cache file's bytes through the OS directly: created where none is (the usual
    case: no folder, no temporary name), else written beside and renamed over the old one,
    whose inode output/ may share."""
    try:
        fd = os.open(path, _FLAGS, 0o666)
    except FileNotFoundError:  # a new shard folder, or the cache was removed meanwhile
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, _FLAGS, 0o666)
    except FileExistsError:
        tmp = f"{path}.~{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        _create(tmp, data)
        os.replace(tmp, path)
        return
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _read(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)  # a short read is the end of the file
        if len(data) <= size:
            return data
        chunks = [data]  # it grew meanwhile: the digest will tell
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 20))
        return b"".join(chunks)
    finally:
        os.close(fd)


# Why os.link can fail where a copy would do: another file system, no hard links there, or
# too many links to one file. Any other error (the destination exists, its folder does not)
# is the caller's to handle.
_NO_LINK = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}


def place(src: str, dest: str) -> None:
    """Put a cached file into the new output tree: a hard link where possible, else a copy.

    A hard-linked output file edited in place would change the cache entry too; the digest
    check in Cache.get turns that into a miss.
    """
    try:
        os.link(src, dest)
    except OSError as exc:
        if exc.errno not in _NO_LINK:
            raise
        shutil.copyfile(src, dest)
