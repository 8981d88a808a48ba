"""`remit serve`: watch mode plus a local preview server that reloads open tabs.

- The site is mounted at its base URL's path (`/invoices/` for
  https://user.github.io/invoices/), as GitHub Pages will serve it, and a missing path gets
  the built 404 page with status 404; `/` redirects to the base path.
- Files come from whatever output folder exists at request time. A build never writes into
  it: it writes a new tree and swaps it in by rename, so a file, once opened, is complete.
  Only the instant of the swap can make a path vanish; a request that misses while a build
  runs waits for the build to finish and looks again, instead of answering 404.
- Live reload is long polling with the standard library: every HTML response carries a
  small inline script that asks `/_remit/livereload?since=EPOCH` and reloads the tab when
  the epoch moves on. The epoch moves only after a rebuild has finished (new files in
  place, or the error recorded), so a tab never reloads into a half-built site.
- The owner's dashboard (serve/dashboard.py) lives at `/_remit/`, beside the site, for
  requests from this machine only; it is computed per rebuild and never written to output/.
- After a failed rebuild, every HTML response is the last good page with an overlay naming
  each problem (file:line: field: message); the next good rebuild clears it.

The script and overlay are added to responses only; the files in the output folder stay
exactly what `remit build` writes.
"""

from __future__ import annotations

import collections
import html
import json
import mimetypes
import os
import posixpath
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from generator.confine import confined_file
from generator.errors import RemitError
from generator.read.settings import load_settings
from generator.serve import dashboard
from generator.serve.watch import Outcome, Watcher, run_until_interrupt

PREFIX = "/_remit/"  # the preview server's own URLs; no published name starts with "_"
LIVERELOAD = PREFIX + "livereload"
DASHBOARD = PREFIX  # the owner's page; DASHBOARD + "data.json" is the same as JSON
POLL_SECONDS = 25.0  # a long poll answers after this long even if nothing changed
SWAP_WAIT_SECONDS = 60.0  # how long a request may wait for a running build to finish

RELOAD_SCRIPT = """<script data-remit-livereload="{epoch}">
(function () {{
  var epoch = {epoch};
  function poll() {{
    fetch("{url}?since=" + epoch, {{cache: "no-store"}})
      .then(function (r) {{ return r.json(); }})
      .then(function (d) {{ if (d.epoch > epoch) {{ location.reload(); }} else {{ poll(); }} }})
      .catch(function () {{ setTimeout(poll, 1000); }});
  }}
  poll();
}})();
</script>
"""

# data-remit-keep: an encrypted page's shell keeps it when it puts the opened page in place.
OVERLAY = """<div id="remit-error-overlay" data-remit-keep role="alert" style="position:fixed;\
z-index:2147483647;top:0;left:0;right:0;max-height:70vh;overflow:auto;margin:0;\
padding:1rem 1.25rem;\
background:#fff5f5;color:#5c0b0b;border-bottom:4px solid #c0262d;\
box-shadow:0 4px 24px rgba(0,0,0,.25);font:15px/1.45 system-ui,sans-serif">
<strong style="display:block;font-size:1.1em;margin-bottom:.35rem">{title}</strong>
<ul style="margin:.25rem 0 .5rem;padding-left:1.25rem;\
font-family:ui-monospace,monospace;font-size:.92em">{items}</ul>
<span style="font-size:.9em">{hint}</span>
</div>
"""

