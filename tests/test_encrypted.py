"""privacy = "encrypted": nothing of any invoice in output/ in plain text, sealed files that
open to exactly what a build without sealing publishes, reproducible bytes, fresh nonces
for changed files, links with their key, and the settings' errors."""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from cryptography.exceptions import InvalidTag

from generator import i18n
from generator.cli.main import main
from generator.digest import CACHE_FORMAT
from generator.errors import RemitError
from generator.figures.derive import derive
from generator.model.invoice import Invoice
from generator.render.seal import Lock, open_bytes, seal_bytes
from generator.urls import calendar_name, pdf_name
from tests.conftest import INVOICE, SECRET, SITE_TOML, TODAY, SiteDir, tree_snapshot
from tests.sealed_sites import copy_examples, sealed_box

THEME = Path(__file__).resolve().parent.parent / "themes"


# -- what must never appear ------------------------------------------------------------------
def theme_words() -> str:
    """All text of the theme: words the shell may contain whatever the invoices say."""
    return " ".join(p.read_text("utf-8", errors="ignore").lower()
                    for p in THEME.rglob("*") if p.is_file() and p.suffix in
                    (".html", ".po", ".css", ".pot", ".txt"))


def probes_of(inv: Invoice) -> set[str]:
    """The strings of one invoice a reader must not find: who, what, how much, where to."""
    fig = derive(inv, TODAY, dt.UTC)  # amounts only; the zone does not matter
    c = inv.client
    found = {inv.number, c.name, c.company, c.email, c.phone, c.tax_id, inv.title,
             inv.po_number, *(c.address or "").splitlines()}
    found |= {i.description for i in inv.items}
    for amount in (fig.totals.total, fig.balance, fig.due_now, *(i.unit_price for i in inv.items)):
        if amount > Decimal(10):
            found |= {i18n.money(amount, inv.currency, inv.language), f"{amount:.2f}"}
    for m in inv.payment_methods:
        for key in ("iban", "account_number", "address", "vpa"):
            value = m.get(key)
            if value:
                found |= {str(value), str(value).replace(" ", "")}
    common = theme_words()
    words = set(re.findall(r"[^\W\d_]{8,}", inv.note))
    found |= {w for w in words if w.lower() not in common}
    return {s.strip() for s in found if s and len(s.strip()) >= 5}


def forms(probe: str) -> set[bytes]:
    """A probe as a file could hold it: raw, HTML-escaped, URL-encoded, JSON, iCalendar,
    and as PDFs write text strings (UTF-16BE, raw or in hex, and literal-escaped)."""
    utf16 = probe.encode("utf-16-be")
    texts = {probe, html.escape(probe), html.escape(probe, quote=False), quote(probe),
             quote(probe, safe=""), quote_plus(probe), json.dumps(probe)[1:-1],
             json.dumps(probe, ensure_ascii=True)[1:-1],
             probe.replace(",", "\\,").replace(";", "\\;"),
             probe.replace("(", "\\(").replace(")", "\\)"),
             "".join(f"&#{ord(ch)};" for ch in probe), "".join(f"&#x{ord(ch):x};" for ch in probe)}
    out = {t.encode("utf-8") for t in texts}
    out |= {utf16, utf16.hex().encode(), utf16.hex().upper().encode()}
    if probe.isascii():
        out.add(probe.encode("ascii").hex().upper().encode())
    return out


def test_no_string_of_any_invoice_anywhere_in_an_encrypted_build(sealed_builds):
    plain, sealed = sealed_builds["plain"], sealed_builds["sealed"]
    probes = set().union(*(probes_of(inv) for inv in plain.site.published))
    # Honest probes: each one is really published by the plain build, in some form.
    plain_bytes = b"\n".join(p.read_bytes() for p in plain.output.rglob("*") if p.is_file())
    shown = {p for p in probes if any(f in plain_bytes for f in forms(p))}
    assert len(shown) >= 50, sorted(shown)
    files = [p for p in sealed.output.rglob("*") if p.is_file()]
    assert any(p.suffix == ".bin" for p in files)
    leaks = []
    for path in files:
        data = path.read_bytes()
        name = path.relative_to(sealed.output).as_posix()
        for probe in shown:
            if probe in name or quote(probe) in name or any(f in data for f in forms(probe)):
                leaks.append((name, probe))
    assert not leaks
    # Nor any folder: a token each, whatever the number, client or amount.
    for path in sealed.output.iterdir():
        if path.is_dir() and path.name != "static":
            assert re.fullmatch(r"[a-z2-7]{20}", path.name), path.name


def test_no_preview_tag_or_title_names_the_invoice(sealed_builds):
    from bs4 import BeautifulSoup
    sealed = sealed_builds["sealed"]
    shells = sorted(sealed.output.glob("*/index.html"))
    assert len(shells) == len(sealed.site.published)
    for shell in shells:
        soup = BeautifulSoup(shell.read_text("utf-8"), "html.parser")
        title = soup.title.get_text()
        assert title.endswith(" · Invoices · Studio Lindqvist"), title
        metas = {m.get("property") or m.get("name"): m.get("content")
                 for m in soup.find_all("meta") if m.get("content")}
        assert metas["og:site_name"] == "Invoices · Studio Lindqvist"
        assert "og:url" not in metas and "description" not in metas
        assert metas["robots"].startswith("noindex")


