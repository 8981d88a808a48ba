"""`remit serve`: watch mode plus a preview on this machine that reloads open tabs."""

from __future__ import annotations

import argparse
import sys

from generator.cli.watch import make_watcher
from generator.serve.preview import PreviewServer, serve_forever


def run(args: argparse.Namespace) -> int:
    watcher = make_watcher(args)
    try:
        server = PreviewServer(watcher, args.bind, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.bind}:{args.port}: {exc.strerror} "
              "(try another --port)", file=sys.stderr)
        return 1
    return serve_forever(server)
