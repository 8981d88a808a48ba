"""The fast mask choice (render/qrmask.py) and the fast encoder (render/qrencode.py) are
qrcode's own: the same penalty for any matrix, the same codewords, the same mask and the
same module matrix for payloads of every size and level."""

from __future__ import annotations

import random
import re

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from qrcode.util import MODE_8BIT_BYTE, create_data, lost_point

from generator.render.qr import LEVELS, matrix, path_data
from generator.render.qrencode import codewords, encode
from generator.render.qrmask import QRCode, pack, penalty, unpack


def test_levels_are_qrcode_constants():
    from qrcode import constants

    assert LEVELS == {"L": constants.ERROR_CORRECT_L, "M": constants.ERROR_CORRECT_M,
                      "Q": constants.ERROR_CORRECT_Q, "H": constants.ERROR_CORRECT_H}


def qrcode_own(payload: bytes, level: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=LEVELS[level], border=0, box_size=1)
    code.add_data(payload, optimize=0)
    code.make(fit=True)
    return code


def ours(payload: bytes, level: str) -> QRCode:
    code = QRCode(error_correction=LEVELS[level], border=0, box_size=1)
    code.add_data(payload, optimize=0)
    code.make(fit=True)
    return code


@st.composite
def matrices(draw: st.DrawFn) -> list[list[bool]]:
    n = draw(st.integers(11, 45))
    # Sparse, dense and balanced matrices: long runs and finder look-alikes both occur.
    dark = draw(st.sampled_from([0.05, 0.3, 0.5, 0.7, 0.95]))
    rng = random.Random(draw(st.integers(0, 2**32)))
    return [[rng.random() < dark for _ in range(n)] for _ in range(n)]


@settings(max_examples=150, deadline=None)
@given(matrices())
def test_penalty_equals_qrcode_lost_point_on_any_matrix(rows):
    assert penalty(pack(rows), len(rows)) == lost_point(rows)


@pytest.mark.parametrize("rows", [
    [[True] * 21 for _ in range(21)],
    [[False] * 21 for _ in range(21)],
    [[(r + c) % 2 == 0 for c in range(25)] for r in range(25)],
    [[c % 2 == 0 for c in range(25)] for r in range(25)],
    # 1011101 0000 in every row and column start: every finder look-alike rule fires.
    [[bool((0b10111010000 >> (10 - (c % 11))) & 1) for c in range(33)] for r in range(33)],
    # exactly 45% dark: the proportion lands on a 5% step
    [[i < 180 for i in range(r * 20, r * 20 + 20)] for r in range(20)],
])
def test_penalty_equals_qrcode_lost_point_on_edge_cases(rows):
    assert penalty(pack(rows), len(rows)) == lost_point(rows)


def payloads() -> list[tuple[bytes, str]]:
    rng = random.Random(17)
    out = []
    for i in range(160):
        size = rng.choice([1, 10, 40, 90, 150, 250, 330])  # versions 1 to about 13
        data = bytes(rng.randrange(256) for _ in range(rng.randint(1, size)))
        out.append((data, "LMQH"[i % 4]))
    for cents in range(0, 3_000_000, 97_001):  # EPC payloads as pages carry them
        out.append((f"BCD\n002\n1\nSCT\nCOBADEFFXXX\nAnna Lindqvist\nDE89370400440532013000\n"
                    f"EUR{cents // 100}.{cents % 100:02d}\n\n\nInvoice 2026-{cents:07d}"
                    .encode(), "M"))
    out += [(bytes(rng.randrange(256) for _ in range(n)), "M") for n in (700, 1500, 2331)]
    return out


