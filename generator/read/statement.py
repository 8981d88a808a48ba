"""Read a bank statement file, whatever its format: camt XML, MT940, or the bank's CSV."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from generator.errors import Problem, RemitError
from generator.model.statement import CsvLayout, Line
from generator.read.camt import read_camt
from generator.read.csv_statement import read_csv
from generator.read.mt940_statement import looks_like_mt940, read_mt940

# Control characters (terminal escapes among them) never reach the terminal, the invoice file
# or the page: a statement is downloaded from outside, and its text is the payer's.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_TEXTS = ("text", "reference", "payer", "line_id", "bank_reference", "unclear")


def clean(line: Line) -> Line:
    changed = {}
    for name in _TEXTS:
        value = getattr(line, name)
        if value and _CONTROL.search(value):
            changed[name] = _CONTROL.sub(" ", value).strip() or None
    if any(_CONTROL.search(p) for p in line.text_parts):
        changed["text_parts"] = tuple(_CONTROL.sub(" ", p) for p in line.text_parts)
    return dataclasses.replace(line, **changed) if changed else line


def read_statement(path: Path, shown: str, layout: CsvLayout | None) -> list[Line]:
    """Every line of the statement at `path` (named `shown` in messages); RemitError if any
    part of it cannot be read, so that nothing is recorded from half a statement."""
    return [clean(line) for line in _read(path, shown, layout)]


def _read(path: Path, shown: str, layout: CsvLayout | None) -> list[Line]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RemitError([Problem(shown, None, None, f"cannot read: {exc.strerror}")]) from None
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return read_camt(data, shown)
    if layout is not None and layout.encoding.lower().replace("_", "-") not in (
            "utf-8", "utf-8-sig", "utf8"):
        text = _decode(data, shown, layout.encoding)
    else:
        # MT940 files of German banks are often Latin-1; UTF-8 first, as it is stricter.
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_mt940(text):
        return read_mt940(text, shown)
    return read_csv(text, shown, layout)


def _decode(data: bytes, shown: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise RemitError([Problem(shown, None, None, f"not {encoding} text ({exc}); set "
                                  "encoding in site.toml [reconcile.csv]")]) from None
