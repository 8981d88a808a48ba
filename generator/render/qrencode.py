"""A QR code of one byte-mode segment, encoded as qrcode encodes it, at a fraction of the cost.

qrcode writes its bit buffer one bit per call and divides polynomials for the error
correction in pure Python (~1 ms a code, more than the rest of the page). Here the data
codewords are one integer's bytes (mode, length, payload, terminator, pad bytes: qrcode's
create_data), the Reed-Solomon remainder of each block is a shift register over one table
per error-correction length (256 products of qrcode's own generator polynomial, each one
integer), the bits reach their modules through one gather per version (the order of
qrcode's map_data walk), qrmask chooses the mask, and the format and version bits are one
integer per (version, level, mask), drawn once by qrcode itself. tests/test_qr_mask.py
proves codewords, mask and matrix equal to qrcode's over many payloads of every size and
level.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from operator import itemgetter

import qrcode
from qrcode import LUT, base
from qrcode.exceptions import DataOverflowError
from qrcode.util import (
    BIT_LIMIT_TABLE,
    MODE_8BIT_BYTE,
    PAD0,
    PAD1,
    mode_sizes_for_version,
    optimal_mode,
)

from generator.render.qrmask import QRCode, _patterns, _symbol, best_mask, pack

_PADDING = bytes([PAD0, PAD1]) * 1500  # more than the largest code's data codewords


def version_for(size: int, level: int) -> int:
    """The smallest version that holds `size` bytes in one byte-mode segment (qrcode's
    best_fit, for that one segment)."""
    version = bisect_left(_capacities(level), size) + 1
    if version > 40:
        raise DataOverflowError()
    return version


@lru_cache(maxsize=4)
def _capacities(level: int) -> list[int]:
    """The bytes one byte-mode segment of each version holds (4 bits of mode, the length
    field, 8 bits a byte), versions 1 to 40: it grows with the version."""
    return [(BIT_LIMIT_TABLE[level][version] - 4
             - mode_sizes_for_version(version)[MODE_8BIT_BYTE]) // 8
            for version in range(1, 41)]


@lru_cache(maxsize=160)
def _blocks(version: int, level: int) -> tuple[tuple[int, int], ...]:
    """Each Reed-Solomon block's data and error-correction codeword counts."""
    return tuple((b.data_count, b.total_count - b.data_count)
                 for b in base.rs_blocks(version, level))


def _generator(ec: int) -> list[int]:
    """qrcode's generator polynomial for `ec` error-correction codewords (first: x^ec)."""
    if ec in LUT.rsPoly_LUT:
        return list(LUT.rsPoly_LUT[ec])
    poly = base.Polynomial([1], 0)
    for i in range(ec):
        poly = poly * base.Polynomial([1, base.gexp(i)], 0)
    return list(poly)


def _times(a: int, b: int) -> int:
    """a * b in qrcode's Galois field."""
    return 0 if a == 0 or b == 0 else base.gexp(base.glog(a) + base.glog(b))


@lru_cache(maxsize=32)
def _feedback(ec: int) -> tuple[int, ...]:
    """For each byte f: the generator's lower coefficients times f, as one ec-byte integer
    (what the shift register adds when f leaves it)."""
    lower = _generator(ec)[1:]
    return tuple(int.from_bytes(bytes(_times(g, f) for g in lower), "big") for f in range(256))


def remainder(data: bytes, ec: int) -> bytes:
    """The block's error-correction codewords: (data x^ec) mod the generator."""
    table = _feedback(ec)
    top = 8 * (ec - 1)
    keep = (1 << 8 * ec) - 1
    r = 0
    for byte in data:
        r = ((r << 8) & keep) ^ table[byte ^ (r >> top)]
    return r.to_bytes(ec, "big")


@lru_cache(maxsize=160)
def _frame(version: int, level: int) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    """The length field's bits, the data bits the version holds, and its blocks: what
    qrcode looks up in its tables for every code, once."""
    return (mode_sizes_for_version(version)[MODE_8BIT_BYTE], BIT_LIMIT_TABLE[level][version],
            _blocks(version, level))


