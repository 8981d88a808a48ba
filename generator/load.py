"""Stage 1: find invoice files, split front matter, parse TOML with exact decimals."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.errors import Problem

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


def parse_toml(text: str, rel: str, first_line: int = 1,
               ) -> tuple[dict[str, Any] | None, Problem | None]:
    try:
        return tomllib.loads(text, parse_float=Decimal), None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line, key = None, None
        m = re.search(r"line (\d+)", msg)
        if m:
            local = int(m.group(1))
            line = local + first_line - 1
            msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
            lines = text.splitlines()
            k = Locator._key.match(lines[local - 1]) if 0 < local <= len(lines) else None
            key = k.group(1).replace(" ", "") if k else None
        if key and "date" in msg.lower():
            msg += "; expected a real date such as 2026-11-30"
        return None, Problem(rel, line, key, f"invalid TOML: {msg}")


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


def read_source(path: Path, site_dir: Path) -> Source | Problem:
    rel = path.relative_to(site_dir).as_posix()
    try:
        raw = path.read_text(encoding="utf-8")
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


def find_invoice_files(content_dir: Path) -> list[Path]:
    if not content_dir.is_dir():
        return []
    found = [
        p for p in content_dir.rglob("*")
        if p.suffix in (".md", ".toml") and p.is_file()
        and not any(IGNORED.search(part) for part in p.relative_to(content_dir).parts)
    ]
    return sorted(found)


def load_sources(site_dir: Path, content_dir: Path) -> tuple[list[Source], list[Problem]]:
    sources: list[Source] = []
    problems: list[Problem] = []
    for path in find_invoice_files(content_dir):
        result = read_source(path, site_dir)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            sources.append(result)
    return sources, problems


class Locator:
    """Best-effort map from a field path such as `items[2].quantity` to a line number.

    tomllib keeps no positions, so we scan the text for table headers and keys; when the
    scan is unsure it answers None and the message names the field alone.
    """

    _header = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
    _key = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")

    def __init__(self, text: str, first_line: int) -> None:
        self.lines = text.splitlines()
        self.first = first_line
        # (line index, table path, array index) for each header; top level has path "".
        self.sections: list[tuple[int, str, int]] = [(-1, "", 0)]
        counts: dict[str, int] = {}
        for i, line in enumerate(self.lines):
            m = self._header.match(line)
            if m and not self._key.match(line):
                name = re.sub(r"\s*\.\s*", ".", m.group(1).replace('"', "").replace("'", ""))
                idx = counts.get(name, 0)
                if line.lstrip().startswith("[["):
                    counts[name] = idx + 1
                self.sections.append((i, name, idx))

    def line_of(self, path: str) -> int | None:
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
        table, index, keys = "", None, []
        for part in parts:
            if part.startswith("["):
                index = int(part[1:-1])
            elif index is None and not keys and self._has_table(f"{table}.{part}".strip(".")):
                table = f"{table}.{part}".strip(".")
            else:
                keys.append(part)
        for n, (start, name, idx) in enumerate(self.sections):
            if name != table or (index is not None and idx != index):
                continue
            end = self.sections[n + 1][0] if n + 1 < len(self.sections) else len(self.lines)
            if not keys:
                return start + self.first if start >= 0 else None
            for i in range(start + 1, end):
                m = self._key.match(self.lines[i])
                if m and re.sub(r"\s+", "", m.group(1)).split(".")[0] == keys[0]:
                    return i + self.first
            return start + self.first if start >= 0 else None
        # Dotted or inline forms at top level (client.name = ..., client = { ... }).
        head = path.split(".")[0].split("[")[0]
        for i, line in enumerate(self.lines):
            m = self._key.match(line)
            if m and re.sub(r"\s+", "", m.group(1)).split(".")[0] == head:
                return i + self.first
            if self._header.match(line):
                break
        return None

    def _has_table(self, name: str) -> bool:
        # [payment.sepa] alone makes `payment` a table too, without a [payment] header.
        return any(n == name or n.startswith(name + ".") for _, n, _ in self.sections)
