"""Skip re-reading unchanged invoice files: a memo of valid invoices, kept in the build cache.

A file's entry is keyed by its bytes, its path, the parsed site settings, the languages the
theme offers and the generator's code: everything read_invoice and check_invoice look at.
Only files that were valid are remembered, so every problem is always found and reported by
the ordinary path. The memo holds exactly the files of the last load, so it never grows.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from generator.digest import (
    CACHE_FORMAT,
    MEMO_FILE,
    code_digest,
    digest,
    file_bytes,
    stable_repr,
)
from generator.errors import Problem
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.read.files import find_invoice_files, relative
from generator.theme import available_languages

SAVE_PART = 200  # invoices a pickle of the memo file holds; the file is a run of them


class InvoiceMemo:
    def __init__(self) -> None:
        self.path: Path | None = None
        self.known: dict[str, Invoice] = {}
        self.current: dict[str, Invoice] = {}
        # source rel -> key of this load: a digest of everything the file's Invoice is made
        # from, so it also identifies the invoice in the build cache's keys.
        self.keys: dict[str, str] = {}
        self.changed = False

    def load(self, settings: Settings) -> tuple[list[Path | Invoice], list[Problem]]:
        """Every invoice file (files.find_invoice_files), with the Invoice in place of each
        unchanged valid one."""
        self.path = settings.cache_dir / CACHE_FORMAT / MEMO_FILE
        # Unpickling makes ~100 objects an invoice and no cycles: the collector, which would
        # walk the growing heap again and again meanwhile, waits (a fifth of the load saved;
        # a build keeps it waiting for its whole read, then freezes what it read: Held in
        # build.py).
        paused = gc.isenabled()
        gc.disable()
        try:
            self.known = {}
            data = self.path.read_bytes()  # our own cache folder
            fh = io.BytesIO(data)
            while fh.tell() < len(data):
                part = pickle.load(fh)
                if not isinstance(part, dict):
                    raise TypeError(type(part))
                self.known.update(part)
        except Exception:  # missing, truncated or from another version: read every file
            self.known = {}
        finally:
            if paused:
                gc.enable()
        langs = ",".join(sorted(available_languages(settings.theme_dir)))
        base = digest(code_digest(), stable_repr(settings), langs)
        items: list[Path | Invoice] = []
        paths, problems = find_invoice_files(settings.content_dir, settings.root)
        for path in paths:
            rel = relative(path, settings.root)
            try:
                key = digest(base, rel, file_bytes(str(path)))
            except OSError:
                key = ""
            self.keys[rel] = key
            inv = self.known.get(key) if key else None
            if inv is not None and getattr(inv, "source", None) == rel:
                self.current[key] = inv
                items.append(inv)
                continue
            items.append(path)
        self.changed = set(self.current) != set(self.known)
        return items, problems

    def remember(self, rel: str, inv: Invoice) -> None:
        key = self.keys.get(rel)
        if key:
            self.current[key] = inv
            self.changed = True

    def save(self) -> None:
        """Write the memo if this load changed it (call after a successful load)."""
        if not self.changed or self.path is None:
            return
        # In parts, each with its own pickler: one pickler remembers every object it wrote
        # (~64 MB at 10,000 invoices, held while the workers still render) and is slower.
        items = list(self.current.items())
        with replacing(self.path, ".memo-") as fh:
            for start in range(0, len(items), SAVE_PART):
                pickle.dump(dict(items[start:start + SAVE_PART]), fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
        self.changed = False


@contextlib.contextmanager
def replacing(path: Path, prefix: str) -> Iterator[BinaryIO]:
    """A file written beside `path` that replaces it whole once closed: a build killed
    meanwhile leaves the old file, never half of a new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
