"""Append [[payments]] entries to invoice files, and nothing else: `remit reconcile` only.

Every other byte of the file stays as it was (comments, order, formatting, the Markdown note):
new entries are appended as text at the end of the TOML part, rendered by tomlkit. Only a file
that keeps its payments in an inline array (`payments = [...]`) is edited through tomlkit's
document, which keeps the rest of the file as written. Either way the result is read back and
must hold exactly the old data plus the new entries (for a file without payments, reading the
added tables is the same proof), or nothing is written. Files are replaced atomically, so an
interrupted run leaves each file either old or new, never half-written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli
import tomlkit
from tomlkit.items import AoT, Array

from generator.errors import Problem, RemitError
from generator.model.invoice import Payment
from generator.read.files import FENCE

_AOT = re.compile(r"^[ \t]*\[\[[ \t]*(?:payments|\"payments\"|'payments')[ \t]*\]\]",
                  re.MULTILINE)


@dataclass(frozen=True)
class Edit:
    path: Path
    rel: str
    old: str
    new: str

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(keepends=True),
                                            self.new.splitlines(keepends=True),
                                            fromfile=f"a/{self.rel}", tofile=f"b/{self.rel}"))


def _split(raw: str, markdown: bool) -> tuple[str, str, str] | None:
    """(before, toml, after) of a file: the TOML part between its `+++` fences in Markdown."""
    if not markdown:
        return "", raw, ""
    lines = raw.splitlines(keepends=True)
    fences = [n for n, line in enumerate(lines) if line.strip() == FENCE]
    if len(fences) < 2 or any(line.strip() for line in lines[:fences[0]]):
        return None
    start, end = fences[0], fences[1]
    return "".join(lines[:start + 1]), "".join(lines[start + 1:end]), "".join(lines[end:])


def _value(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return tomlkit.item(value).as_string()


def entry_fields(p: Payment) -> list[tuple[str, Any]]:
    fields: list[tuple[str, Any]] = [("date", p.date), ("amount", p.amount)]
    fields += [(k, v) for k, v in (("method", p.method), ("reference", p.reference),
                                   ("id", p.id)) if v]
    return fields


def render(payments: list[Payment], nl: str) -> str:
    return "".join(f"{nl}[[payments]]{nl}" + "".join(f"{k} = {_value(v)}{nl}"
                                                      for k, v in entry_fields(p))
                   for p in payments)


def _inline(array: Array, payments: list[Payment]) -> None:
    for p in payments:
        table = tomlkit.inline_table()
        for k, v in entry_fields(p):
            table[k] = tomlkit.item(float(v)) if isinstance(v, Decimal) else v
        array.append(table)


def _as_data(p: Payment) -> dict[str, Any]:
    return dict(entry_fields(p))


def appended(path: Path, rel: str, payments: list[Payment]) -> Edit:
    """The file at `path` with `payments` appended; RemitError if that cannot be done exactly."""
    def fail(message: str) -> RemitError:
        return RemitError([Problem(rel, None, "payments", message + "; nothing was written")])

    raw = path.read_bytes().decode("utf-8")
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    text = raw.removeprefix(bom)
    nl = "\r\n" if "\r\n" in text else "\n"
    split = _split(text, path.suffix == ".md")
    if split is None:
        raise fail("the front matter changed since it was read")
    before, toml_text, after = split
    old = tomli.loads(toml_text, parse_float=Decimal)
    current = old.get("payments")
    want = [*(current or []), *(_as_data(p) for p in payments)]
    if current is None:
        # [[payments]] tables after the end of a complete TOML text without any payments
        # can only add those: reading back what is added is proof enough (and fast).
        added = render(payments, nl)
        body = toml_text if not toml_text or toml_text.endswith(("\n", "\r")) else toml_text + nl
        if _normal(tomli.loads(added, parse_float=Decimal)["payments"]) != _normal(want):
            raise fail("the new entries do not read back as written")
        return Edit(path, rel, raw, bom + before + body + added + after)
    # Existing [[payments]] tables: append as text, and read the whole file back. Only when
    # that is not it (an inline array) does tomlkit edit the document: it knows how to add to
    # an array in place (and it is slow on a thousand files).
    candidates = []
    if _AOT.search(toml_text):
        body = toml_text if toml_text.endswith(("\n", "\r")) else toml_text + nl
        candidates.append(lambda: body + render(payments, nl))
    candidates.append(lambda: _with_tomlkit(toml_text, payments))
    for make in candidates:
        new_toml = make()
        if new_toml is not None and _reads_as(new_toml, {**old, "payments": want}):
            return Edit(path, rel, raw, bom + before + new_toml + after)
    raise fail("'payments' is laid out in a way Remit cannot add to without changing other "
               "fields; add these entries by hand")


def _with_tomlkit(toml_text: str, payments: list[Payment]) -> str | None:
    doc = tomlkit.parse(toml_text)
    existing = doc.get("payments")
    if isinstance(existing, AoT):
        return None  # appended as text, or nothing would do
    if not isinstance(existing, Array):
        return None
    _inline(existing, payments)
    new_toml = tomlkit.dumps(doc)
    # tomlkit writes floats as Python does (1800.0); amounts must stay exact text.
    for p in payments:
        new_toml = new_toml.replace(f"amount = {float(p.amount)!r}",
                                    f"amount = {format(p.amount, 'f')}", 1)
    return new_toml


def _reads_as(toml_text: str, want: dict[str, Any]) -> bool:
    try:
        return _normal(tomli.loads(toml_text, parse_float=Decimal)) == _normal(want)
    except tomli.TOMLDecodeError:
        return False


def _normal(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _normal(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_normal(v) for v in data]
    if isinstance(data, float | int) and not isinstance(data, bool):
        return Decimal(str(data))
    if isinstance(data, dt.datetime):
        return data
    return data


def _write_temp(edit: Edit) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{edit.path.name}.", suffix=".tmp", dir=edit.path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(edit.new)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, edit.path.stat().st_mode & 0o7777)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_all(edits: list[Edit]) -> None:
    """Write every file next to itself under a dot-name (the loader and watch mode ignore
    those) and flush it to disk, then rename each over its original: a reader sees each file
    old or new, never a mix, and a full disk stops the run before any invoice changed.

    The flushes run in threads: the file system then commits them together (one fsync after
    another costs ~6 ms each, and a statement may pay a thousand invoices)."""
    temps: list[str | None] = [None] * len(edits)

    def one(n: int) -> None:
        temps[n] = _write_temp(edits[n])

    try:
        with ThreadPoolExecutor(max_workers=min(32, len(edits) or 1)) as pool:
            for future in [pool.submit(one, n) for n in range(len(edits))]:
                future.result()
        for n, edit in enumerate(edits):
            os.replace(temps[n], edit.path)  # type: ignore[arg-type]
            temps[n] = None
    finally:
        for tmp in temps:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
