"""Reading invoice files: front matter, exact decimals, subfolders, editor litter, lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.cli.main import main
from generator.read.files import find_invoice_files, read_source
from generator.read.site import load_site
from generator.toml import Locator
from tests.conftest import INVOICE


def test_front_matter_body_and_exact_decimals(site):
    path = site.invoice(text=INVOICE.replace("unit_price = 100.00", 'unit_price = "100.10"'))
    src = read_source(path, site.root)
    assert src.first_line == 2
    assert src.body.strip() == "Thanks!"
    item = src.data["items"][0]
    assert isinstance(item["unit_price"], str)
    inv = load_site(site.root).invoices[0]
    assert inv.items[0].unit_price == Decimal("100.10")
    assert all(not isinstance(v, float) for v in (inv.items[0].quantity,
                                                  inv.items[0].unit_price))


def test_windows_and_old_mac_line_ends_read_as_unix_ones(site):
    """Files saved with CRLF or CR line ends parse to the same invoice, lines counted the
    same (a problem's line number points at the same line in any editor)."""
    path = site.invoice()
    unix = read_source(path, site.root)
    for end in ("\r\n", "\r"):
        path.write_bytes("\ufeff".encode() + INVOICE.replace("\n", end).encode())
        src = read_source(path, site.root)
        assert (src.rel, src.text, src.data, src.body, src.first_line) == \
            (unix.rel, unix.text, unix.data, unix.body, unix.first_line)
    path.write_bytes(INVOICE.replace("unit_price = 100.00", "unit_price = 1e").replace(
        "\n", "\r\n").encode())
    assert read_source(path, site.root).line == unix.locator.line_of("items[0].unit_price")


def test_a_file_that_is_not_utf8_is_named_with_the_byte_at_fault(site):
    path = site.invoice()
    data = INVOICE.encode()
    at = data.index(b"Thanks")
    path.write_bytes(data[:at] + b"Gr\xfc\xdfe" + data[at:])  # Latin-1, not UTF-8
    problem = read_source(path, site.root)
    assert (problem.file, problem.line) == ("content/t-1.md", None)
    assert problem.message == f"not UTF-8 text (invalid start byte at byte {at + 2})"


def test_toml_invoice_takes_its_note_from_a_field_and_subfolders_count(site):
    site.write("content/acme/2026/t-2.toml", """\
        number = "T-2"
        issued = 2026-11-01
        note = "Hello *there*"
        [client]
        name = "Acme"
        [[items]]
        description = "Work"
        unit_price = 5
        """)
    site.build()
    page = site.pages()["T-2"]
    assert page.select_one(".note em").get_text() == "there"
    # Default terms from site.toml: 14 days after the issue date.
    assert page.select_one("time[datetime='2026-11-15']") is not None


def test_editor_lock_swap_and_backup_files_are_not_invoices(site):
    site.invoice()
    for litter in (".#t-1.md", "t-1.md~", ".t-1.md.swp", "t-1.md.bck", "4913", ".hidden.md"):
        site.write(f"content/{litter}", "garbage +++")
    assert [p.name for p in find_invoice_files(site.root / "content", site.root)[0]] == ["t-1.md"]


def test_locator_finds_nested_fields():
    text = INVOICE.split("+++\n")[1]
    loc = Locator(text, 2)
    assert loc.line_of("due") == 4
    assert loc.line_of("client.email") == 8
    assert loc.line_of("items[0].unit_price") == 13
    assert loc.line_of("items[0]") == 10


def test_markdown_note_state_does_not_leak_between_invoices(site):
    site.invoice("a.md", INVOICE.replace("Thanks!", "See note[^1].\n\n[^1]: Alpha footnote."))
    site.invoice("b.md", INVOICE.replace('"T-1"', '"T-2"'))
    site.build()
    assert "Alpha footnote" in site.pages()["T-1"].select_one(".note").get_text()
    assert "Alpha footnote" not in site.pages()["T-2"].select_one(".note").get_text()


def test_check_validates_without_writing_anything(site, capsys, monkeypatch):
    monkeypatch.delenv("REMIT_SECRET")
    site.invoice()
    assert main(["check", str(site.root)]) == 0
    assert "OK: 1 invoice" in capsys.readouterr().out
    assert not site.output.exists()
    assert not (site.root / ".remit-secret").exists()


def test_first_build_creates_a_private_secret_and_reuses_it(site, capsys, monkeypatch):
    monkeypatch.delenv("REMIT_SECRET")
    site.invoice()
    assert main(["build", str(site.root)]) == 0
    secret = site.root / ".remit-secret"
    assert secret.stat().st_mode & 0o077 == 0
    first = sorted(p.name for p in site.output.iterdir())
    assert main(["build", str(site.root)]) == 0
    assert sorted(p.name for p in site.output.iterdir()) == first
    out = capsys.readouterr()
    assert "Built 1 invoice page into" in out.out
    assert "created .remit-secret" in out.err


def test_required_secret_missing_is_an_error(site, capsys, monkeypatch):
    monkeypatch.delenv("REMIT_SECRET")
    monkeypatch.setenv("REMIT_REQUIRE_SECRET", "1")
    site.invoice()
    assert main(["build", str(site.root)]) == 1
    assert "no site secret" in capsys.readouterr().err
    assert not site.output.exists()


def test_the_memo_is_written_in_parts_and_read_back_whole_or_not_trusted(site, monkeypatch):
    """The memo of parsed invoices is a run of pickles (one pickler for all of them would
    hold every object it wrote): a later build takes every invoice from it, and a memo cut
    short is ignored for the files it no longer holds, which are parsed again."""
    import pickle

    from generator.digest import CACHE_DIR, CACHE_FORMAT, MEMO_FILE
    from generator.read import memo as memo_module
    from generator.read import parse as parse_module

    monkeypatch.setattr(memo_module, "SAVE_PART", 2)
    for n in range(1, 6):
        site.invoice(f"t-{n}.md", INVOICE.replace('"T-1"', f'"T-{n}"'))
    first = site.build()
    path = site.root / CACHE_DIR / CACHE_FORMAT / MEMO_FILE
    with path.open("rb") as fh:
        parts, starts = [], []
        while fh.peek(1):
            starts.append(fh.tell())
            parts.append(pickle.load(fh))
    assert [len(p) for p in parts] == [2, 2, 1]

    parsed: list[str] = []
    real = parse_module.parse_file

    def counting(path, *args, **kwargs):
        parsed.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(parse_module, "parse_file", counting)
    again = site.build()
    assert parsed == [] and again.pages == first.pages == 5 and again.rendered == ()
    # The last part lost: its invoice is read from its file; a part cut short: every one.
    path.write_bytes(path.read_bytes()[:starts[2]])
    site.invoice("t-1.md", INVOICE + "\n")  # and one edited
    site.build()
    assert sorted(parsed) == ["t-1.md", "t-5.md"]
    parsed.clear()
    path.write_bytes(path.read_bytes()[:starts[1] + 10])
    site.build()
    assert sorted(parsed) == [f"t-{n}.md" for n in range(1, 6)]


def test_what_a_build_reads_is_kept_from_the_collector_only_while_the_build_runs(
        site, monkeypatch):
    """While a build reads the site the collector waits; then what it read is frozen (no
    collection walks it during the build) and given back after it, even when the build
    fails; a freeze of the caller's own is left alone, and so is the collector's state."""
    import gc

    from generator import build as build_module
    from generator.errors import RemitError
    from generator.read import site as site_module

    site.invoice()
    site.build()
    seen: list[tuple[str, bool, int]] = []

    def spy(module, name):
        real = getattr(module, name)

        def spying(*args, **kwargs):
            seen.append((name, gc.isenabled(), gc.get_freeze_count()))
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, spying)

    spy(site_module, "clients_with_statements")  # while reading
    spy(build_module, "invoice_files")  # after
    site.build()  # from the memo
    assert [(name, on) for name, on, _ in seen] == [("clients_with_statements", False),
                                                    ("invoice_files", True)]
    assert seen[1][2] > 0 and gc.isenabled() and gc.get_freeze_count() == 0
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"').replace("quantity = 2",
                                                                      "quantity = -2"))
    with pytest.raises(RemitError):
        site.build()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    (site.root / "content" / "t-2.md").unlink()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        seen.clear()
        site.build()
        assert seen[0][1] and gc.get_freeze_count() > frozen // 2  # not paused, not undone
    finally:
        gc.unfreeze()
