"""Encrypted pages in headless Chromium, served over http://127.0.0.1 (WebCrypto needs a
secure context): each example opened with its link shows what the plain build shows, its
downloads are the unsealed files byte for byte, an incomplete link or no JavaScript gets the
message, a passphrase works and a wrong one is refused, and nothing is fetched elsewhere."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, Page

from generator.build import build
from generator.read.site import load_site
from generator.urls import calendar_name, pdf_name
from tests.conftest import INVOICE, TODAY
from tests.qrdecode import decode_svg
from tests.subpath_server import SubPathServer
from tests.test_encrypted import small_site

BASE = "https://studio-lindqvist.github.io/invoices/"
DOWNLOADS = ("2026-001", "2026-007", "2026-008")  # en, ru, af
SEEN_AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)  # both builds' pages at one instant


@pytest.fixture(scope="module")
def servers(sealed_builds):
    # The unsealed twin: a plain build at the same addresses (test_encrypted.py shows it
    # equals the privacy = "link" build but for og:url).
    with SubPathServer("/invoices/") as plain, SubPathServer("/invoices/") as sealed:
        plain.root = sealed_builds["twin"].output
        sealed.root = sealed_builds["sealed"].output
        yield plain, sealed


class Local:
    """A browser context that lets only the local server answer, and remembers the rest."""

    def __init__(self, browser: Browser, base: str, js: bool = True) -> None:
        self.elsewhere: list[str] = []
        self.context: BrowserContext = browser.new_context(java_script_enabled=js,
                                                           accept_downloads=True)

        def route(r):
            if r.request.url.startswith(base) or r.request.url.startswith("blob:"):
                return r.continue_()
            self.elsewhere.append(r.request.url)
            return r.abort()

        self.context.route("**/*", route)

    def page(self, fixed: bool = True) -> Page:
        page = self.context.new_page()
        if fixed:
            page.clock.set_fixed_time(SEEN_AT)
        return page


def seen(page: Page) -> dict[str, object]:
    """What a reader gets: visible text, title, language, links, and the QR codes drawn."""
    soup = BeautifulSoup(page.content(), "html.parser")
    return {"text": re.sub(r"[ \t\r\n]+", " ", page.locator("body").inner_text()).strip(),
            "title": page.title(), "lang": page.evaluate("document.documentElement.lang"),
            "links": [a["href"] for a in soup.select("a[href]")],
            "qr": [str(svg) for svg in soup.select("svg.qr")]}


def opened(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.remitSealed !== undefined")


def test_each_example_opens_to_the_plain_page_with_byte_identical_downloads(
        browser, servers, sealed_builds):
    plain_srv, sealed_srv = servers
    sealed, twin = sealed_builds["sealed"], sealed_builds["twin"]
    local = Local(browser, sealed_srv.base_url)
    other = Local(browser, plain_srv.base_url)
    checked_qr, qr_seen, downloaded = 0, [], 0
    for inv in sealed.site.published:
        want_page = other.page()
        want_page.goto(plain_srv.base_url + twin.site.paths[inv.source])
        want = seen(want_page)
        page = local.page()
        opened(page, sealed.site.url(inv).replace(BASE, sealed_srv.base_url))
        got = seen(page)
        assert got == want, inv.number
        qr_seen.append(got["qr"])
        assert inv.number in got["text"]
        # The same codes drawn (compared above); the first reads back with a real decoder
        # (each decode costs ~0.2 s; test_payment_pages.py decodes every code of every page).
        for svg in BeautifulSoup(page.content(), "html.parser").select("svg.qr")[:1]:
            assert decode_svg(svg).bytes
            checked_qr += 1
        folder = twin.output / twin.site.paths[inv.source]
        # Downloads through the browser for one invoice per language (test_encrypted.py
        # opens every sealed file of every example in Python).
        files = ((".pdf-download a", pdf_name(inv.number)),
                 (".calendar-link a", calendar_name(inv.number)))
        for selector, name in files if inv.number in DOWNLOADS else ():
            if not (folder / name).exists():
                assert page.locator(selector).count() == 0
                continue
            with page.expect_download() as info:
                page.click(selector)
            download = info.value
            assert download.suggested_filename == name
            assert Path(download.path()).read_bytes() == (folder / name).read_bytes()
            downloaded += 1
        # In-page links keep the key in the address bar (a reload still opens the invoice).
        page.focus("a.skip")
        page.keyboard.press("Enter")
        assert "#k=" in page.url
        assert page.evaluate("document.activeElement.id") == "main"
        page.close()
        want_page.close()
    assert downloaded >= 5
    assert checked_qr >= 5 and sum(len(seen_qr) for seen_qr in qr_seen) >= 10
    assert local.elsewhere == [] and other.elsewhere == []
    local.context.close()
    other.context.close()


def test_missing_or_wrong_key_and_no_javascript_get_the_message(browser, servers,
                                                                sealed_builds):
    _, sealed_srv = servers
    sealed = sealed_builds["sealed"]
    local = Local(browser, sealed_srv.base_url)
    by_number = {i.number: i for i in sealed.site.published}
    for number, words in (("2026-001", "This link is incomplete"),
                          ("2026-007", "Ссылка неполная"),
                          ("2026-008", "Hierdie skakel is onvolledig")):
        url = sealed.site.url(by_number[number]).replace(BASE, sealed_srv.base_url)
        bare, key = url.split("#k=")
        wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
        tries = (bare, bare + "#", bare + "#k=" + wrong, bare + "#k=" + key[:20]) \
            if number == "2026-001" else (bare,)
        for attempt in tries:
            page = local.page(fixed=False)
            page.goto(attempt)
            message = page.locator('[data-sealed-state="incomplete"]')
            message.wait_for(state="visible")
            assert words in message.inner_text()
            assert page.locator(".sealed-contact").is_visible()
            assert not page.locator(".sealed-opening").is_visible()
            if attempt == bare:
                # The whole link pasted into the same tab changes only the fragment: it opens.
                page.evaluate("key => { location.hash = 'k=' + key; }", key)
                page.wait_for_function("window.remitSealed !== undefined")
                assert number in page.title()
            page.close()
    assert local.elsewhere == []
    local.context.close()
    nojs = Local(browser, sealed_srv.base_url, js=False)
    page = nojs.page(fixed=False)
    page.goto(sealed.site.url(by_number["2026-001"]).replace(BASE, sealed_srv.base_url))
    text = page.locator("body").inner_text()
    assert "This invoice opens with JavaScript" in text and "Studio Lindqvist" in text
    assert "Opening your invoice" not in text
    nojs.context.close()


def test_passphrase_and_video(browser, tmp_path):
    site = small_site(tmp_path / "s", passphrase="correct horse")
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
    (site.root / "content" / "videos").mkdir()
    (site.root / "content" / "videos" / "hi.mp4").write_bytes(video)
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"').replace(
        'due = 2026-11-30\n', 'due = 2026-11-30\nvideo = "videos/hi.mp4"\n'))
    build(site.root, today=TODAY, pdf=False)
    loaded = load_site(site.root)
    urls = {i.number: loaded.url(i) for i in loaded.published}
    assert not any("hi.mp4" in p.name for p in site.output.rglob("*"))
    with SubPathServer("/invoices/") as srv:
        srv.root = site.output
        local = Local(browser, srv.base_url)
        page = local.page(fixed=False)
        page.goto(urls["T-1"].replace("https://example.github.io/invoices/", srv.base_url))
        form = page.locator('form[data-sealed-state="passphrase"]')
        form.wait_for(state="visible")
        page.fill("#remit-passphrase", "wrong horse")
        page.click("form button")
        page.locator("[data-sealed-wrong]").wait_for(state="visible")
        assert page.evaluate("window.remitSealed") is None
        page.fill("#remit-passphrase", "correct horse")
        page.click("form button")
        page.wait_for_function("window.remitSealed !== undefined")
        assert page.title().startswith("Invoice T-1")
        page = local.page(fixed=False)
        opened(page, urls["T-2"].replace("https://example.github.io/invoices/", srv.base_url))
        page.wait_for_function("document.querySelector('video').src.startsWith('blob:')")
        got = page.evaluate("""fetch(document.querySelector('video').src)
            .then(r => r.arrayBuffer()).then(b => Array.from(new Uint8Array(b)))""")
        assert bytes(got) == video
        assert local.elsewhere == []
        local.context.close()


def test_serve_opens_sealed_pages_reloads_them_and_keeps_the_error_overlay(browser, tmp_path):
    import io

    from generator.serve.preview import PreviewServer
    from generator.serve.watch import Watcher
    from tests.watching import change

    site = small_site(tmp_path / "s")
    watcher = Watcher(site.root, today=TODAY, quiet=0.2, out=io.StringIO())
    server = PreviewServer(watcher, "127.0.0.1", 0)
    server.start()
    try:
        loaded = load_site(site.root)
        inv = next(i for i in loaded.published if i.number == "T-1")
        host, port = server.httpd.server_address[:2]
        base = f"http://{host}:{port}/invoices/"
        local = Local(browser, f"http://{host}:{port}/")  # /_remit/livereload is outside the site
        page = local.page(fixed=False)
        opened(page, loaded.url(inv).replace("https://example.github.io/invoices/", base))
        assert page.locator("[data-amount-due]:visible").inner_text() == "€238.00"
        # A save reloads the tab (same link, key and all) into the new page.
        with page.expect_event("load"):
            change(watcher, lambda: site.invoice("t-1.md", INVOICE.replace(
                "unit_price = 100.00", "unit_price = 200.00")))
        page.wait_for_function("window.remitSealed !== undefined")
        assert page.locator("[data-amount-due]:visible").inner_text() == "€476.00"
        # A bad save: the last good page opens, under the preview's error overlay.
        with page.expect_event("load"):
            change(watcher, lambda: site.invoice("t-1.md", INVOICE.replace(
                "due = 2026-11-30", "due = 2026-13-30")))
        page.wait_for_function("window.remitSealed !== undefined")
        assert page.locator("[data-amount-due]:visible").inner_text() == "€476.00"
        assert "content/t-1.md:4" in page.locator("#remit-error-overlay").inner_text()
        assert local.elsewhere == []
        local.context.close()
    finally:
        server.stop()
