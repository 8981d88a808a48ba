"""`remit new` writes the next invoice (numbering patterns, client and items copied) and the
file builds; `remit init` makes a site that builds and checks at once."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.cli.main import main
from generator.figures.numbering import next_number
from generator.read.site import load_site
from tests.conftest import INVOICE

D = dt.date


@pytest.mark.parametrize(("existing", "today", "want"), [
    ([("2026-014", D(2026, 11, 1)), ("2026-013", D(2026, 10, 1))], D(2026, 12, 1), "2026-015"),
    ([("2026-014", D(2026, 11, 1))], D(2027, 1, 2), "2027-001"),  # a new year starts at 1
    ([("2026-014", D(2026, 12, 1)), ("2027-001", D(2026, 12, 30))], D(2027, 1, 2),
     "2027-002"),  # issued early for next year
    ([("INV-26-0042", D(2026, 11, 1))], D(2026, 12, 1), "INV-26-0043"),
    ([("INV-26-0042", D(2026, 11, 1))], D(2027, 1, 5), "INV-27-0001"),
    ([("A17", D(2026, 11, 1)), ("A9", D(2026, 11, 1))], D(2026, 12, 1), "A18"),
    ([("RE2026/5", D(2026, 11, 1))], D(2026, 12, 1), "RE2026/6"),
    ([("2026001", D(2026, 11, 1))], D(2027, 12, 1), "2027001"),
    ([("2026-099", D(2026, 11, 1))], D(2026, 12, 1), "2026-100"),  # wider, never wrapped
    ([("X-1", D(2026, 1, 1)), ("X-3", D(2026, 1, 1)), ("X-2", D(2026, 2, 1))],
     D(2026, 3, 1), "X-4"),  # after the highest, even if the latest is lower
    ([("Q", D(2026, 1, 1))], D(2026, 3, 1), "Q-1"),
    ([], D(2026, 12, 1), "2026-001"),
])
def test_next_number(existing, today, want):
    assert next_number(existing, today) == want


PETROVA = INVOICE.replace('number = "T-1"', 'number = "2026-007"').replace(
    "issued = 2026-11-01", "issued = 2026-11-10").replace(
    'name = "Jonas Weber"', 'name = "Жанна \\"Ж\\" Петрова"\ncompany = "ИП Петрова"\n'
                            'language = "ru"').replace(
    'description = "Work"', 'description = "Перевод\\tсайта"\nunit = "стр."\ndiscount = 10')


def test_new_copies_the_clients_last_invoice_and_builds(site, capsys):
    site.invoice()
    site.invoice("clients/petrova/2026-007.md", PETROVA)
    assert main(["new", str(site.root), "--client", "петрова", "--today", "2026-12-01"]) == 0
    path = capsys.readouterr().out.strip()
    assert path.endswith("content/clients/petrova/2026-008.md")
    loaded = {i.number: i for i in load_site(site.root, create_secret=False).invoices}
    new, old = loaded["2026-008"], loaded["2026-007"]
    assert new.draft and new.issued == D(2026, 12, 1) and new.due == D(2026, 12, 15)
    assert new.client == old.client and new.language == "ru"
    assert new.items == old.items and new.items[0].discount_percent == Decimal(10)
    # Publish it: it builds into a page that names the client.
    text = site.root.joinpath(path.split(str(site.root) + "/")[1]).read_text("utf-8")
    site.write("content/clients/petrova/2026-008.md",
               "\n".join(line for line in text.splitlines() if not line.startswith("draft")))
    site.build(today=D(2026, 12, 1))
    pages = list((site.root / "output").glob("2026-008-*/index.html"))
    assert len(pages) == 1 and "ИП Петрова" in pages[0].read_text("utf-8")


def test_new_like_and_plain(site, capsys):
    site.invoice()
    assert main(["new", str(site.root), "--like", "T-1", "--today", "2026-12-01"]) == 0
    assert capsys.readouterr().out.strip().endswith("content/t-2.md")
    assert main(["new", str(site.root), "--today", "2026-12-02"]) == 0
    assert capsys.readouterr().out.strip().endswith("content/t-3.md")
    loaded = {i.number: i for i in load_site(site.root, create_secret=False).invoices}
    assert loaded["T-2"].items == loaded["T-1"].items
    assert loaded["T-3"].client.name == "Client name" and loaded["T-3"].draft
    site.build(today=D(2026, 12, 2))  # drafts are checked by the build, and pass


def test_new_refuses_unknown_client_and_number(site, capsys):
    site.invoice()
    assert main(["new", str(site.root), "--like", "T-9"]) == 1
    assert "no invoice numbered 'T-9'; did you mean T-1?" in capsys.readouterr().err
    assert main(["new", str(site.root), "--client", "Zebra"]) == 1
    assert "known clients: Jonas Weber" in capsys.readouterr().err
    assert sorted(p.name for p in (site.root / "content").iterdir()) == ["t-1.md"]


def test_init_then_build_and_check(tmp_path, capsys):
    root = tmp_path / "new-site"
    assert main(["init", str(root)]) == 0
    assert main(["build", str(root), "--no-pdf"]) == 0
    assert main(["check", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Built 1 invoice page" in out and "OK: 1 invoice" in out
    assert len(list((root / "output").glob("*-001-*/index.html"))) == 1
    ignore = (root / ".gitignore").read_text("utf-8")
    assert "/.remit-secret" in ignore.splitlines() and "/output/" in ignore.splitlines()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    ignored = subprocess.run(["git", "-C", str(root), "check-ignore", ".remit-secret"],
                             capture_output=True, text=True)
    assert ignored.returncode == 0 or not (root / ".remit-secret").exists()
    flow = yaml.safe_load((root / ".github/workflows/pages.yml").read_text("utf-8"))
    steps = [s["name"] for s in flow["jobs"]["build"]["steps"]]
    assert steps.index("Install Remit") < steps.index("Build") < steps.index("Upload site")
    remind = flow["jobs"]["remind"]
    assert remind["needs"] == ["build", "deploy"]
    assert "remit remind --send" in [s.get("run") for s in remind["steps"]]
    # Never over anything: a second init in the same folder refuses and changes nothing.
    before = (root / "site.toml").read_text("utf-8")
    assert main(["init", str(root)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert (root / "site.toml").read_text("utf-8") == before


def test_new_like_keeps_what_makes_the_invoice_valid_for_its_client(example_site, capsys):
    """An authority's XRechnung (its kind, Leitweg-ID, country, unit codes) and a branch's own
    [seller] carry over: the copy builds as its model did, with nothing to re-type."""
    for model, folder in (("2026-006", "content"), ("2026-008", "content/clients/van-der-merwe")):
        assert main(["new", str(example_site.root), "--like", model,
                     "--today", "2026-12-01"]) == 0
        path = capsys.readouterr().out.strip()
        assert path.startswith(str(example_site.root / folder)), path
        text = Path(path).read_text("utf-8")
        Path(path).write_text("\n".join(line for line in text.splitlines()
                                        if not line.startswith("draft")), "utf-8")
        loaded = load_site(example_site.root, create_secret=False).invoices
        old = next(i for i in loaded if i.number == model)
        rel = Path(path).relative_to(example_site.root).as_posix()
        new = next(i for i in loaded if i.source == rel)
        assert (new.einvoice, new.seller, new.client) == (old.einvoice, old.seller, old.client)
        assert [i.unit_code for i in new.items] == [i.unit_code for i in old.items]
    assert main(["build", str(example_site.root), "--no-pdf", "--today", "2026-12-01"]) == 0
