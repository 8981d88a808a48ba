"""Same inputs, same bytes, PDFs included: wherever the site folder is, and whichever font
subsetter WeasyPrint uses (HarfBuzz, or fontTools when libharfbuzz-subset0 is missing, which
stamps the subset font with the clock unless told otherwise)."""

from __future__ import annotations

import shutil
import time

import pypdf

from tests.conftest import SiteDir, tree_snapshot


def two_folders(site: SiteDir, tmp_path) -> tuple[SiteDir, SiteDir]:
    site.invoice()
    site.invoice("t-2.md", (site.root / "content" / "t-1.md").read_text("utf-8")
                 .replace('"T-1"', '"T-2"').replace("Work", "Работа и ещё"))
    other = tmp_path / "elsewhere" / "deeper" / "another-name"
    shutil.copytree(site.root, other)
    return site, SiteDir(other, fresh=False)


def test_the_same_site_in_two_folders_gives_identical_bytes(site, tmp_path):
    first, second = two_folders(site, tmp_path)
    first.build(pdf=True, jobs=1)
    second.build(pdf=True, jobs=1)
    a, b = tree_snapshot(first.output), tree_snapshot(second.output)
    assert sorted(a) == sorted(b) and any(name.endswith(".pdf") for name in a)
    assert a == b
    pdf = next(first.output.glob("*/T-1.pdf"))
    assert str(first.root).encode() not in pdf.read_bytes()


def test_the_fonttools_fallback_gives_identical_bytes_too(site, tmp_path, monkeypatch, caplog):
    # A dependency, not a system tool: if WeasyPrint moves this module the test must fail,
    # never skip.
    from weasyprint.pdf import fonts
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as without libharfbuzz-subset0
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = two_folders(site, tmp_path)
    first.build(pdf=True, jobs=1)
    time.sleep(1.1)  # fontTools' timestamps have a resolution of one second
    second.build(pdf=True, jobs=1)
    a, b = tree_snapshot(first.output), tree_snapshot(second.output)
    assert a == b
    assert "Using fontTools instead of HarfBuzz-Subset" in caplog.text  # it really was
    reader = pypdf.PdfReader(next(first.output.glob("*/T-2.pdf")))
    assert "Работа и ещё" in reader.pages[0].extract_text()
