"""How long a payment QR code costs: qrcode's own SVG factory and matrix vs Remit's encoder
(qrencode) and path writer, cold and warm (in-process cache).
Run: .venv/bin/python tools/bench_qr.py"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg

from generator.render import qr
from generator.render.qrmask import QRCode

N = 200


def payloads(tag: str) -> list[bytes]:
    return [(f"BCD\n002\n1\nSCT\nCOBADEFFXXX\nAnna Lindqvist\nDE89370400440532013000\n"
             f"EUR{n}.00\n\n\n{tag}-{n:04d}").encode() for n in range(N)]


def per_code(fn: Callable[[bytes], Any], items: list[bytes]) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / len(items) * 1000


def main() -> None:
    naive = per_code(lambda p: qrcode.make(
        p, image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M).to_string(), payloads("a"))
    def qrcode_matrix(p: bytes) -> None:  # qrcode's own mask search, for the comparison
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(p, optimize=0)
        code.make(fit=True)

    own = per_code(qrcode_matrix, payloads("d"))

    def masked(p: bytes) -> None:  # qrcode's codewords, qrmask's mask choice
        code = QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(p, optimize=0)
        code.make(fit=True)

    mine = per_code(masked, payloads("e"))
    encoded = per_code(lambda p: qr.matrix(p, "M"), payloads("f"))
    cold = per_code(qr.qr_svg, payloads("b"))
    warm = per_code(qr.qr_svg, payloads("b"))
    for label, ms in (("qrcode SvgPathImage", naive), ("qrcode matrix, its own masks", own),
                      ("qrcode matrix, qrmask's mask", mine), ("qrencode matrix", encoded),
                      ("Remit SVG, cold", cold), ("Remit SVG, memory cache", warm)):
        print(f"{label:<30}{ms:9.4f} ms/code")


if __name__ == "__main__":
    main()
