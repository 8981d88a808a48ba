"""`remit watch` and `remit serve` as the owner runs them: a real process, stopped with Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import urllib.request

from bs4 import BeautifulSoup

from generator.cli.main import main
from tests.conftest import INVOICE

TIMEOUT = 60.0


class Remit:
    """`python -m generator ARGS` with its stdout read line by line on a thread."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "generator", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, text: str) -> str:
        """The first new line containing `text`; fail if none comes within the timeout."""
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r}; got {self.seen}") from None
            self.seen.append(line)
            if text in line:
                return line

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(TIMEOUT)


def test_watch_starts_on_a_broken_site_reports_and_recovers(site):
    site.invoice(text=INVOICE.replace("quantity = 2", "quantity = -"))
    remit = Remit("watch", str(site.root), "--today", "2026-11-23")
    try:
        remit.expect("initial build -> 1 problem, the last good site stays in place")
        line = INVOICE.splitlines().index("quantity = 2") + 1
        reported = remit.expect("error: content/t-1.md")
        assert f"content/t-1.md:{line}: quantity: invalid TOML" in reported
        remit.expect("Watching")
        site.invoice()
        line = remit.expect("content/t-1.md -> ")
        assert "rendered T-1 (1 page live) in" in line
    finally:
        assert remit.interrupt() == 0
    assert "T-1" in site.pages()


def test_serve_prints_its_url_and_serves_the_site(site):
    site.invoice()
    remit = Remit("serve", str(site.root), "--port", "0", "--today", "2026-11-23")
    try:
        line = remit.expect("Serving ")
        url = line.split(" at ")[1].split(" ")[0]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/invoices/")
        with urllib.request.urlopen(url, timeout=TIMEOUT) as resp:
            home = BeautifulSoup(resp.read().decode("utf-8"), "html.parser")
        assert home.h1.get_text(strip=True) == "Studio Lindqvist"
    finally:
        assert remit.interrupt() == 0


def test_watch_needs_a_site(tmp_path, capsys):
    assert main(["watch", str(tmp_path)]) == 1
    assert "site.toml: not found" in capsys.readouterr().err
