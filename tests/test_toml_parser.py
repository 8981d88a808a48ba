"""Front matter is read by tomli (compiled: faster) exactly as Python's own tomllib reads it.

The pin in pyproject.toml matters: a tomli that reads TOML 1.1 would accept files tomllib,
and the TOML 1.0 every editor checks against, refuse; one whose messages changed would
explain a bad file in other words. Both would fail here.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from generator.read.files import split_front_matter
from generator.toml import Locator, parse_toml

REPO = Path(__file__).resolve().parent.parent


def _front_matters() -> list[tuple[str, str, int]]:
    found = []
    for path in sorted((REPO / "content").rglob("*")):
        if path.suffix == ".md":
            split = split_front_matter(path.read_text("utf-8"), path.name)
            assert isinstance(split, tuple), path.name
            found.append((path.name, split[0], split[2]))
        elif path.suffix == ".toml":
            found.append((path.name, path.read_text("utf-8"), 1))
    found.append(("site.toml", (REPO / "site.toml").read_text("utf-8"), 1))
    return found


def test_every_example_file_reads_as_tomllib_reads_it():
    files = _front_matters()
    assert len(files) > 10
    for name, text, first in files:
        data, problem = parse_toml(text, name, first)
        assert problem is None, name
        assert data == tomllib.loads(text, parse_float=Decimal), name
        # Same types too (Decimal, not float; date, not datetime): == alone would let 1 == 1.0.
        assert repr(data) == repr(tomllib.loads(text, parse_float=Decimal)), name


BAD = [
    # TOML 1.1 only: tomllib (TOML 1.0) refuses them, so must Remit.
    'a = {x = 1,\n  y = 2}', 'a = {x = 1, }', 'a = "\\e"', 'a = "\\x41"', 'a = 10:30',
    'a = 2026-01-01T10:30',
    # Everyday mistakes.
    'issued = 2026-02-30', 'a = ', 'title = "x', 'a = 1\na = 2', '[x]\n[x]', 'a = 1.5.3',
    'a = [1, 2', 'a b = 1', 'draft = tru', 'due = 2026-13-01', 'a = """x', "a = 'x", 'a = 01',
    '= 1', 'a = {x = 1}\na.y = 2', 'due = 2026-11-31', 'x = 2026-11-30T10:00:00+25:00',
]


@pytest.mark.parametrize("text", BAD)
def test_bad_toml_is_refused_in_tomllib_s_words(text):
    with pytest.raises(tomllib.TOMLDecodeError) as expected:
        tomllib.loads(text, parse_float=Decimal)
    data, problem = parse_toml(text, "t.md", 2)
    assert data is None and problem is not None
    words = str(expected.value).split(" (at ")[0]
    assert problem.message.startswith(f"invalid TOML: {words}")


def test_the_locator_scans_only_when_asked_and_finds_the_same_lines():
    text = 'number = "1"\n[client]\nname = "A"\n[[items]]\nquantity = 1\n[[items]]\nunit = "h"\n'
    lazy = Locator(text, 2)
    assert "sections" not in vars(lazy)  # a valid file never pays for the scan
    assert [lazy.line_of(p) for p in ("number", "client.name", "items[1].unit", "nope")] == \
        [2, 4, 8, None]
