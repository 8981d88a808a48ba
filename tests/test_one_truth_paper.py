"""The page, its PDF and `remit share` state the same amounts and dates for the same day.

Each example is built (with PDFs) for a day before its deadlines and for one after several
of them; the sentences pairing amounts with dates (view/terms.py) that the page's block for
that day carries must be in the printed PDF and in the share message, word for word.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pypdf
import pytest
from bs4 import BeautifulSoup

from generator.cli.main import main
from tests.conftest import REPO, SiteDir


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


# Offers open (two prices each with its date), and weeks later: late parts, next parts,
# partial payments; in English, Russian and Afrikaans. A handful of PDFs print in-process.
CASES = [
    (dt.date(2026, 11, 24), ("2026-009-two-rates.md", "2026-005-paid.md",
                             "clients/van-der-merwe/2026-008.md"), 2),
    (dt.date(2026, 12, 17), ("2026-002-deposit.md", "2026-003-installments.md",
                             "2026-004-partially-paid.md", "clients/petrova/2026-007.md"), 4),
]


@pytest.mark.parametrize("day, files, payable", CASES)
def test_pdf_share_and_page_state_the_same_amounts_and_dates(tmp_path, capsys, day, files,
                                                             payable):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    for name in files:
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "content" / name, root / "content" / name)
    site = SiteDir(root, fresh=False)
    site.build(today=day, pdf=True)
    checked = 0
    for page in sorted(site.output.glob("*/index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        number = soup.select_one(".doc-id strong").get_text(strip=True)
        pdf = norm(" ".join(p.extract_text() for p in pypdf.PdfReader(
            page.parent / f"{number}.pdf").pages))
        assert main(["share", number, str(root), "--today", day.isoformat(), "--json"]) == 0
        share = norm(json.loads(capsys.readouterr().out)["text"])
        block = soup.select_one('.segment[data-seg="0"]')
        assert not block.has_attr("hidden")
        terms = block.select_one("[data-terms]")
        if terms is None:  # paid or void: nothing asked for, anywhere
            assert not block.select("[data-amount-due]")
            assert soup.select_one("section.pay") is None
            continue
        sentences = [norm(terms.get_text())]
        following = block.select_one("[data-terms-next]")
        if following is not None:
            sentences.append(norm(following.get_text()))
        for sentence in sentences:
            assert sentence in pdf, (number, sentence)
            assert sentence in share, (number, sentence)
        # The PDF states through which day its figures hold, where they change later.
        until = block.select_one("[data-holds-until]")
        if until is not None:
            assert norm(until.get_text()) in pdf, number
        checked += 1
    assert checked == payable
