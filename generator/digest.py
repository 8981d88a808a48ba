"""Digests that identify inputs: the same inputs give the same key in every process.

Used by the build cache's keys and the memo of parsed invoices alike; everything they store
lives under `<cache_dir>/CACHE_FORMAT/`."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Iterable
from functools import cache
from importlib.util import find_spec
from pathlib import Path

CACHE_DIR = ".remit-cache"  # in the site folder; git-ignored
CACHE_FORMAT = "v2"  # bump when the layout or meaning of any cache file changes
MEMO_FILE = "invoices.pickle"  # read/memo.py's parsed invoices (its time: render/spare.py)
# Compiled templates: <cache_dir>/CACHE_FORMAT/JINJA_FOLDER/<code_digest()[:32]>/ (render/html.py)
JINJA_FOLDER = "jinja"
PACKAGE_DIR = Path(__file__).resolve().parent


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))  # length-prefixed: no ambiguous concatenation
        h.update(data)
    return h.hexdigest()


def file_bytes(name: str) -> bytes:
    """A whole file in four system calls, where open() and read() make ten (a no-op build
    reads every invoice file, and the generator's sources)."""
    fd = os.open(name, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def tree_files(root: Path, skip: tuple[str, ...] = ("__pycache__",), suffix: str = "",
               ) -> list[str]:
    """Every file under `root` whose name ends with `suffix`, as a sorted path relative to it
    with "/"; neither folders named in `skip` nor links to folders are entered (as rglob).
    os.scandir: pathlib's rglob took half the time of hashing what it found."""
    found: list[str] = []
    todo = [""]
    while todo:
        folder = todo.pop()
        with os.scandir(root / folder if folder else root) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in skip:
                        todo.append(folder + entry.name + "/")
                elif entry.name.endswith(suffix) and entry.is_file():
                    found.append(folder + entry.name)
    return sorted(found)


def files_digest(roots: Iterable[Path]) -> str:
    parts: list[bytes | str] = []
    for root in dict.fromkeys(r.resolve() for r in roots):
        if root.is_dir():
            parts += [part for rel in tree_files(root)
                      for part in (rel, file_bytes(str(root / rel)))]
    return digest(*parts)


@cache
def version(package: str) -> str:
    """An installed distribution's version, read from the name of its .dist-info folder
    beside the package (importlib.metadata would cost a no-op build ~20 ms to import)."""
    spec = find_spec(package)
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent.parent
        prefix = re.sub(r"[-_.]+", "_", package).lower() + "-"
        with os.scandir(folder) as entries:
            found = [e.name[len(prefix):-len(".dist-info")] for e in entries
                     if e.name.lower().startswith(prefix) and e.name.endswith(".dist-info")]
        if len(found) == 1:
            return found[0]
    from importlib.metadata import version as dist_version

    return dist_version(package)


@cache
def code_digest() -> str:
    """The generator's sources and the libraries that shape its output (once per process).
    Bundled themes are left out: a build's keys hash the theme it uses anyway."""
    libs = ", ".join(f"{n} {version(n)}" for n in ("jinja2", "babel", "markdown", "nh3"))
    sources = tree_files(PACKAGE_DIR, ("__pycache__", "themes"), ".py")
    return digest(*(part for rel in sources
                    for part in (rel, file_bytes(str(PACKAGE_DIR / rel)))), libs)


def stable_repr(value: object) -> str:
    """repr() with sets and dicts in sorted order, so a key is the same in every process
    (set order follows string hashing, which Python randomises per process)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(f"{f.name}={stable_repr(getattr(value, f.name))}"
                          for f in dataclasses.fields(value))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(stable_repr(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(stable_repr(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{stable_repr(k)}: {stable_repr(v)}"
                                      for k, v in value.items())) + "}"
    return repr(value)