def codewords(payload: bytes, version: int, level: int) -> bytes:
    """qrcode's create_data for one byte-mode segment: data and error-correction codewords,
    interleaved block by block."""
    count_bits, limit, blocks = _frame(version, level)
    size = len(payload)
    used = 4 + count_bits + 8 * size
    if used > limit:
        raise DataOverflowError(f"Code length overflow. Data size ({used}) > size "
                                f"available ({limit})")
    value = (MODE_8BIT_BYTE << count_bits | size & (1 << count_bits) - 1) << 8 * size \
        | int.from_bytes(payload, "big")
    # Up to four 0 bits of terminator, then 0 bits to the byte's end, then pad bytes.
    length = used + min(limit - used, 4)
    length += -length % 8
    data = (value << length - used).to_bytes(length // 8, "big")
    data += _PADDING[:limit // 8 - len(data)]
    datas, ecs, offset = [], [], 0
    for count, ec in blocks:
        block = data[offset:offset + count]
        offset += count
        datas.append(block)
        ecs.append(remainder(block, ec))
    return _interleave(datas) + _interleave(ecs)


def _interleave(blocks: list[bytes]) -> bytes:
    """First byte of every block, then the second of every block, ...; the longer blocks
    (which come last) give their extra byte at the end."""
    if len(blocks) == 1:
        return blocks[0]
    short = min(len(b) for b in blocks)
    out = bytearray(short * len(blocks))
    for i, block in enumerate(blocks):
        out[i::len(blocks)] = block[:short]
    return bytes(out) + bytes(b[short] for b in blocks if len(b) > short)


@lru_cache(maxsize=40)
def _placement(version: int) -> itemgetter:
    """For every module of the packed matrix (qrmask.pack's layout), from the last, the
    index of the data bit map_data puts there; the others, and the remainder modules after
    the last bit, read the '0' appended after the bits."""
    symbol = _symbol(version)
    total = sum(count + ec for count, ec in _blocks(version, 0)) * 8  # same for every level
    index = [total] * (symbol.n * (symbol.n + 1))
    for bit, position in enumerate(symbol.order[:total]):
        index[position] = bit
    return itemgetter(*reversed(index))  # most significant first: int(..., 2) reads it so


@lru_cache(maxsize=320)
def _type_bits(version: int, level: int, mask: int) -> int:
    """The dark modules of the format (and, from version 7, version) information, and the
    fixed dark module, as qrcode draws them on the final symbol."""
    n = version * 4 + 17
    probe = qrcode.QRCode(version=version, error_correction=level)
    probe.modules_count = n
    probe.modules = [[None] * n for _ in range(n)]
    probe.setup_type_info(False, mask)
    if version >= 7:
        probe.setup_type_number(False)
    return pack([[m is True for m in row] for row in probe.modules])


def encode(payload: bytes, level: int) -> tuple[int, int, int]:
    """(matrix packed as qrmask.pack packs it, modules a side, version): the symbol
    qrcode.QRCode(error_correction=level) draws for add_data(payload, optimize=0)."""
    if optimal_mode(payload) != MODE_8BIT_BYTE:  # qrcode writes digits or A-Z more densely
        code = QRCode(error_correction=level, border=0, box_size=1)
        code.add_data(payload, optimize=0)
        code.make(fit=True)
        return pack(code.get_matrix()), code.modules_count, int(code.version or 0)
    version = version_for(len(payload), level)
    data = codewords(payload, version, level)
    symbol = _symbol(version)
    bits = f"{int.from_bytes(data, 'big'):0{len(data) * 8}b}".encode() + b"0"
    unmasked = int(bytes(_placement(version)(bits)), 2)
    patterns = _patterns(symbol.n)
    test = symbol.blank | (unmasked ^ (symbol.free & patterns[0]))
    mask = best_mask(test, symbol.free, symbol.n)
    final = symbol.blank | (unmasked ^ (symbol.free & patterns[mask]))
    return final | _type_bits(version, level, mask), symbol.n, version
