"""TOML text in, data out: exact decimals, and where in the file each field was written.

Parsed by tomli, the parser Python's tomllib was made from, compiled (pyproject.toml says why)."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property
from typing import Any

import tomli

from generator.errors import Problem


def parse_toml(text: str, rel: str, first_line: int = 1,
               ) -> tuple[dict[str, Any] | None, Problem | None]:
    try:
        return tomli.loads(text, parse_float=Decimal), None
    except tomli.TOMLDecodeError as exc:
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


class Locator:
    """Best-effort map from a field path such as `items[2].quantity` to a line number.

    tomli keeps no positions, so we scan the text for table headers and keys; when the
    scan is unsure it answers None and the message names the field alone.
    """

    _header = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
    _key = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first = first_line

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def sections(self) -> list[tuple[int, str, int]]:
        """(line index, table path, array index) for each header; top level has path "".
        Scanned when a line is first asked for: a valid file never needs it."""
        sections: list[tuple[int, str, int]] = [(-1, "", 0)]
        counts: dict[str, int] = {}
        for i, line in enumerate(self.lines):
            m = self._header.match(line)
            if m and not self._key.match(line):
                name = re.sub(r"\s*\.\s*", ".", m.group(1).replace('"', "").replace("'", ""))
                idx = counts.get(name, 0)
                if line.lstrip().startswith("[["):
                    counts[name] = idx + 1
                sections.append((i, name, idx))
        return sections

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