def test_same_mask_and_matrix_as_qrcode_over_many_payloads():
    """qrmask's QRCode and qrencode both."""
    masks, versions = set(), set()
    for payload, level in payloads():
        theirs, mine = qrcode_own(payload, level), ours(payload, level)
        assert mine.get_matrix() == theirs.get_matrix(), (payload, level)
        versions.add(same_as_qrcode(payload, level, theirs))
        # (best_mask_pattern re-encodes in test mode: asked only after the matrices)
        mask = theirs.best_mask_pattern()
        assert mine.best_mask_pattern() == mask, (payload, level)
        masks.add(mask)
    assert masks == set(range(8))  # every mask was the right answer somewhere
    # Both widths of the length field, version bits, the largest code.
    assert {1, 7, 10, 32, 40} <= versions


def test_svg_path_is_drawn_from_qrcode_own_matrix():
    payload = b"https://www.paypal.com/paypalme/studiolindqvist/1800.00EUR"
    rows, version = matrix(payload, "M")
    assert rows == qrcode_own(payload, "M").get_matrix()
    assert version == qrcode_own(payload, "M").version
    # Each dark run of a row is one rectangle, read back module by module.
    drawn = [[False] * len(rows) for _ in rows]
    d = path_data(rows, 0)
    runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", d)
    assert "".join(f"M{x} {y}h{w}v1h-{w}z" for x, y, w in runs) == d
    for x, y, w in runs:
        for k in range(int(w)):
            drawn[int(y)][int(x) + k] = True
    assert drawn == rows


def rectangles_run_by_run(rows: list[list[bool]], offset: int) -> str:
    """The SVG path as it was drawn before, one regular-expression match per dark run: the
    reference for render/qr.py's packed_path_data."""
    out = []
    for y, row in enumerate(rows):
        text = "".join("1" if m else "0" for m in row)
        for run in re.finditer("1+", text):
            x, w = run.start(), run.end() - run.start()
            out.append(f"M{x + offset} {y + offset}h{w}v1h-{w}z")
    return "".join(out)


@given(st.integers(1, 45), st.integers(0, 2**32), st.sampled_from([0, 4]))
@settings(max_examples=150, deadline=None)
def test_svg_path_equals_drawing_run_by_run(n, seed, offset):
    rng = random.Random(seed)
    density = rng.choice([0.0, 0.1, 0.5, 0.9, 1.0])  # all light, all dark and between
    rows = [[rng.random() < density for _ in range(n)] for _ in range(n)]
    assert path_data(rows, offset) == rectangles_run_by_run(rows, offset)


def test_svg_path_of_real_codes_equals_drawing_run_by_run():
    for size in (1, 60, 300, 2331):  # versions 1 to 40
        rows, _ = matrix(bytes(range(256)) * (size // 256) + b"x" * (size % 256), "M")
        assert path_data(rows) == rectangles_run_by_run(rows, 4)


def same_as_qrcode(payload: bytes, level: str, theirs: qrcode.QRCode) -> int:
    """qrencode, which draws every code of a build, against qrcode: the version, the
    codewords (data, padding, Reed-Solomon blocks interleaved) and the final matrix, format
    and version bits included."""
    packed, n, version = encode(payload, LEVELS[level])
    assert (n, version) == (theirs.modules_count, theirs.version), (payload, level)
    assert unpack(packed, n) == theirs.get_matrix(), (payload, level)
    if theirs.data_list[0].mode == MODE_8BIT_BYTE:
        assert list(codewords(payload, version, LEVELS[level])) == \
            create_data(version, LEVELS[level], theirs.data_list), (payload, level)
    return version


def test_encoder_codewords_and_matrix_are_qrcode_own():
    rng = random.Random(1713)
    cases = [(bytes(rng.randrange(256) for _ in range(n)), level)
             for n in range(1, 80, 2) for level in "LMQH"]
    cases += [(b"0123456789" * 4, "M"), (b"HTTPS://EXAMPLE.COM/PAY/42", "Q"), (b"7", "H"),
              (b"", "L")]  # digits and A-Z: qrcode picks a denser mode than bytes
    for payload, level in cases:
        same_as_qrcode(payload, level, qrcode_own(payload, level))
