"""`remit init DIR`: a new site, ready to build, in an empty or new folder."""

from __future__ import annotations

import argparse
import datetime as dt

from generator.errors import Problem, RemitError
from generator.scaffold.site import site_files


def run(args: argparse.Namespace) -> int:
    root = args.folder
    if root.exists() and not root.is_dir():
        raise RemitError([Problem(str(root), None, None, "exists and is not a folder")])
    if root.is_dir() and any(root.iterdir()):
        raise RemitError([Problem(str(root), None, None,
                                  "is not empty; `remit init` makes a new site in an empty or "
                                  "new folder and never overwrites files")])
    files = site_files(dt.date.today())
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"Made a new site in {root}:")
    for rel in files:
        print(f"  {rel}")
    print(f"Next: edit {root / 'site.toml'}, then `remit build {root}` "
          f"(or `remit serve {root}` to preview).")
    return 0
