"""qrcode's best-mask choice, exact and cheap: the same mask, hence the same matrix.

qrcode picks a code's mask (ISO/IEC 18004 §7.8.3) by encoding the symbol eight times and
scoring each in pure Python (~9 ms a code, most of a page build). Here the codewords are
placed once, with mask 0, in the symbol layout qrcode draws for the version (remembered per
version), the other seven are derived from it by flipping the data modules each mask
pattern covers, and all eight are scored with whole-matrix integer bit operations:
the matrix is one Python int, row after row, each row followed by a light guard bit so that
no run or pattern can continue from one row into the next. The rules are qrcode's own
(`qrcode.util.lost_point`: runs of five or more, 2x2 blocks, 1:1:3:1:1 finder look-alikes
with four light modules on one side, dark proportion in 5% steps, ties to the lower mask),
scored, as qrcode scores them, on symbols whose format bits are all light. qrcode makes the
codewords (data and error correction) and writes the format bits of the final symbol;
tests/test_qr_mask.py proves mask and matrix equal to qrcode's own over many payloads of
every size and level.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import qrcode
from qrcode.exceptions import DataOverflowError
from qrcode.util import (
    BIT_LIMIT_TABLE,
    MODE_8BIT_BYTE,
    MODE_ALPHA_NUM,
    MODE_NUMBER,
    check_version,
    create_data,
    mask_func,
    mode_sizes_for_version,
)

_TO_BITS = bytes.maketrans(b"\x00\x01", b"01")
_FROM_BITS = bytes.maketrans(b"01", b"\x00\x01")


def pack(rows: list[list[bool]]) -> int:
    """Module (r, c) of an n x n matrix at bit r * (n + 1) + c; bit r * (n + 1) + n is 0."""
    text = b"".join(bytes(row) + b"\x00" for row in rows)
    return int(text.translate(_TO_BITS)[::-1], 2)


def unpack(matrix: int, n: int) -> list[list[bool]]:
    stride = n + 1
    text = f"{matrix:0{n * stride}b}".encode()[::-1].translate(_FROM_BITS)
    return [list(map(bool, text[r * stride:r * stride + n])) for r in range(n)]


@lru_cache(maxsize=64)
def _layout(n: int) -> tuple[int, int, int, int]:
    """The row stride, and the masks of all modules, of those with a neighbour to their
    right, and of those with one below."""
    stride = n + 1
    row = (1 << n) - 1
    every = sum(row << (r * stride) for r in range(n))
    right = sum((row >> 1) << (r * stride) for r in range(n))
    below = sum(row << (r * stride) for r in range(n - 1))
    return stride, every, right, below


@lru_cache(maxsize=64)
def _patterns(n: int) -> tuple[int, ...]:
    """Each mask pattern's dark cells (qrcode's own mask functions), packed."""
    out = []
    for k in range(8):
        dark = mask_func(k)
        out.append(pack([[dark(r, c) for c in range(n)] for r in range(n)]))
    return tuple(out)


def _runs(eq: int, step: int) -> int:
    """Points for runs of five or more equal modules (length L costs L - 2) along `step`,
    given `eq`: the modules equal to their next one along `step`."""
    two = eq & (eq >> step)
    windows = two & (two >> 2 * step)  # five equal from here
    starts = windows ^ (windows & (windows << step))  # ... and not from the module before
    return windows.bit_count() + 2 * starts.bit_count()


def _finder_like(dark: int, light: int, step: int) -> int:
    """Both look-alikes share 1011101 and four light modules: found once, then put together
    (1011101 then 0000, and 0000 then 1011101). 1011101 is dark at 0, 2-4 and 6 and light at
    1 and 5: the three dark in a row and the two light share their shifts."""
    dark_two = dark & (dark >> step)
    core = dark & ((light & (light >> 4 * step)) >> step) \
        & ((dark_two & (dark >> 2 * step)) >> 2 * step) & (dark >> 6 * step)
    light_two = light & (light >> step)
    four = light_two & (light_two >> 2 * step)
    return (core & (four >> 7 * step)).bit_count() + (four & (core >> 4 * step)).bit_count()


def penalty(matrix: int, n: int) -> int:
    """qrcode's `lost_point` of a packed n x n matrix."""
    return _penalty(matrix, n, _layout(n), -1)


def _penalty(matrix: int, n: int, layout: tuple[int, int, int, int], bound: int) -> int:
    """`penalty`; or, once the points counted so far reach `bound` (>= 0), any number >=
    `bound`: that mask has lost already, and its finder look-alikes, the dearest rule to
    count, go uncounted. (A complement is dear on a big int: x & ~m is m-free x ^ (x & m).)"""
    stride, every, right, below = layout
    # The same float arithmetic as qrcode, so a proportion on a 5% step rounds the same way.
    percent = float(matrix.bit_count()) / (n**2)
    points = int(abs(percent * 100 - 50) / 5) * 10
    eq_h = ((matrix ^ (matrix >> 1)) & right) ^ right
    eq_v = ((matrix ^ (matrix >> stride)) & below) ^ below
    points += _runs(eq_h, 1) + _runs(eq_v, stride)
    points += 3 * (eq_h & (eq_h >> stride) & eq_v).bit_count()
    if 0 <= bound <= points:
        return points
    light = matrix ^ every
    return points + 40 * (_finder_like(matrix, light, 1) + _finder_like(matrix, light, stride))


