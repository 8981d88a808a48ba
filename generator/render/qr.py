"""QR codes as small inline SVG: one `<path>` written straight from the module matrix.

qrcode's own SVG factories are slow (~5 ms more per code), hard-code `id="qr-path"` (a page
with two codes would repeat an id) or emit `svg:`-prefixed markup that is invalid inline in
HTML. qrcode's best-mask search (~9 ms) is replaced by qrmask's exact one (~1 ms for the
whole encoding's share), and codes are still cached by payload, in memory and on disk.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version as package_version
from pathlib import Path

# qrcode's error-correction constants (qrcode.constants.ERROR_CORRECT_*), spelled out so
# that importing this module (the build cache does, for QR_FOLDER) does not import qrcode
# and Pillow: a no-op build draws no codes. tests/test_qr_mask.py checks them.
LEVELS = {"L": 1, "M": 0, "Q": 3, "H": 2}
QUIET = 4  # modules of white margin the QR standard asks for around the code
MAX_BYTES_M = 2331  # byte-mode capacity of the largest code (version 40) at level M


@dataclass(frozen=True)
class QRCode:
    svg: str
    version: int
    level: str
    modules: int  # width of the symbol without its quiet zone


def matrix(payload: bytes, level: str = "M") -> tuple[list[list[bool]], int]:
    from generator.render.qrmask import QRCode

    code = QRCode(error_correction=LEVELS[level], border=0, box_size=1)
    code.add_data(payload, optimize=0)  # one byte-mode segment: the bytes go in unchanged
    code.make(fit=True)
    return code.get_matrix(), int(code.version or 0)


_DARK_RUN = re.compile(b"\x01+")  # a row as bytes: b"\x01" dark, b"\x00" light


def path_data(rows: list[list[bool]], offset: int = QUIET) -> str:
    """Each horizontal run of dark modules becomes one rectangle: compact and exact."""
    out = []
    for y, row in enumerate(rows):
        for run in _DARK_RUN.finditer(bytes(row)):
            start, width = run.start(), run.end() - run.start()
            out.append(f"M{start + offset} {y + offset}h{width}v1h-{width}z")
    return "".join(out)


def swiss_cross(size: int) -> str:
    """The Swiss cross the QR-bill standard puts in the middle (7 mm of a 46 mm code).

    Drawn as a white-edged black square with a white cross; level M recovers the modules
    it covers, as every Swiss banking app expects.
    """
    c = size / 2
    s = size * 7 / 46  # black square
    edge = s * 1.4 / 7 * 0.5  # white border around it
    arm_w, arm_l = s * 6 / 32, s * 20 / 32

    def rect(x: float, y: float, w: float, h: float) -> str:
        return f"M{x:.3f} {y:.3f}h{w:.3f}v{h:.3f}h{-w:.3f}z"

    white = rect(c - s / 2 - edge, c - s / 2 - edge, s + 2 * edge, s + 2 * edge)
    black = rect(c - s / 2, c - s / 2, s, s)
    cross = rect(c - arm_w / 2, c - arm_l / 2, arm_w, arm_l) + \
        rect(c - arm_l / 2, c - arm_w / 2, arm_l, arm_w)
    return (f'<path fill="#fff" d="{white}"/><path fill="#000" d="{black}"/>'
            f'<path fill="#fff" d="{cross}"/>')


# Few in memory: a code's SVG is ~10 kB, a large build draws thousands of different ones,
# and the build cache on disk (cached_qr_svg) returns any of them in ~0.03 ms.
@lru_cache(maxsize=256)
def qr_svg(payload: bytes, level: str = "M", cross: bool = False, label: str = "") -> QRCode:
    """An `<svg>` element for `payload`; same payload, same bytes, every build."""
    rows, version = matrix(payload, level)
    n = len(rows)
    size = n + 2 * QUIET
    extra = swiss_cross(size) if cross else ""
    aria = f' role="img" aria-label="{escape_attr(label)}"' if label else ' aria-hidden="true"'
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"'
           f' class="qr" shape-rendering="crispEdges"{aria}>'
           f'<path fill="#fff" d="M0 0h{size}v{size}h-{size}z"/>'
           f'<path fill="#000" d="{path_data(rows)}"/>{extra}</svg>')
    return QRCode(svg, version, level, n)


# Bump when the SVG this module writes changes, so stale cached codes are never reused.
FORMAT = "1"
QR_FOLDER = "qr"  # inside the build cache's versioned root (digest.CACHE_FORMAT)


@lru_cache(maxsize=1)
def _cache_salt() -> str:
    return f"remit-qr-{FORMAT}-qrcode-{package_version('qrcode')}"


def cached_qr_svg(payload: bytes, level: str = "M", cross: bool = False,
                  folder: Path | None = None) -> QRCode:
    """`qr_svg`, remembered on disk across builds in `folder` (the build cache's QR_FOLDER):
    the mask search (~9 ms a code) is most of a build's time, and an invoice's codes rarely
    change between builds. The file holds exactly what `qr_svg` returns, so a cached build
    equals a clean one. Reading a file touches it: the build cache prunes unused ones."""
    if folder is None:
        return qr_svg(payload, level, cross)
    key = hashlib.sha256(f"{_cache_salt()}|{level}|{int(cross)}|".encode() + payload)
    path = folder / f"{key.hexdigest()}.txt"
    try:
        version, svg = path.read_text(encoding="utf-8").split("\n", 1)
        modules = (int(version) - 1) * 4 + 21
        os.utime(path)
        return QRCode(svg, int(version), level, modules)
    except (OSError, ValueError):
        pass
    code = qr_svg(payload, level, cross)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"{code.version}\n{code.svg}")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs time
    return code


def escape_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))
