"""Keep the theme's message catalogs in step with its templates (`make messages`).

Extracts every translatable string into messages.pot, then merges it into each language's
messages.po, keeping existing translations. With --fill FILE, also sets translations from a
Python file defining dicts named after languages (RU, AF, ...): a way to add many at once.
"""

from __future__ import annotations

import argparse
import runpy
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "themes" / "default" / "locales"
LANGUAGES = ("en", "ru", "af")


def extract() -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "--no-location", "--sort-output",
         "--omit-header", "-o", str(LOCALES / "messages.pot"), "."],
        cwd=ROOT, check=True, capture_output=True)


def update(fill: dict[str, dict] | None) -> None:
    with (LOCALES / "messages.pot").open("rb") as fh:
        template = read_po(fh)
    for lang in LANGUAGES:
        po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.exists():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            from babel.messages.catalog import Catalog
            catalog = Catalog(locale=lang, project="Remit", domain="messages")
        created = catalog.creation_date  # keep: a date-only diff in every catalog is noise
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = created
        catalog.obsolete.clear()
        catalog.fuzzy = False
        for key, value in (fill or {}).get(lang.upper(), {}).items():
            msg = catalog.get(key[0] if isinstance(key, tuple) else key)
            if msg is not None:
                msg.string = tuple(value) if isinstance(value, list) else value
                msg.flags.discard("fuzzy")
        with po.open("wb") as fh:
            write_po(fh, catalog, omit_header=False, no_location=True, sort_output=True,
                     width=100)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fill", type=Path, help="Python file with RU/AF/... dicts of translations")
    args = ap.parse_args()
    extract()
    update(runpy.run_path(str(args.fill)) if args.fill else None)


if __name__ == "__main__":
    main()