def open_shell(lock: Lock, shell: bytes) -> bytes:
    box = sealed_box(shell)
    return open_bytes(lock, box["data-name"], base64.b64decode(box["data"]))


def test_every_sealed_file_opens_to_what_an_unsealed_build_publishes(sealed_builds):
    plain, sealed, twin = (sealed_builds[k] for k in ("plain", "sealed", "twin"))
    assert sealed.site.paths == twin.site.paths
    # The unsealed twin is the plain build but for its addresses: only og:url differs.
    for inv in plain.site.published:
        ours = (plain.output / plain.site.paths[inv.source] / "index.html").read_text("utf-8")
        theirs = (twin.output / twin.site.paths[inv.source] / "index.html").read_text("utf-8")
        ours = re.sub(r'(?m)^<meta property="og:url".*\n', "", ours)
        theirs = re.sub(r'(?m)^<meta property="og:url".*\n', "", theirs)
        # The twin links its PDF (the plain build here is pages only): drop that paragraph,
        # and the line saying the PDF carries an e-invoice.
        theirs = re.sub(r'<p class="(pdf|receipt)-download screen-only">.*?</p>\n'
                        r'|<p class="einvoice-note screen-only">.*?</p>\n', "", theirs,
                        flags=re.S)
        assert ours == theirs, inv.number
    for inv in sealed.site.published:
        folder = sealed.site.paths[inv.source]
        lock = Lock(sealed.site.keys[inv.source])
        plain = {p.name: p.read_bytes() for p in (twin.output / folder).iterdir()}
        published = {p.name: p.read_bytes() for p in (sealed.output / folder).iterdir()}
        assert pdf_name(inv.number) in plain
        assert set(published) == {"index.html", *(lock.name(n) for n in plain
                                                  if n != "index.html")}
        assert open_shell(lock, published["index.html"]) == plain["index.html"]
        for name, data in plain.items():
            if name != "index.html":
                assert open_bytes(lock, name, published[lock.name(name)]) == data
        # A sealed file opens under its own name only, and with its own key only.
        other = Lock(bytes(32))
        with pytest.raises(InvalidTag):
            open_bytes(other, pdf_name(inv.number), published[lock.name(pdf_name(inv.number))])
        if calendar_name(inv.number) in plain:
            with pytest.raises(InvalidTag):
                open_bytes(lock, pdf_name(inv.number),
                           published[lock.name(calendar_name(inv.number))])


def test_links_carry_the_key_and_calendar_events_link_the_whole_link(sealed_builds, capsys):
    sealed, twin = sealed_builds["sealed"], sealed_builds["twin"]
    inv = next(i for i in sealed.site.published if i.number == "2026-001")
    url = sealed.site.url(inv)
    key = base64.urlsafe_b64encode(sealed.site.keys[inv.source]).decode().rstrip("=")
    assert url == f"https://studio-lindqvist.github.io/invoices/{sealed.site.paths[inv.source]}#k={key}"
    folder = twin.output / twin.site.paths[inv.source]
    ics = (folder / calendar_name(inv.number)).read_bytes().decode().replace("\r\n ", "")
    assert f"URL:{url}\r\n" in ics
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", SECRET)
        assert main(["list", str(sealed.root), "--json", "--today", TODAY.isoformat()]) == 0
        rows = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
        assert main(["share", "2026-001", str(sealed.root), "--today", TODAY.isoformat()]) == 0
        shared = capsys.readouterr().out
    assert rows["2026-001"]["url"] == url
    assert f"\n{url}\n" in shared
    assert quote(url, safe="") in shared  # inside the mailto/WhatsApp/SMS links too


# -- reproducible, and a nonce never reused ---------------------------------------------------
def small_site(root: Path, privacy: str = "encrypted", passphrase: str | None = None) -> SiteDir:
    site = SiteDir(root)
    toml = (root / "site.toml").read_text("utf-8")
    (root / "site.toml").write_text(toml.replace('currency = "EUR"\n', f'currency = "EUR"\n'
                                                 f'privacy = "{privacy}"\n'), "utf-8")
    text = INVOICE if passphrase is None else INVOICE.replace(
        'due = 2026-11-30\n', f'due = 2026-11-30\npassphrase = "{passphrase}"\n')
    site.invoice("t-1.md", text)
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    return site


def nonce(shell: bytes) -> bytes:
    return base64.b64decode(sealed_box(shell)["data"])[1:13]


