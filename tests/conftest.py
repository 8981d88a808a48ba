"""Shared fixtures: a throwaway site per test, built with a fixed secret and a fixed day."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

from generator.build import build
from tests.systools import system_tool

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)
SECRET = "test-secret"

SITE_TOML = """\
title = "Test invoices"
base_url = "https://example.github.io/invoices/"
language = "en"
timezone = "Europe/Berlin"
currency = "EUR"

[seller]
name = "Anna Lindqvist"
company = "Studio Lindqvist"
address = "Lindenstraße 12\\n10969 Berlin"
email = "billing@studio.example"
phone = "+49 30 1234 5678"
"""

INVOICE = """\
+++
number = "T-1"
issued = 2026-11-01
due = 2026-11-30

[client]
name = "Jonas Weber"
email = "jonas@example.com"

[[items]]
description = "Work"
quantity = 2
unit_price = 100.00
tax_rate = 19
+++
Thanks!
"""


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through Playwright, one per session (Playwright's sync API allows
    one running instance per thread). Skips without chromium (tests/systools.py)."""

    chromium = system_tool("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REMIT_SECRET", SECRET)
    monkeypatch.delenv("REMIT_BASE_URL", raising=False)
    monkeypatch.delenv("REMIT_REQUIRE_SECRET", raising=False)


class SiteDir:
    """A site folder under tmp_path with helpers to write invoices and build them."""

    def __init__(self, root: Path, fresh: bool = True) -> None:
        self.root = root
        if fresh:
            (root / "content").mkdir(parents=True, exist_ok=True)
            (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def invoice(self, name: str = "t-1.md", text: str = INVOICE) -> Path:
        return self.write(f"content/{name}", text)

    def build(self, today: dt.date = TODAY, **kwargs: object):
        # Pages only unless a test asks for PDFs: printing costs ~0.1 s per invoice, and the
        # PDF tests (test_pdf*.py) build the examples with PDFs once per session.
        kwargs.setdefault("pdf", False)
        return build(self.root, today=today, **kwargs)  # type: ignore[arg-type]

    @property
    def output(self) -> Path:
        return self.root / "output"

    def pages(self) -> dict[str, BeautifulSoup]:
        """Every invoice page in output/, keyed by the invoice number shown on it."""
        found = {}
        for page in sorted(self.output.glob("*/index.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            found[soup.select_one(".doc-id strong").get_text(strip=True)] = soup
        return found


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    return SiteDir(tmp_path / "site")


@pytest.fixture
def example_site(tmp_path: Path) -> SiteDir:
    """A copy of the shipped example site, so tests never write into the repository."""
    root = tmp_path / "example"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "content", root / "content")
    return SiteDir(root, fresh=False)


@pytest.fixture(scope="session")
def examples_built(tmp_path_factory):
    """The shipped examples built once (pages only) for 2026-11-23: (site, report, pages)."""
    root = tmp_path_factory.mktemp("examples-built")
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "content", root / "content")
    site = SiteDir(root, fresh=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", SECRET)
        report = site.build(today=TODAY)
    return site, report, site.pages()


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    root = tmp_path_factory.mktemp("examples") / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "content", root / "content")
    site = SiteDir(root, fresh=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", SECRET)
        mp.delenv("REMIT_BASE_URL", raising=False)
        report = site.build(pdf=True, jobs=2)
    assert report.pages == 10
    return site


def tree_snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}



@pytest.fixture(scope="session")
def sealed_builds(tmp_path_factory):
    """The examples built plain, encrypted, and encrypted without sealing (tests/sealed_sites)."""
    from tests.sealed_sites import build_examples, build_twin
    base = tmp_path_factory.mktemp("sealed")
    return {"plain": build_examples(base / "plain", None, pdf=False),
            "sealed": build_examples(base / "sealed", "encrypted"),
            "twin": build_twin(base / "twin")}
