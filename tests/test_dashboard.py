"""The owner's dashboard at /_remit/ on `remit serve`: its figures, its privacy (this machine
only, never in output/), its live updates, and its copy-link button in Chromium."""

from __future__ import annotations

import http.client
import io
import json
import os
import threading

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

from generator.serve.dashboard import is_local
from generator.serve.preview import PreviewServer
from generator.serve.watch import Watcher
from tests.conftest import CHROMIUM_ARGS as ARGS
from tests.conftest import INVOICE, TODAY
from tests.systools import system_tool
from tests.watching import change, wait_until

SECOND = (INVOICE.replace('number = "T-1"', 'number = "T-2"')
          .replace("due = 2026-11-30", "due = 2026-10-01")
          .replace("issued = 2026-11-01", "issued = 2026-09-01")
          .replace('name = "Jonas Weber"', 'name = "Ochieng <b>Architects</b>"'))


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes]:
    addr, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(addr, port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.fixture
def served(site):
    site.invoice()
    site.invoice("t-2.md", SECOND)
    watcher = Watcher(site.root, today=TODAY, quiet=0.2, out=io.StringIO())
    server = PreviewServer(watcher, "127.0.0.1", 0)
    server.start()
    wait_until(lambda: watcher.rebuilds >= 1, what="the first build")
    try:
        yield site, server, watcher
    finally:
        server.stop()


def cells(soup: BeautifulSoup, section: str) -> list[list[str]]:
    return [[td.get_text(" ", strip=True) for td in tr.select("td")]
            for tr in soup.select(f"#{section} tbody tr")]


def test_dashboard_shows_what_is_owed(served):
    site, server, _ = served
    status, body = get(server, "/_remit/")
    assert status == 200, body
    soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
    # T-1 238.00 due in 7 days; T-2 238.00 due 2026-10-01, 53 days late on 2026-11-23.
    assert cells(soup, "owed") == [["EUR", "€476.00", "€238.00", "€0.00", "€238.00", "€0.00",
                                    "€0.00", "€0.00", "€238.00", "2"]]
    assert cells(soup, "weeks") == [["2026-W49 (from 2026-11-30)", "EUR", "€238.00"]]
    rows = {r[0]: r for r in cells(soup, "invoices")}
    assert rows["T-2"][2] == "overdue" and "53 d late" in rows["T-2"][6]
    # Client text is escaped, never markup.
    assert not soup.select("#clients b")
    assert "Ochieng <b>Architects</b>" in [r[0] for r in cells(soup, "clients")]
    # Copy and share carry the invoice's public link; the number links to the local page.
    links = {a.get_text(): a["href"] for a in soup.select("#invoices td:first-child a")}
    folder = next(p for p in (site.root / "output").iterdir() if p.name.startswith("t-1-"))
    assert links["T-1"] == f"/invoices/{folder.name}/"
    copy = {tr.td.get_text(): tr.select_one("button[data-copy]")
            for tr in soup.select("#invoices tbody tr")}["T-1"]
    assert copy["data-copy"] == f"https://example.github.io/invoices/{folder.name}/"
    share = json.loads(soup.select("#invoices button[data-share]")[0]["data-share"])
    assert "friendly reminder" in share["text"] and folder.name not in share["text"]
    # The page reloads itself after a rebuild, like every preview page.
    assert soup.select_one("script[data-remit-livereload]") is not None


def test_dashboard_follows_watch_mode(served):
    site, server, watcher = served
    before = json.loads(get(server, "/_remit/data.json")[1])
    assert before["currencies"][0]["exact"]["outstanding"] == "476.00"
    change(watcher, lambda: site.invoice(
        "t-2.md", SECOND.replace("unit_price = 100.00", "unit_price = 50.00")))
    after = json.loads(get(server, "/_remit/data.json")[1])
    assert after["currencies"][0]["exact"]["outstanding"] == "357.00"
    # A broken save shows the problem instead of stale figures.
    change(watcher, lambda: site.invoice("t-2.md", SECOND.replace("quantity = 2",
                                                                  "quantity = -2")))
    status, body = get(server, "/_remit/")
    assert status == 200 and b".quantity: must be greater than 0" in body


def test_dashboard_answers_this_machine_only_and_is_never_published(served):
    site, server, _ = served
    assert server.httpd.server_address[0] == "127.0.0.1"
    # DNS rebinding: a loopback peer asking for another host's name gets nothing.
    status, body = get(server, "/_remit/", host="attacker.example:8000")
    assert status == 403 and b"476" not in body
    assert get(server, "/_remit/", host="localhost:1")[0] == 200
    assert get(server, "/_remit/secret.txt")[0] == 404
    assert not is_local("192.168.1.20", "127.0.0.1:8000")
    assert not is_local("::ffff:10.0.0.1", "localhost")
    assert is_local("::1", "[::1]:8000") and is_local("127.0.0.1", "127.0.0.1")
    for folder, dirs, files in os.walk(site.root / "output"):
        assert "_remit" not in dirs
        for name in files:
            with open(os.path.join(folder, name), "rb") as fh:
                content = fh.read()
            assert b"Balance per client" not in content, name
            assert b"data-copy=\"https" not in content, name


def click_copy(chromium: str, origin: str, number: str) -> tuple[str, str]:
    """(button text after the click, clipboard contents) in Chromium."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            context = browser.new_context()
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
            page = context.new_page()
            page.goto(origin + "/_remit/")
            button = page.locator("#invoices tr", has_text=number).locator("button[data-copy]")
            button.click()
            page.wait_for_selector("button[data-copied]", timeout=10_000)
            return button.inner_text(), page.evaluate("navigator.clipboard.readText()")
        finally:
            browser.close()


def test_copy_link_button_copies_the_public_url(served):
    _, server, _ = served
    data = json.loads(get(server, "/_remit/data.json")[1])
    want = next(i["url"] for i in data["invoices"] if i["number"] == "T-1")
    chromium = system_tool("chromium")  # here: a skip raised in the thread would be lost
    # Its own thread: the sync API refuses to start where another test's Playwright (a
    # session-wide browser) already runs an event loop.
    result: list[object] = []

    def run() -> None:
        try:
            result.append(click_copy(chromium, server.origin, "T-1"))
        except Exception as exc:  # shown by the assertion below
            result.append(exc)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert result == [("Copied", want)]