def test_two_builds_give_identical_bytes_and_a_changed_invoice_a_new_nonce(tmp_path):
    one, two = small_site(tmp_path / "one"), small_site(tmp_path / "two")
    one.build()
    two.build()
    first = tree_snapshot(one.output)
    assert first == tree_snapshot(two.output)
    one.build()  # from the cache: the same bytes again
    assert tree_snapshot(one.output) == first
    shells = {p.parent.name: p.read_bytes() for p in one.output.glob("*/index.html")}
    one.invoice("t-1.md", INVOICE.replace("unit_price = 100.00", "unit_price = 101.00"))
    one.build()
    after = {p.parent.name: p.read_bytes() for p in one.output.glob("*/index.html")}
    assert set(after) == set(shells)  # the links stay
    changed = [f for f in shells if nonce(shells[f]) != nonce(after[f])]
    assert len(changed) == 1  # T-1's page has a new nonce; T-2's is byte for byte the same
    same = next(f for f in shells if f not in changed)
    assert after[same] == shells[same]
    # Straight from the function: same bytes, same output; one byte more, another nonce.
    lock = Lock(bytes(range(32)))
    assert seal_bytes(lock, "a.pdf", b"x" * 100) == seal_bytes(lock, "a.pdf", b"x" * 100)
    longer = seal_bytes(lock, "a.pdf", b"x" * 101)
    assert seal_bytes(lock, "a.pdf", b"x" * 100)[1:13] != longer[1:13]
    assert seal_bytes(lock, "a.pdf", b"x")[1:13] != seal_bytes(lock, "b.pdf", b"x")[1:13]


def test_a_page_rendered_beside_a_cached_pdf_states_the_plain_pdf_size(tmp_path):
    site = small_site(tmp_path / "s")
    site.build(pdf=True)
    first = tree_snapshot(site.output)
    shutil.rmtree(site.root / ".remit-cache" / CACHE_FORMAT / "page")  # pages again, PDFs cached
    report = site.build(pdf=True)
    assert set(report.rendered) == {"T-1", "T-2"}
    assert tree_snapshot(site.output) == first


def test_a_passphrase_is_a_second_lock_and_part_of_the_cache_key(tmp_path, capsys):
    site = small_site(tmp_path / "s", passphrase="correct horse")
    site.build()
    before = tree_snapshot(site.output)
    loaded = load(site.root)
    inv = next(i for i in loaded.published if i.number == "T-1")
    shell = (site.output / loaded.paths[inv.source] / "index.html").read_bytes()
    box = sealed_box(shell)
    assert int(box["data-iterations"]) >= 600_000
    key = loaded.keys[inv.source]
    with pytest.raises(InvalidTag):  # the link alone does not open it
        open_shell(Lock(key), shell)
    with pytest.raises(InvalidTag):
        open_shell(Lock(key, "wrong horse"), shell)
    assert b"<!DOCTYPE html>" in open_shell(Lock(key, "correct horse"), shell)
    site.invoice("t-1.md", INVOICE.replace('due = 2026-11-30\n',
                                           'due = 2026-11-30\npassphrase = "battery staple"\n'))
    site.build()
    shell = (site.output / loaded.paths[inv.source] / "index.html").read_bytes()
    assert tree_snapshot(site.output) != before
    assert b"<!DOCTYPE html>" in open_shell(Lock(key, "battery staple"), shell)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMIT_SECRET", SECRET)
        assert main(["share", "T-1", str(site.root), "--today", TODAY.isoformat()]) == 0
        assert main(["list", str(site.root), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "also asks for its passphrase" in out and "battery staple" not in out
    assert f"{loaded.url(inv)}  (and its passphrase)\n" in out


def load(root: Path):
    from generator.read.site import load_site
    return load_site(root)


# -- settings and their errors ----------------------------------------------------------------
def problems(root: Path) -> list[str]:
    with pytest.raises(RemitError) as exc:
        load(root)
    return [str(p) for p in exc.value.problems]


def test_settings_errors(tmp_path):
    site = small_site(tmp_path / "a")
    site.invoice("t-1.md", INVOICE.replace('due = 2026-11-30\n',
                                           'due = 2026-11-30\nslug = "weber-redesign"\n'))
    assert any("slug: with privacy = \"encrypted\"" in p for p in problems(site.root))
    plain = small_site(tmp_path / "b", privacy="link", passphrase="correct horse")
    assert any("passphrase: a passphrase needs privacy" in p for p in problems(plain.root))
    short = small_site(tmp_path / "c", passphrase="abc")
    assert any("passphrase: expected at least 6" in p for p in problems(short.root))
    bad = small_site(tmp_path / "d", privacy="secret")
    assert any("privacy: unknown value 'secret'" in p for p in problems(bad.root))


def test_the_examples_refuse_nothing_but_their_slug(tmp_path):
    root = copy_examples(tmp_path / "ex", "encrypted")
    shutil.copy(Path(__file__).resolve().parent.parent / "content" / "2026-009-two-rates.md",
                root / "content" / "2026-009-two-rates.md")
    assert [p.split(": ")[1] for p in problems(root)] == ["slug"]


def test_statement_pages_and_encryption_exclude_each_other(site, capsys):
    # A statement page would list the client's invoices in plain text.
    site.write("site.toml", SITE_TOML.replace(
        "[seller]", 'privacy = "encrypted"\nstatements = true\n\n[seller]'))
    site.invoice()
    assert main(["build", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "site.toml: statements: statement pages are not sealed yet" in err
    assert not site.output.exists()