FALLBACK_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Remit preview</title></head>
<body><p>{message}</p></body></html>
"""


def overlay_html(outcome: Outcome | None) -> str:
    """The error overlay for a failed rebuild, or "" when the last rebuild succeeded."""
    if outcome is None or outcome.ok:
        return ""
    if outcome.problems:
        n = len(outcome.problems)
        title = f"The last save has {n} problem{'s' if n != 1 else ''}; showing the last good " \
                "build"
        items = "".join(f"<li>{html.escape(str(p))}</li>" for p in outcome.problems)
        hint = "Fix the file and save it: this page reloads by itself."
    else:
        title = "The build crashed; showing the last good build"
        items = f"<li>{html.escape(outcome.crash or 'unknown error')}</li>"
        hint = "The traceback is in the terminal; the next change tries again."
    return OVERLAY.format(title=html.escape(title), items=items, hint=html.escape(hint))


def inject(page: bytes, snippet: str) -> bytes:
    """Insert `snippet` before the last </body> (or at the end when there is none)."""
    marker = page.lower().rfind(b"</body>")
    data = snippet.encode("utf-8")
    return page + data if marker < 0 else page[:marker] + data + page[marker:]


def safe_relative(url_path: str) -> str | None:
    """The site-relative path of a URL path below the mount, or None if it climbs out."""
    parts = [p for p in unquote(url_path).split("/") if p not in ("", ".")]
    if any(p == ".." or "\\" in p or "\0" in p for p in parts):
        return None
    return posixpath.join(*parts) if parts else ""


class Preview:
    """State shared by request threads: the mount, the epoch and the last outcome."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher
        self.cond = threading.Condition()
        self.epoch = 0
        self.outcome: Outcome | None = None
        self.closing = False
        self.swap_waits = 0  # requests that found a path missing mid-build and waited
        self.log: collections.deque[str] = collections.deque(maxlen=1000)  # recent requests
        self.base_path = self._read_base_path() or "/"
        self._dashboard: tuple[int, dict[str, object]] | None = None
        watcher.listeners.append(self.on_rebuild)

    @property
    def output(self) -> Path:
        assert self.watcher.output is not None
        return self.watcher.output

    def _read_base_path(self) -> str | None:
        try:
            return load_settings(self.watcher.root, self.watcher.base_url).base_path
        except RemitError:
            return None  # a broken site.toml keeps the last good mount

    def on_rebuild(self, outcome: Outcome) -> None:
        base = self._read_base_path() if outcome.ok else None
        with self.cond:
            if base:
                self.base_path = base
            self.outcome = outcome
            self.epoch = outcome.epoch
            self.cond.notify_all()

    def wait_for_change(self, since: int, timeout: float) -> int:
        with self.cond:
            self.cond.wait_for(lambda: self.epoch > since or self.closing, timeout)
            return self.epoch

    def dashboard(self) -> tuple[int, dict[str, object]]:
        """(epoch, data) of the owner's dashboard, computed once per rebuild."""
        epoch = self.epoch
        cached = self._dashboard
        if cached is None or cached[0] != epoch:
            w = self.watcher
            cached = (epoch, dashboard.load_dashboard(w.root, w.base_url, w.today))
            self._dashboard = cached
        return cached

    def close(self) -> None:
        with self.cond:
            self.closing = True
            self.cond.notify_all()

    def read(self, rel: str, slash: bool = False) -> tuple[bytes, str] | str | None:
        """(content, file name) of a file; "/" when a folder was asked for without its
        trailing slash (the caller redirects, as GitHub Pages does); None if missing."""
        for attempt in range(2):
            target = self.output / rel if rel else self.output
            try:
                if target.is_dir():
                    if rel and not slash:
                        return "/"
                    target = target / "index.html"
                # Only regular files inside output/: a link out of it is never followed.
                if os.path.lexists(target) and confined_file(target, self.output, None):
                    return None
                with open(target, "rb") as fh:  # a whole file, from one tree or the other
                    return fh.read(), target.name
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                # Missing now; if a build is swapping trees, wait for it and look again.
                if attempt or not (self.watcher.building or not self.output.is_dir()):
                    return None
                with self.cond:
                    self.swap_waits += 1
                    self.cond.notify_all()
                self.watcher.wait_built(SWAP_WAIT_SECONDS)
        return None


