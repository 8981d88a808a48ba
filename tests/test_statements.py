"""Client statement pages: opt-in per client or site-wide, private like invoice pages, every
published invoice of the client with its status and balance, per currency."""

from __future__ import annotations

import datetime as dt
import json
import posixpath

from bs4 import BeautifulSoup

from generator.build import build
from generator.cli.main import main
from tests.conftest import INVOICE, SITE_TOML, tree_snapshot


def inv(number: str, client: str, price: str = "100.00", top: str = "",
        client_extra: str = "", due: str = "2026-11-30", extra: str = "") -> str:
    return (INVOICE.replace('number = "T-1"', f'number = "{number}"\n{top}')
            .replace('name = "Jonas Weber"', f'name = "{client}"\n{client_extra}')
            .replace("unit_price = 100.00", f"unit_price = {price}")
            .replace("due = 2026-11-30", f"due = {due}")
            .replace("+++\nThanks!", f"{extra}\n+++\nThanks!"))


def statements(root) -> dict[str, BeautifulSoup]:
    """Client name (from the heading) -> parsed statement page."""
    found = {}
    for page in (root / "output").glob("statement-*/index.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        soup.folder = page.parent.name
        found[soup.h1.get_text(" ", strip=True)] = soup
    return found


def test_off_unless_opted_in_then_private_and_complete(site):
    site.invoice("a1.md", inv("A-1", "Weber GmbH", client_extra="statement = true"))
    # The same client, differently spelt; a paid one; a void one; a draft (never shown).
    site.invoice("a2.md", inv("A-2", "weber  gmbh", price="50.00", extra=(
        "[[payments]]\ndate = 2026-11-05\namount = 59.50")))
    site.invoice("a3.md", inv("A-3", "Weber GmbH", top="void = true"))
    site.invoice("a4.md", inv("A-4", "Weber GmbH", top="draft = true"))
    site.invoice("b1.md", inv("B-1", "Other Client"))
    site.build()
    [(heading, soup)] = statements(site.root).items()
    # Named as the latest published invoice names the client.
    assert heading == "Statement for Weber GmbH as of November 23, 2026"
    # A token only: the folder names no client.
    assert soup.folder.startswith("statement-") and "weber" not in soup.folder
    assert "noindex" in soup.find("meta", attrs={"name": "robots"})["content"]
    rows = {tr["data-number"]: [td.get_text(" ", strip=True) for td in tr.select("td")]
            for tr in soup.select("tbody tr")}
    assert set(rows) == {"A-1", "A-2", "A-3"}
    assert rows["A-1"][3:] == ["Open", "€238.00", "€0.00", "€238.00"]
    assert rows["A-2"][3:] == ["Partially paid", "€119.00", "€59.50", "€59.50"]
    assert rows["A-3"][3] == "Cancelled"
    # Every link leads to that invoice's own page.
    for a in soup.select("tbody a"):
        target = posixpath.normpath(posixpath.join(soup.folder, a["href"])) + "/index.html"
        page = BeautifulSoup((site.root / "output" / target).read_text("utf-8"), "html.parser")
        assert page.select_one(".doc-id strong").get_text() == a.get_text()
    assert soup.select_one("[data-outstanding]").get_text() == "€297.50"
    assert soup.select_one("[data-next-payment]").get_text(" ", strip=True) == \
        "Next payment: €297.50 by November 30, 2026"
    # Each of the client's invoice pages links to it (on screen; not in the PDF), others not.
    linked = {}
    for page_file in (site.root / "output").glob("[ab]-*/index.html"):
        page = BeautifulSoup(page_file.read_text("utf-8"), "html.parser")
        link = page.select_one(".statement-link a")
        folder = page_file.parent.name
        linked[folder[:3]] = link and posixpath.normpath(posixpath.join(folder, link["href"]))
        if link:
            assert link.get_text() == "All your invoices from Studio Lindqvist"
    assert linked == {"a-1": soup.folder, "a-2": soup.folder, "a-3": soup.folder, "b-1": None}
    # Nothing public links to it.
    for name in ("index.html", "404.html"):
        assert "statement-" not in (site.root / "output" / name).read_text("utf-8")


def test_two_currencies_make_two_sections(site):
    site.write("site.toml", SITE_TOML.replace('currency = "EUR"',
                                              'currency = "EUR"\nstatements = true'))
    site.invoice("e.md", inv("E-1", "Petrova", client_extra='language = "ru"'))
    site.invoice("c.md", inv("C-1", "Petrova", top='currency = "CHF"', price="1000.00",
                             due="2026-11-10"))
    site.invoice("o.md", inv("O-1", "Opted Out", client_extra="statement = false"))
    site.build()
    pages = statements(site.root)
    [soup] = pages.values()  # "Opted Out" chose not to have one
    assert soup.h1.get_text(" ", strip=True).startswith("Сводка по счетам для Petrova на ")
    sections = {s["data-currency"]: s for s in soup.select(".statement-section")}
    assert list(sections) == ["CHF", "EUR"]
    chf, eur = sections["CHF"], sections["EUR"]
    assert chf.select_one("[data-outstanding]").get_text() == "2\xa0380,00\xa0CHF"
    assert chf.select_one("[data-overdue]").get_text() == "Просрочено: 2\xa0380,00\xa0CHF"
    assert eur.select_one("[data-outstanding]").get_text() == "238,00\xa0€"
    assert [tr["data-number"] for tr in chf.select("tbody tr")] == ["C-1"]
    assert [tr["data-number"] for tr in eur.select("tbody tr")] == ["E-1"]


def test_statement_links_in_report_and_a_new_secret_moves_them(site, capsys, monkeypatch):
    site.invoice("a1.md", inv("A-1", "Weber GmbH", client_extra="statement = true"))
    site.build()
    [folder] = [p.name for p in (site.root / "output").glob("statement-*")]
    assert main(["report", str(site.root), "--json", "--today", "2026-11-23"]) == 0
    [client] = json.loads(capsys.readouterr().out)["clients"]
    assert client["statement_url"] == f"https://example.github.io/invoices/{folder}/"
    monkeypatch.setenv("REMIT_SECRET", "another-secret")
    site.build()
    assert [p.name for p in (site.root / "output").glob("statement-*")] != [folder]


def test_a_rebuild_updates_the_statement_and_equals_a_clean_build(site, tmp_path):
    """Statements come from the build cache when unchanged; a payment, or another day,
    changes them, and the incremental result is byte for byte a clean build's."""
    site.write("site.toml", "statements = true\n" + SITE_TOML)
    site.invoice("a1.md", inv("A-1", "Weber GmbH"))
    site.invoice("a2.md", inv("A-2", "Weber GmbH", price="50.00"))
    site.build()
    [page] = (site.root / "output").glob("statement-*/index.html")

    def outstanding() -> str:
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        return soup.select_one("[data-outstanding]").get_text()
    assert outstanding() == "€357.00"
    site.invoice("a2.md", inv("A-2", "Weber GmbH", price="50.00", extra=(
        "[[payments]]\ndate = 2026-11-20\namount = 119.00")))
    site.build()
    assert outstanding() == "€238.00"
    site.build(today=dt.date(2026, 12, 5))  # A-1 is now late
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    assert soup.select_one("[data-overdue]").get_text() == "Overdue: €238.00"
    clean = tmp_path / "clean"
    build(site.root, clean, dt.date(2026, 12, 5), pdf=False)
    assert tree_snapshot(site.root / "output") == tree_snapshot(clean)


def test_a_site_of_slugs_still_keeps_its_statement_links(site, monkeypatch):
    """Invoices with explicit slugs need no secret, but statement tokens do: the build makes
    one, so the statement's link stays the same from build to build."""
    monkeypatch.delenv("REMIT_SECRET")
    site.invoice("a1.md", inv("A-1", "Weber GmbH", top='slug = "weber-a1"',
                              client_extra="statement = true"))
    site.build()
    assert (site.root / ".remit-secret").is_file()
    first = [p.name for p in (site.root / "output").glob("statement-*")]
    site.build()
    assert [p.name for p in (site.root / "output").glob("statement-*")] == first != []
