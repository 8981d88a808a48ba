"""The build cache: each invoice's rendered files, keyed by a hash of everything they depend on.

An entry is a folder `<kind>/<key[:2]>/<key>/` holding the files and a manifest of their
SHA-256 digests. Entries are written into a temporary folder and renamed into place, so a
crash leaves either a whole entry or none; every read re-hashes the files against the
manifest, so a truncated, edited or hard-link-modified file is a miss (re-rendered), never a
wrong page or PDF. The key is the only thing that decides validity: when in doubt, it must
include the doubtful input (see keys.py).

The same folder holds the memo of parsed invoices (read/memo.py) and compiled templates
(render/html.py; pruning keeps only the running generator's); pruning also removes the QR
codes that earlier versions kept there (render/qr.py's QR_FOLDER) once unused for days.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generator.digest import CACHE_FORMAT, JINJA_FOLDER, code_digest
from generator.render.qr import QR_FOLDER

MANIFEST = "manifest.json"
KEEP_UNUSED_SECONDS = 3 * 24 * 3600  # entries unused for this long are pruned


@dataclass(frozen=True)
class Entry:
    folder: Path
    sizes: dict[str, int]  # file name -> size in bytes

    def path(self, name: str) -> Path:
        return self.folder / name


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root / CACHE_FORMAT
        self.used: set[Path] = set()

    def _folder(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str,
            trusted: dict[str, dict[str, int]] | None = None) -> Entry | None:
        """The entry if its files are intact. An entry in `trusted` (its files verified by the
        output folder's stats, see output.OutputState) is taken without reading it again."""
        if trusted:
            # A plain string: this runs for every invoice of a no-op build.
            base = f"{self.root}{os.sep}{kind}{os.sep}{key[:2]}{os.sep}{key}"
            if base in trusted:
                folder = Path(base)
                self.used.add(folder)
                return Entry(folder, dict(trusted[base]))
        folder = self._folder(kind, key)
        try:
            manifest = json.loads((folder / MANIFEST).read_bytes())
            sizes = {}
            for name, want in manifest["files"].items():
                data = (folder / name).read_bytes()
                if hashlib.sha256(data).hexdigest() != want:
                    return None
                sizes[name] = len(data)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        self.used.add(folder)
        return Entry(folder, sizes)

    def adopt(self, entry: Entry) -> None:
        """An entry another process put into this cache for this build (kept when pruning)."""
        self.used.add(entry.folder)

    def put(self, kind: str, key: str, files: dict[str, bytes]) -> Entry:
        folder = self._folder(kind, key)
        try:  # the parent usually exists: one mkdir, not one per level (a failing syscall each)
            tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
        except FileNotFoundError:
            folder.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
        try:
            for name, data in files.items():
                _write(tmp / name, data)
            manifest = {"files": {n: hashlib.sha256(d).hexdigest() for n, d in files.items()}}
            _write(tmp / MANIFEST, json.dumps(manifest, sort_keys=True).encode())
            if folder.exists():  # a stale or damaged entry under the same key
                shutil.rmtree(folder, ignore_errors=True)
            os.replace(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.used.add(folder)
        return Entry(folder, {n: len(d) for n, d in files.items()})

    def prune(self) -> None:
        """Mark this build's entries as fresh and drop those no build has used for days."""
        now = time.time()
        for folder in self.used:
            with contextlib.suppress(OSError):
                os.utime(folder / MANIFEST, (now, now))
        if not self.root.is_dir():
            return
        # Entries live at <kind>/<key[:2]>/<key>/, three levels down; QR codes one level.
        for manifest in self.root.glob(f"*/*/*/{MANIFEST}"):
            folder = manifest.parent
            try:
                old = now - manifest.stat().st_mtime > KEEP_UNUSED_SECONDS
            except OSError:
                continue
            if old and folder not in self.used:
                shutil.rmtree(folder, ignore_errors=True)
        current = code_digest()[:32]  # compiled templates of other generator versions
        for compiled in (self.root / JINJA_FOLDER).glob("*"):
            if compiled.name != current:
                shutil.rmtree(compiled, ignore_errors=True)
        for code in (self.root / QR_FOLDER).glob("*.txt"):
            with contextlib.suppress(OSError):
                if now - code.stat().st_mtime > KEEP_UNUSED_SECONDS:
                    code.unlink()


def _write(path: Path, data: bytes) -> None:
    """A new file's bytes through the OS directly: no buffered file object for a file that is
    written once, whole (a worker writes three per invoice)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def place(src: Path, dest: Path) -> None:
    """Put a cached file into the new output tree: a hard link where possible, else a copy.

    A hard-linked output file edited in place would change the cache entry too; the digest
    check in Cache.get turns that into a miss.
    """
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)
