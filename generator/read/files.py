"""Find invoice files and split each into its TOML front matter and Markdown note."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.confine import walk
from generator.digest import file_bytes
from generator.errors import Problem
from generator.toml import Locator, parse_toml

FENCE = "+++"

# Editors' lock, swap, backup and probe files: `.#x` (Emacs lock), `#x#` (Emacs autosave),
# `x~` (backups), `.x.swp`/`.x.swx` (vim swap), `x.bck`/`x.bak`, `4913` (vim's write probe),
# `x.tmp`, and every dot-file (temporary files of atomic saves are mostly hidden). They are
# never invoices, and watch mode does not rebuild for them.
IGNORED = re.compile(r"^\.|^#|~$|\.sw[a-px]$|\.bck$|\.bak$|\.tmp$|^4913$")


@dataclass(frozen=True)
class Source:
    """One invoice file as read from disk, before any validation."""

    rel: str  # path relative to the site folder, as shown in messages
    text: str  # the TOML part only
    data: dict[str, Any]
    body: str | None  # Markdown note of a .md file; None for .toml
    first_line: int  # line number of the TOML part's first line in the file
    locator: Locator = field(repr=False, compare=False, hash=False)


def split_front_matter(raw: str, rel: str) -> tuple[str, str, int] | Problem:
    """Return (toml, body, first toml line) of a `+++`-fenced Markdown file."""
    lines = raw.splitlines(keepends=True)
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or lines[start].strip() != FENCE:
        return Problem(rel, start + 1 if start < len(lines) else 1, None,
                       "missing front matter: the file must start with a '+++' line, "
                       "then TOML, then another '+++' line")
    for end in range(start + 1, len(lines)):
        if lines[end].strip() == FENCE:
            toml_text = "".join(lines[start + 1:end])
            body = "".join(lines[end + 1:])
            return toml_text, body, start + 2
    return Problem(rel, start + 1, None,
                   "front matter is not closed: add a '+++' line after the TOML")


def relative(path: Path, site_dir: Path) -> str:
    """`path` relative to the site folder, with "/": as path.relative_to(site_dir).as_posix(),
    which takes ~10 us a file (a large first build reads thousands)."""
    name, root = str(path), f"{site_dir}{os.sep}"
    if name.startswith(root):
        return name[len(root):].replace(os.sep, "/")
    return path.relative_to(site_dir).as_posix()


def read_source(path: Path, site_dir: Path) -> Source | Problem:
    rel = relative(path, site_dir)
    try:
        # As read_text would, in four system calls instead of ten: universal newlines.
        raw = file_bytes(str(path)).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        return Problem(rel, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        return Problem(rel, None, None, f"cannot read: {exc.strerror}")
    raw = raw.removeprefix("\ufeff")
    if path.suffix == ".md":
        split = split_front_matter(raw, rel)
        if isinstance(split, Problem):
            return split
        toml_text, body, first = split
    else:
        toml_text, body, first = raw, None, 1
    data, problem = parse_toml(toml_text, rel, first)
    if problem:
        return problem
    assert data is not None
    return Source(rel, toml_text, data, body, first, Locator(toml_text, first))


def find_invoice_files(content_dir: Path, site_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every invoice file under content/, and a problem for each symbolic link there that
    loops, dangles or leaves content/ (none is followed)."""
    if not content_dir.is_dir():
        return [], []
    files, bad = walk(content_dir, skip=lambda name: bool(IGNORED.search(name)))
    problems = [Problem(shown(path, site_dir), None, None, message) for path, message in bad]
    return [p for p in files if p.suffix in (".md", ".toml")], problems


def shown(path: Path, site_dir: Path) -> str:
    return path.relative_to(site_dir).as_posix() if path.is_relative_to(site_dir) else str(path)