@lru_cache(maxsize=64)
def _flips(free: int, n: int) -> tuple[int, ...]:
    """The data modules each mask flips relative to mask 0."""
    patterns = _patterns(n)
    return tuple(free & (patterns[0] ^ pattern) for pattern in patterns)


def best_mask(test_matrix: int, free: int, n: int) -> int:
    """The mask qrcode would choose, from the symbol encoded with mask 0 in test mode (format
    bits light) and the data modules `free` (where masks apply): the first of the lowest
    penalty."""
    layout = _layout(n)
    flips = _flips(free, n)
    best, best_points = 0, _penalty(test_matrix, n, layout, -1)
    for k in range(1, 8):
        points = _penalty(test_matrix ^ flips[k], n, layout, best_points)
        if points < best_points:
            best, best_points = k, points
    return best


# Bits each mode writes for n characters (qrcode.util.QRData.write, ISO/IEC 18004 §7.4).
_SEGMENT_BITS = {
    MODE_NUMBER: lambda n: n // 3 * 10 + (0, 4, 7)[n % 3],
    MODE_ALPHA_NUM: lambda n: n // 2 * 11 + n % 2 * 6,
    MODE_8BIT_BYTE: lambda n: n * 8,
}


@dataclass(frozen=True)
class _Symbol:
    """What every code of one version shares, as qrcode draws it in test mode."""

    n: int
    blank: int  # the function patterns (format and version bits light, as in test mode)
    free: int  # the data modules: those qrcode's map_data fills
    order: tuple[int, ...]  # their bit positions, in the order map_data fills them


class _Probe(qrcode.QRCode):
    def map_data(self, data: list[int], mask_pattern: int) -> None:
        self.before = [row[:] for row in self.modules]  # qrcode's symbol before the data
        super().map_data(data, mask_pattern)


@lru_cache(maxsize=40)
def _symbol(version: int) -> _Symbol:
    probe = _Probe(version=version, border=0)
    probe.data_cache = []  # no data: only the layout is wanted
    probe.makeImpl(True, 0)
    before, n = probe.before, probe.modules_count
    stride = n + 1
    order = []
    # qrcode's map_data walk: column pairs from the right, up and down in turn, skipping
    # the vertical timing pattern's column (6).
    row, step = n - 1, -1
    for col in range(n - 1, 0, -2):
        if col <= 6:
            col -= 1
        while 0 <= row < n:
            order += [row * stride + c for c in (col, col - 1) if before[row][c] is None]
            row += step
        row -= step
        step = -step
    return _Symbol(n, pack([[m is True for m in row] for row in before]),
                   pack([[m is None for m in row] for row in before]), tuple(order))


class QRCode(qrcode.QRCode):
    """qrcode's QRCode with the mask chosen by `best_mask`, the version found by counting
    the data's bits, and the codewords (qrcode's, error correction included) placed by one
    walk over the data modules instead of nine; qrcode writes the format and version bits."""

    def best_fit(self, start: int | None = None) -> int:
        # qrcode's own search, with the data's length in bits counted instead of written.
        start = start or 1
        check_version(start)
        sizes = mode_sizes_for_version(start)
        needed = sum(4 + sizes[d.mode] + _SEGMENT_BITS[d.mode](len(d)) for d in self.data_list)
        self.version = bisect_left(BIT_LIMIT_TABLE[self.error_correction], needed, start)
        if self.version == 41:
            raise DataOverflowError()
        if sizes is not mode_sizes_for_version(self.version):
            self.best_fit(start=self.version)
        return self.version

    def _test_symbol(self) -> tuple[_Symbol, int]:
        """The symbol as qrcode's makeImpl(True, 0) draws it: mask 0, format bits light."""
        if self.data_cache is None:
            self.data_cache = create_data(self.version, self.error_correction, self.data_list)
        symbol = _symbol(self.version)
        data = self.data_cache
        bits = f"{int.from_bytes(bytes(data), 'big'):0{len(data) * 8}b}"
        placed = bytearray(symbol.n * (symbol.n + 1))
        # More modules than bits: the remainder modules stay light, as in map_data.
        for position, bit in zip(symbol.order, bits, strict=False):
            if bit == "1":
                placed[position] = 1
        unmasked = int(placed.translate(_TO_BITS)[::-1], 2)
        return symbol, symbol.blank | (unmasked ^ (symbol.free & _patterns(symbol.n)[0]))

    def best_mask_pattern(self) -> int:
        symbol, matrix = self._test_symbol()
        return best_mask(matrix, symbol.free, symbol.n)

    def make(self, fit: bool = True) -> None:
        if fit or self.version is None:
            self.best_fit(start=self.version)
        if self.mask_pattern is not None:
            self.makeImpl(False, self.mask_pattern)
            return
        symbol, matrix = self._test_symbol()
        mask = best_mask(matrix, symbol.free, symbol.n)
        patterns = _patterns(symbol.n)
        self.modules_count = symbol.n
        self.modules = unpack(matrix ^ (symbol.free & (patterns[0] ^ patterns[mask])), symbol.n)
        self.setup_type_info(False, mask)
        if self.version >= 7:
            self.setup_type_number(False)
