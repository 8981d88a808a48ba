"""QR codes as small inline SVG: one `<path>` written straight from the module matrix.

qrcode's own SVG factories are slow (~5 ms more per code), hard-code `id="qr-path"` (a page
with two codes would repeat an id) or emit `svg:`-prefixed markup that is invalid inline in
HTML. qrcode's symbol (codewords, mask, matrix) is computed by qrencode, exactly and in
~0.3 ms instead of ~2.5 ms, so a code costs less than reading it back from a file would:
codes are remembered in memory for the process (watch mode), not on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# qrcode's error-correction constants (qrcode.constants.ERROR_CORRECT_*), spelled out so
# that importing this module does not import qrcode and Pillow (they come with the first
# code drawn). tests/test_qr_mask.py checks them.
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
    """qrcode's module matrix for `payload` (add_data(payload, optimize=0): one segment),
    without a quiet zone; and the version."""
    from generator.render.qrencode import encode
    from generator.render.qrmask import unpack

    packed, n, version = encode(payload, LEVELS[level])
    return unpack(packed, n), version


def path_data(rows: list[list[bool]], offset: int = QUIET) -> str:
    from generator.render.qrmask import pack

    return packed_path_data(pack(rows), len(rows), offset)


_RUNS = [f"h{w}v1h-{w}z" for w in range(200)]  # 177 modules at most


@lru_cache(maxsize=8)  # a build draws codes of a few sizes; the largest table is ~2.5 MB
def _moves(n: int, offset: int) -> list[str]:
    """ "M{x} {y}" for each bit position of a packed n x n matrix (guard bits included),
    made once per size of code."""
    stride = n + 1
    return [f"M{p % stride + offset} {p // stride + offset}" for p in range(n * stride)]


def packed_path_data(packed: int, n: int, offset: int = QUIET) -> str:
    """Each horizontal run of dark modules becomes one rectangle: compact and exact. (The
    light guard bit after each row of the packed matrix ends every run at its row's end.)
    The runs are the pieces between light modules, piece j starting after j light modules
    and the pieces before it: a loop over their lengths costs half what a regular
    expression's match objects did (a code has a few hundred runs)."""
    moves = _moves(n, offset)
    out, start = [], 0
    for width in map(len, f"{packed:0{n * (n + 1)}b}"[::-1].split("0")):
        if width:
            out.append(moves[start] + _RUNS[width])
        start += width + 1
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


# Few in memory: a code's SVG is ~10 kB, and a large build draws thousands of different ones.
@lru_cache(maxsize=256)
def qr_svg(payload: bytes, level: str = "M", cross: bool = False, label: str = "") -> QRCode:
    """An `<svg>` element for `payload`; same payload, same bytes, every build."""
    from generator.render.qrencode import encode

    packed, n, version = encode(payload, LEVELS[level])
    size = n + 2 * QUIET
    extra = swiss_cross(size) if cross else ""
    aria = f' role="img" aria-label="{escape_attr(label)}"' if label else ' aria-hidden="true"'
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"'
           f' class="qr" shape-rendering="crispEdges"{aria}>'
           f'<path fill="#fff" d="M0 0h{size}v{size}h-{size}z"/>'
           f'<path fill="#000" d="{packed_path_data(packed, n)}"/>{extra}</svg>')
    return QRCode(svg, version, level, n)



def escape_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))
