"""Read a QR code back from the inline SVG a page contains, with a real decoder (zxing-cpp).

The SVG is drawn with Pillow from its own path data (the subset of path syntax Remit writes:
M, h, v, H, V, z with absolute or relative lengths), so what is decoded is exactly what the
page shows, not a payload re-encoded by the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import zxingcpp
from bs4 import Tag
from PIL import Image, ImageDraw

SCALE = 8
_TOKEN = re.compile(r"[MmHhVvZz]|-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Decoded:
    bytes: bytes
    ec_level: str
    version: int


def polygons(d: str) -> list[list[tuple[float, float]]]:
    tokens = _TOKEN.findall(d)
    shapes: list[list[tuple[float, float]]] = []
    x = y = 0.0
    i = 0
    current: list[tuple[float, float]] = []
    while i < len(tokens):
        cmd = tokens[i]
        i += 1
        if cmd in "Mm":
            nx, ny = float(tokens[i]), float(tokens[i + 1])
            i += 2
            x, y = (nx, ny) if cmd == "M" else (x + nx, y + ny)
            current = [(x, y)]
        elif cmd in "HhVv":
            v = float(tokens[i])
            i += 1
            if cmd == "H":
                x = v
            elif cmd == "h":
                x += v
            elif cmd == "V":
                y = v
            else:
                y += v
            current.append((x, y))
        elif cmd in "Zz":
            shapes.append(current)
            x, y = current[0]
        else:
            raise AssertionError(f"unexpected path token {cmd!r}")
    return shapes


def rasterise(svg: Tag) -> Image.Image:
    _, _, w, h = (float(v) for v in (svg.get("viewBox") or svg["viewbox"]).split())
    img = Image.new("L", (int(w * SCALE), int(h * SCALE)), 255)
    draw = ImageDraw.Draw(img)
    for path in svg.find_all("path"):
        fill = 0 if path["fill"] in ("#000", "#000000", "black") else 255
        for poly in polygons(path["d"]):
            # Pillow's polygon includes its right/bottom edge; shave it so runs do not bleed.
            pts = [(px * SCALE, py * SCALE) for px, py in poly]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            draw.rectangle((min(xs), min(ys), max(xs) - 1, max(ys) - 1), fill=fill)
    return img


def decode_svg(svg: Tag) -> Decoded:
    img = rasterise(svg)
    found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"expected one QR code, decoder found {len(found)}"
    code = found[0]
    side = img.width // SCALE - 8
    return Decoded(bytes(code.bytes), code.ec_level, (side - 17) // 4)


def decode_image(img: Image.Image) -> bytes:
    found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"expected one QR code, decoder found {len(found)}"
    return bytes(found[0].bytes)


def segno_epc(name: str, iban: str, amount: str, text: str | None = None,
              reference: str | None = None, bic: str | None = None) -> tuple[bytes, str, int]:
    """segno's independent EPC QR code, decoded from its own PNG: (payload, level, version).

    Its documented differences from ours: it writes the amount without trailing zeros
    ("EUR1800" for 1800.00) and, unless told, picks the narrowest character set; we ask it
    for UTF-8 so the bytes are comparable.
    """
    import io

    import segno.helpers

    code = segno.helpers.make_epc_qr(name=name, iban=iban, amount=amount, text=text,
                                     reference=reference, bic=bic, encoding="utf-8")
    buf = io.BytesIO()
    code.save(buf, kind="png", scale=6, border=4)
    buf.seek(0)
    return decode_image(Image.open(buf).convert("L")), code.error, int(code.version)


def assert_epc_matches_segno(payload: bytes) -> None:
    """Rebuild `payload` with segno from its own fields and compare the decoded bytes."""
    lines = payload.decode("utf-8").split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"] and lines[7].startswith("EUR")
    reference = lines[9] or None
    text = lines[10] if len(lines) > 10 else None
    theirs, level, version = segno_epc(lines[5], lines[6], lines[7][3:], text=text,
                                       reference=reference, bic=lines[4] or None)
    amount = lines[7].rstrip("0").rstrip(".")
    assert theirs == "\n".join([*lines[:7], amount, *lines[8:]]).encode("utf-8")
    assert level == "M" and version <= 13