class Handler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per rebuild is what the owner reads; no line per request

    def do_HEAD(self) -> None:
        self.handle_request(send_body=False)

    def do_GET(self) -> None:
        self.handle_request(send_body=True)

    def handle_request(self, send_body: bool) -> None:
        preview = self.server.preview
        try:
            url = urlsplit(self.path)
        except ValueError:  # e.g. "//[x": no path of ours, and no traceback in the terminal
            self.not_found(send_body)
            return
        with preview.cond:
            preview.log.append(self.path)
            preview.cond.notify_all()
        if url.path == LIVERELOAD:
            self.livereload(parse_qs(url.query), send_body)
            return
        if url.path.startswith(PREFIX):
            self.owner_page(url.path, send_body)
            return
        base = preview.base_path
        if (url.path == "/" and base != "/") or url.path + "/" == base:
            self.redirect(base)
            return
        if not url.path.startswith(base):
            self.not_found(send_body)
            return
        rel = safe_relative(url.path[len(base):])
        # Read the epoch before the file: a page can then only be newer than its epoch,
        # which at worst costs one extra reload, never a missed one.
        epoch = preview.epoch
        found = None if rel is None else preview.read(rel, url.path.endswith("/"))
        if found == "/":
            self.redirect(url.path + "/" + (f"?{url.query}" if url.query else ""))
        elif isinstance(found, tuple):
            self.send_file(HTTPStatus.OK, found[0], found[1], epoch, send_body)
        else:
            self.not_found(send_body)

    def owner_page(self, path: str, send_body: bool) -> None:
        """The dashboard, to this machine only; anything else under /_remit/ is not found."""
        if not dashboard.is_local(self.client_address[0], self.headers.get("Host")):
            self.send_file(HTTPStatus.FORBIDDEN, b"The dashboard answers this machine only.\n",
                           "forbidden.txt", 0, send_body)
            return
        if path not in (DASHBOARD, DASHBOARD + "data.json"):
            self.not_found(send_body)
            return
        epoch, data = self.server.preview.dashboard()
        if path.endswith(".json"):
            body = json.dumps(data, ensure_ascii=False).encode("utf-8")
            self.send_file(HTTPStatus.OK, body, "data.json", epoch, send_body)
        else:
            body = dashboard.dashboard_html(data).encode("utf-8")
            self.send_file(HTTPStatus.OK, body, "index.html", epoch, send_body)

    def not_found(self, send_body: bool) -> None:
        preview = self.server.preview
        epoch = preview.epoch
        found = preview.read("404.html")
        if isinstance(found, tuple):
            self.send_file(HTTPStatus.NOT_FOUND, found[0], "404.html", epoch, send_body)
        else:
            message = "No page here yet: the site has not been built successfully."
            page = FALLBACK_PAGE.format(message=html.escape(message)).encode("utf-8")
            self.send_file(HTTPStatus.NOT_FOUND, page, "404.html", epoch, send_body)

    def send_file(self, status: HTTPStatus, body: bytes, name: str, epoch: int,
                  send_body: bool) -> None:
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if ctype == "text/html":
            preview = self.server.preview
            body = inject(body, overlay_html(preview.outcome)
                          + RELOAD_SCRIPT.format(epoch=epoch, url=LIVERELOAD))
            ctype += "; charset=utf-8"
        elif ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
            ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a preview is always fresh
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def livereload(self, query: dict[str, list[str]], send_body: bool) -> None:
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            since = 0
        preview = self.server.preview
        epoch = preview.wait_for_change(since, self.server.poll_seconds)
        outcome = preview.outcome
        answer = {"epoch": epoch, "ok": outcome is None or outcome.ok,
                  "problems": [str(p) for p in outcome.problems] if outcome else []}
        body = json.dumps(answer).encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a waiting long poll must not keep the process alive

    def __init__(self, address: tuple[str, int], preview: Preview,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.preview = preview
        self.poll_seconds = poll_seconds
        super().__init__(address, Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        # A reloading or closed tab drops its pending long poll; answering it then fails.
        # That is routine, not worth a traceback in the owner's terminal.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class PreviewServer:
    """A watcher plus an HTTP server on one port: start(), then stop()."""

    def __init__(self, watcher: Watcher, host: str = "127.0.0.1", port: int = 8000,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.watcher = watcher
        self.preview = Preview(watcher)
        self.httpd = PreviewHTTPServer((host, port), self.preview, poll_seconds)
        self.thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host if isinstance(host, str) else host.decode()}:{port}"

    @property
    def url(self) -> str:
        return self.origin + self.preview.base_path

    def start(self) -> None:
        self.watcher.start()
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.1,),
                                       name="remit-serve", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.preview.close()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.watcher.stop()


def serve_forever(server: PreviewServer) -> int:
    """Run until Ctrl-C, for the command line."""
    server.start()
    out = server.watcher.out

    def announce() -> None:
        print(f"Serving {server.watcher.output} at {server.url} (live reload on); "
              "press Ctrl-C to stop.", file=out, flush=True)
        print(f"What is owed (this machine only): {server.origin}{DASHBOARD}", file=out,
              flush=True)

    return run_until_interrupt(lambda: server.thread, server.stop, announce)

