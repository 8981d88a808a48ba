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


def test_version_for_is_the_first_version_that_holds_the_bytes():
    """version_for bisects a table of capacities: the same answer as trying each version in
    turn, for every size a code holds, at every level."""
    from qrcode.exceptions import DataOverflowError
    from qrcode.util import BIT_LIMIT_TABLE, mode_sizes_for_version

    from generator.render.qrencode import version_for

    for level in LEVELS.values():
        version = 1
        for size in range(0, 3000):
            while version <= 40 and 4 + mode_sizes_for_version(version)[MODE_8BIT_BYTE] \
                    + 8 * size > BIT_LIMIT_TABLE[level][version]:
                version += 1
            if version > 40:
                with pytest.raises(DataOverflowError):
                    version_for(size, level)
                break
            assert version_for(size, level) == version, (size, level)
        else:
            raise AssertionError("a version holds 3000 bytes?")


@st.composite
def mask_inputs(draw: st.DrawFn) -> tuple[int, int, int]:
    """A random matrix and random data modules: what best_mask is given."""
    n = draw(st.integers(11, 41))
    rng = random.Random(draw(st.integers(0, 2**32)))
    dark, free = draw(st.sampled_from([0.1, 0.5, 0.9])), draw(st.sampled_from([0.3, 0.8]))
    rows = [[rng.random() < dark for _ in range(n)] for _ in range(n)]
    where = [[rng.random() < free for _ in range(n)] for _ in range(n)]
    return pack(rows), pack(where), n


@settings(max_examples=40, deadline=None)
@given(mask_inputs())
def test_best_mask_is_the_first_of_the_lowest_lost_point(symbol):
    """best_mask stops counting a mask once it has lost: still the first mask of the lowest
    qrcode lost_point, whatever the matrix."""
    from qrcode.util import mask_func

    from generator.render.qrmask import best_mask

    test, free, n = symbol
    points = []
    for k in range(8):
        flip = [[mask_func(0)(r, c) != mask_func(k)(r, c) for c in range(n)] for r in range(n)]
        points.append(lost_point(unpack(test ^ (free & pack(flip)), n)))
    assert best_mask(test, free, n) == points.index(min(points))


def test_same_matrix_as_qrcode_across_versions_and_levels():
    """Random payloads whose versions spread over 1 to 40, at every level: qrencode's
    version, codewords and matrix are qrcode's (large codes are few: qrcode takes seconds)."""
    from generator.render.qrencode import _capacities

    rng = random.Random(40)
    versions = set()
    for version in [*range(1, 15), 17, 22, 27, 33]:
        level = "LMQH"[version % 4]
        low = _capacities(LEVELS[level])[version - 2] + 1 if version > 1 else 1
        size = rng.randint(low, _capacities(LEVELS[level])[version - 1])
        payload = bytes(rng.randrange(256) for _ in range(size))
        theirs = qrcode_own(payload, level)
        versions.add(same_as_qrcode(payload, level, theirs))
    assert versions == {*range(1, 15), 17, 22, 27, 33}
