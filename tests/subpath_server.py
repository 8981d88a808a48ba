"""A local stand-in for GitHub Pages: serves a built site under a sub-path such as /repo/.

Like Pages, it answers any path outside the site or missing inside it with the site's
404.html and status 404, and redirects a folder without its trailing slash. Bound to
127.0.0.1 on a free port; use as a context manager.
"""

from __future__ import annotations

import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit


class SubPathServer:
    def __init__(self, prefix: str) -> None:
        assert prefix.startswith("/") and prefix.endswith("/")
        self.prefix = prefix
        self.root: Path | None = None  # set before the first request: the port comes first
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll interval: shutdown() waits for the loop's next poll.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{self.prefix}"

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        assert self.root is not None, "set .root to the built site before requesting pages"
        path = urlsplit(req.path).path
        if not path.startswith(self.prefix):
            return self.send(req, 404, self.root / "404.html")
        target = (self.root / unquote(path[len(self.prefix):])).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return self.send(req, 404, self.root / "404.html")
        if target.is_dir():
            if not path.endswith("/"):
                req.send_response(301)
                req.send_header("Location", path + "/")
                req.end_headers()
                return None
            target = target / "index.html"
        if not target.is_file():
            return self.send(req, 404, self.root / "404.html")
        return self.send(req, 200, target)

    @staticmethod
    def send(req: BaseHTTPRequestHandler, status: int, file: Path) -> None:
        body = file.read_bytes()
        req.send_response(status)
        req.send_header("Content-Type", mimetypes.guess_type(file.name)[0]
                        or "application/octet-stream")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    def __enter__(self) -> SubPathServer:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
