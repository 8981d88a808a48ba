"""Invoice files read, parsed and checked one by one: each file's Invoice (or None) and
problems depend on nothing but the file, the settings, the theme's languages and site.toml's
lines, so a large first build hands batches of them to the worker pool (render/pool.py's
parse_in_pool) while a small one reads them here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from generator.errors import Problem
from generator.figures.checks import check_invoice
from generator.figures.einvoice_checks import einvoice_problems
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.read.files import read_source
from generator.read.invoice import read_invoice
from generator.toml import Locator

# One file's outcome: its Invoice when it is valid, and every problem found in it.
Parsed = tuple[Invoice | None, list[Problem]]
# How load_site has its pending files parsed: each file's outcome, in the files' order.
Parse = Callable[[list[Path], Settings, frozenset[str], Locator | None], Iterator[Parsed]]


def parse_file(path: Path, settings: Settings, languages: frozenset[str],
               site_toml: Locator | None) -> Parsed:
    src = read_source(path, settings.root)
    if isinstance(src, Problem):
        return None, [src]
    problems: list[Problem] = []
    inv = read_invoice(src, settings, problems, languages)
    if inv is None:
        return None, problems
    found = check_invoice(inv, src.locator) + einvoice_problems(inv, src.locator, site_toml)
    return (None if found else inv), problems + found


def parse_files(paths: list[Path], settings: Settings, languages: frozenset[str],
                site_toml: Locator | None) -> Iterator[Parsed]:
    """Each file's outcome, in order (here, in this process)."""
    for path in paths:
        yield parse_file(path, settings, languages, site_toml)


def parse_batch(paths: list[Path], settings: Settings, languages: frozenset[str],
                site_toml: Locator | None) -> list[Parsed]:
    """A pool task: a batch of files, so that the settings are pickled once a batch."""
    return list(parse_files(paths, settings, languages, site_toml))
