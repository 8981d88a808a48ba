"""Builds shared by the encrypted-site tests: the shipped examples built three ways, once.

- `plain`: privacy = "link", as the examples ship (less the one explicit slug), pages only;
- `sealed`: the same site with privacy = "encrypted";
- `twin`: the encrypted site with sealing switched off at its one seam
  (write.invoices.sealer), so it has the same addresses and links: what the sealed files
  must decrypt to, byte for byte.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import build
from generator.model.site import Site
from generator.read.site import load_site
from tests.conftest import REPO, SECRET, TODAY


@dataclass(frozen=True)
class Built:
    root: Path
    site: Site

    @property
    def output(self) -> Path:
        return self.root / "output"


def copy_examples(root: Path, privacy: str | None) -> Path:
    root.mkdir(parents=True)
    toml = (REPO / "site.toml").read_text("utf-8")
    if privacy:
        toml = toml.replace('theme = "default"\n', f'theme = "default"\nprivacy = "{privacy}"\n')
    (root / "site.toml").write_text(toml, "utf-8")
    shutil.copytree(REPO / "content", root / "content")
    # An explicit slug names the client; an encrypted site refuses it (tested elsewhere).
    for path in (root / "content").rglob("*.md"):
        text = path.read_text("utf-8")
        path.write_text(re.sub(r"(?m)^slug = .*\n", "", text), "utf-8")
    return root


def build_examples(root: Path, privacy: str | None, pdf: bool = True) -> Built:
    copy_examples(root, privacy)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", SECRET)
        build(root, today=TODAY, pdf=pdf, jobs=2)
        site = load_site(root)
    return Built(root, site)


def build_twin(root: Path) -> Built:
    """The encrypted site built with every file left as rendered (same paths and links)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("generator.write.invoices.sealer", lambda *args: None)
        return build_examples(root, "encrypted")


def sealed_box(page: bytes) -> dict[str, str]:
    """The sealed page inside a shell: its name, base64 data and passphrase attributes."""
    from bs4 import BeautifulSoup
    box = BeautifulSoup(page.decode("utf-8"), "html.parser").select_one("#remit-sealed")
    assert box is not None
    return {**{k: v for k, v in box.attrs.items() if isinstance(v, str)},
            "data": box.get_text().strip()}


def dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True)
