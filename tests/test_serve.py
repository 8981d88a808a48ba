"""`remit serve`: a real HTTP client against the preview server while files change on disk."""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.serve.preview import PreviewServer
from generator.serve.watch import Watcher
from generator.urls import token
from generator.write import output as output_module
from tests.conftest import INVOICE, TODAY
from tests.systools import system_tool
from tests.watching import change, clean_build_equals, wait_until

FOLDER = f"t-1-{token('test-secret', 'T-1')}"


class Client:
    def __init__(self, server: PreviewServer) -> None:
        self.host, self.port = server.httpd.server_address[:2]

    def get(self, path: str, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def soup(self, path: str) -> BeautifulSoup:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return BeautifulSoup(body.decode("utf-8"), "html.parser")


def priced(price: str) -> str:
    return INVOICE.replace("unit_price = 100.00", f"unit_price = {price}")


def amount(soup: BeautifulSoup) -> str:
    return soup.select_one("[data-amount-due]").get_text(strip=True)


@pytest.fixture
def served(site):
    site.invoice()
    watcher = Watcher(site.root, today=TODAY, quiet=0.2, out=io.StringIO())
    server = PreviewServer(watcher, "127.0.0.1", 0)
    server.start()
    try:
        yield site, server, Client(server)
    finally:
        server.stop()


class LongPoll(threading.Thread):
    """A live-reload request held open by the server, as a browser tab's script makes it."""

    def __init__(self, client: Client, since: int, on_answer=lambda: None) -> None:
        super().__init__(daemon=True)
        self.client, self.since, self.on_answer = client, since, on_answer
        self.answer: dict | None = None
        self.seen_then: object = None

    def run(self) -> None:
        status, _, body = self.client.get(f"/_remit/livereload?since={self.since}")
        assert status == 200
        self.seen_then = self.on_answer()  # what is on disk the instant the signal arrives
        self.answer = json.loads(body)


def start_poll(server: PreviewServer, client: Client, **kwargs) -> LongPoll:
    since = server.preview.epoch
    poll = LongPoll(client, since, **kwargs)
    n = len([p for p in server.preview.log if "livereload" in p])
    poll.start()
    wait_until(lambda: len([p for p in server.preview.log if "livereload" in p]) > n,
               what="the long poll to reach the server")
    return poll


def test_site_is_mounted_at_the_base_path_with_the_built_404(served):
    site, server, client = served
    assert server.url.endswith("/invoices/")
    status, headers, _ = client.get("/")
    assert status == 302 and headers["Location"] == "/invoices/"
    status, headers, _ = client.get("/invoices")
    assert status == 302 and headers["Location"] == "/invoices/"
    home = client.soup("/invoices/")
    assert home.h1.get_text(strip=True) == "Studio Lindqvist"
    status, headers, _ = client.get(f"/invoices/{FOLDER}")
    assert status == 302 and headers["Location"] == f"/invoices/{FOLDER}/"
    assert amount(client.soup(f"/invoices/{FOLDER}/")) == "€238.00"
    for missing in ("/invoices/no-such-invoice/", "/elsewhere/", "/invoices/../site.toml",
                    f"/invoices/{FOLDER}/nothing.pdf"):
        status, headers, body = client.get(missing)
        assert status == 404, missing
        page = BeautifulSoup(body.decode("utf-8"), "html.parser")
        assert page.h1.get_text(strip=True) == "Page not found"
        # The 404 page's links are absolute from the base path, and they resolve here.
        css = page.find("link", rel="stylesheet")["href"]
        assert css == "/invoices/static/style.css"
    status, headers, body = client.get("/invoices/static/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert body == (site.output / "static/style.css").read_bytes()


def test_reload_script_is_served_but_never_written_into_the_output(served, tmp_path):
    site, server, client = served
    page = client.soup(f"/invoices/{FOLDER}/")
    script = page.find("script", attrs={"data-remit-livereload": True})
    assert script["data-remit-livereload"] == str(server.preview.epoch)
    assert "/_remit/livereload" in script.string
    assert not script.get("src")  # inline: the preview makes no external requests
    for html in site.output.rglob("*.html"):
        assert "_remit/" not in html.read_text(encoding="utf-8")
    clean_build_equals(site, tmp_path)


def test_a_save_signals_open_tabs_only_once_the_new_files_are_in_place(served, tmp_path):
    site, server, client = served
    page_file = site.output / FOLDER / "index.html"
    before = server.preview.epoch
    poll = start_poll(server, client,
                      on_answer=lambda: page_file.read_text(encoding="utf-8"))
    change(server.watcher, lambda: site.invoice(text=priced("200.00")),
           until=lambda: poll.answer is not None)
    poll.join(30)
    assert poll.answer == {"epoch": before + 1, "ok": True, "problems": []}
    assert "€476.00" in poll.seen_then  # the file on disk was already the new one
    page = client.soup(f"/invoices/{FOLDER}/")
    assert amount(page) == "€476.00"
    assert page.find("script", attrs={"data-remit-livereload": str(before + 1)})
    clean_build_equals(site, tmp_path)


def test_a_bad_save_shows_an_overlay_on_the_last_good_page_until_fixed(served, tmp_path):
    site, server, client = served
    poll = start_poll(server, client)
    bad = INVOICE.replace("due = 2026-11-30", "due = 2026-13-30")
    change(server.watcher, lambda: site.invoice(text=bad), until=lambda: poll.answer)
    poll.join(30)
    assert poll.answer is not None and poll.answer["ok"] is False
    assert poll.answer["problems"][0].startswith("content/t-1.md:")
    page = client.soup(f"/invoices/{FOLDER}/")
    overlay = page.select_one("#remit-error-overlay")
    assert overlay is not None and overlay["role"] == "alert"
    text = overlay.get_text(" ", strip=True)
    assert "1 problem" in text and "content/t-1.md:4" in text
    assert amount(page) == "€238.00"  # the last good page, under the overlay
    # Every page carries it, the 404 page too; the files themselves stay clean.
    status, _, body = client.get("/invoices/nope/")
    assert status == 404 and b"remit-error-overlay" in body
    assert b"remit-error-overlay" not in (site.output / FOLDER / "index.html").read_bytes()

    poll = start_poll(server, client)
    change(server.watcher, lambda: site.invoice(text=priced("50.00")),
           until=lambda: poll.answer)
    poll.join(30)
    assert poll.answer is not None and poll.answer["ok"] is True
    page = client.soup(f"/invoices/{FOLDER}/")
    assert page.select_one("#remit-error-overlay") is None
    assert amount(page) == "€119.00"
    clean_build_equals(site, tmp_path)


def test_a_request_during_the_swap_waits_for_the_new_tree(served, monkeypatch):
    """Between the two renames of a swap output/ does not exist: no 404 may escape."""
    site, server, client = served
    real_swap = output_module.swap_into_place
    answers: list[tuple[int, bytes]] = []

    def swap_with_a_request_in_the_gap(tmp: Path, output: Path) -> None:
        old = Path(tempfile.mkdtemp(prefix=".output-old-", dir=output.parent))
        os.replace(output, old / "site")  # the first half of the swap
        waits = server.preview.swap_waits
        asker = threading.Thread(target=lambda: answers.append(
            client.get(f"/invoices/{FOLDER}/")[::2]), daemon=True)
        asker.start()
        wait_until(lambda: server.preview.swap_waits > waits, what="the request to wait")
        assert not answers  # held, not answered with a 404
        real_swap(tmp, output)
        shutil.rmtree(old)  # the request is answered once build() has returned

    monkeypatch.setattr(output_module, "swap_into_place", swap_with_a_request_in_the_gap)
    # A build normally updates a trusted output/ file by file; distrust it to force a swap.
    monkeypatch.setattr(output_module.OutputState, "trusted", lambda self: False)
    change(server.watcher, lambda: site.invoice(text=priced("200.00")),
           until=lambda: answers)
    status, body = answers[0]
    assert status == 200 and "€476.00" in body.decode("utf-8")


def test_a_real_browser_tab_reloads_after_a_save(served, tmp_path):
    site, server, _ = served
    chromium = system_tool("chromium")
    page_path = f"/invoices/{FOLDER}/"
    epoch = server.preview.epoch

    def polls_from(e: int) -> bool:
        return any(p.endswith(f"livereload?since={e}") for p in server.preview.log)

    args = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}", server.origin + page_path]
    browser = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # The tab's inline script runs and waits for the next rebuild.
        wait_until(lambda: polls_from(epoch), what="the tab's live-reload request")
        loads = server.preview.log.count(page_path)
        change(server.watcher, lambda: site.invoice(text=priced("200.00")),
               until=lambda: polls_from(epoch + 1))
        # It reloaded the page, which now carries the new epoch and polls for the next one.
        assert server.preview.log.count(page_path) > loads
    finally:
        browser.terminate()
        browser.wait(30)
