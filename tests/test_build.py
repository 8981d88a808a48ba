"""A minimal site builds into private, noindexed pages whose figures a client can read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.urls import token
from tests.conftest import INVOICE, SECRET, TODAY, tree_snapshot


def test_invoice_page_shows_total_and_due_date(site):
    site.invoice()
    report = site.build()
    assert report.pages == 1
    page = site.pages()["T-1"]
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    totals = {row.th.get_text(strip=True): row.td.get_text(strip=True)
              for row in page.select("table.totals tr")}
    assert totals["Subtotal"] == "€200.00"
    assert totals["Tax 19% on €200.00"] == "€38.00"
    assert totals["Total"] == "€238.00"
    assert page.select_one("[data-amount-due]").get_text(strip=True) == "€238.00"
    assert "November 30, 2026" in page.select_one(".summary").get_text()


def test_private_url_uses_secret_token_and_is_listed_nowhere(site):
    site.invoice()
    site.build()
    folder = f"t-1-{token('test-secret', 'T-1')}"
    assert (site.output / folder / "index.html").is_file()
    for public in ("index.html", "404.html", "robots.txt"):
        assert folder not in (site.output / public).read_text(encoding="utf-8")
    home = BeautifulSoup((site.output / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Studio Lindqvist" in home.get_text()
    assert "T-1" not in home.get_text()


def test_a_no_op_build_imports_neither_weasyprint_nor_watchdog_nor_the_renderer(site):
    """Nor Jinja (the site-wide pages come from the build cache too), cryptography (for
    encrypted sites only), qrcode, importlib.metadata, lxml (e-invoices) or the invoice
    parser (every file comes from the memo): a no-op build is mostly start-up."""
    site.invoice()
    site.build(pdf=True)
    heavy = ("weasyprint", "watchdog", "generator.render.invoice", "jinja2", "cryptography",
             "qrcode", "importlib.metadata", "lxml", "generator.read.parse")
    code = ("import sys; from generator.cli.main import main; "
            f"rc = main(['build', {str(site.root)!r}, '--today', '{TODAY}']); "
            f"print(rc, sorted(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "REMIT_SECRET": SECRET}, check=True)
    assert "0 re-rendered" in result.stdout and result.stdout.endswith("0 []\n"), result


def test_a_first_build_that_fails_midway_leaves_no_tree_behind(site):
    """A first build links each invoice's files into a new tree as they are rendered: when
    a later invoice fails, that tree goes, and no output/ appears."""
    import pytest

    from generator.errors import RemitError

    site.invoice()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    site.write("themes/broken/templates/personal.html", "{{ no_such_value.at_all }}")
    site.write("site.toml", 'theme = "broken"\n' + (site.root / "site.toml").read_text("utf-8"))
    with pytest.raises(RemitError):
        site.build()
    assert not site.output.exists()
    assert not [p.name for p in site.root.iterdir() if p.name.startswith(".output-")]


def test_tokens_are_the_first_twenty_base32_characters_of_the_numbers_hmac():
    """What every published URL is made of: links already sent to clients depend on these
    exact characters, however the token is computed."""
    import base64
    import hashlib
    import hmac

    from generator.urls import statement_path

    for secret, number in [("test-secret", "T-1"), ("s3cret", "2026-001"), ("ü", "Ä/7" * 40)]:
        mac = hmac.new(secret.encode(), f"invoice:{number}".encode(), hashlib.sha256).digest()
        expected = base64.b32encode(mac).decode().lower()[:20]
        assert token(secret, number) == expected
        mac = hmac.new(secret.encode(), f"statement:{number}".encode(), hashlib.sha256).digest()
        assert statement_path(secret, number) == \
            f"statement-{base64.b32encode(mac).decode().lower()[:20]}/"


def _first(out: Path, pattern: str) -> Path:
    return next(out.glob(pattern))


# Each way a hand can change output/ between builds (write/output.py's trust check).
TAMPERING = {
    "a file added at the top": lambda out: (out / "stray.txt").write_text("x", "utf-8"),
    "a file added in a page's folder":
        lambda out: (_first(out, "t-1-*") / "stray.txt").write_text("x", "utf-8"),
    "an empty folder added": lambda out: (out / "empty").mkdir(),
    "an empty folder added in a page's folder": lambda out: (_first(out, "t-1-*") / "e").mkdir(),
    "a file removed": lambda out: _first(out, "t-1-*/*.ics").unlink(),
    "a file renamed": lambda out: _first(out, "t-1-*/index.html").rename(
        _first(out, "t-1-*") / "index.htm"),
    "a page edited": lambda out: _first(out, "t-1-*/index.html").write_text("x", "utf-8"),
    "a folder renamed": lambda out: _first(out, "t-1-*").rename(out / "t-1-moved"),
}


def all_paths(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.mark.parametrize("how", TAMPERING)
def test_output_changed_by_hand_anywhere_is_replaced_by_a_fresh_tree(site, tmp_path, how):
    site.invoice()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    site.build()
    folder = site.output.stat().st_ino
    site.build()
    assert site.output.stat().st_ino == folder  # trusted: nothing to change, nothing swapped
    TAMPERING[how](site.output)
    site.build()
    assert site.output.stat().st_ino != folder  # not trusted: a fresh tree swapped in
    site.build(output=tmp_path / "clean")
    assert all_paths(site.output) == all_paths(tmp_path / "clean")
    assert tree_snapshot(site.output) == tree_snapshot(tmp_path / "clean")
