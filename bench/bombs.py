"""Decompression bombs written at test time: small on disk, huge once decoded, and valid
(a decoder really decodes every pixel of them).

Their pixels are flat, so each is written directly: zlib streams of zeros from one deflate
block repeated (with the checksum of zeros in closed form), a JPEG whose scans are runs of
empty blocks. A few milliseconds each.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

_BLOCK = 1 << 20  # zeros per repeated deflate block
# libwebp's lossless encoding of a black 12000x12000 image: every prefix code holds one
# symbol, so the pixels take no bits at all.
_WEBP_BLACK_12000 = bytes.fromhex("524946461a000000574542505650384c"
                                  "0e0000002fdfeeb70b071011fd0f4444ff03")


def _zlib_zeros(length: int) -> bytes:
    """A zlib stream of ``length`` zero bytes, without compressing them all."""
    whole, rest = divmod(length, _BLOCK)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = block.compress(b"\0" * _BLOCK) + block.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = tail.compress(b"\0" * rest) + tail.flush(zlib.Z_FINISH)
    adler = (length % 65521) << 16 | 1  # adler32: a = 1 + sum = 1, b = length * a
    return b"\x78\xda" + repeated * whole + last + struct.pack(">I", adler)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_bomb(path: Path, width: int, height: int) -> Path:
    """A black 8-bit RGB PNG (every row filter 0, every pixel zero)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = _zlib_zeros(height * (1 + 3 * width))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
                     + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b""))
    return path


def webp_bomb(path: Path) -> Path:
    """A black 12000x12000 lossless WebP of 34 bytes."""
    path.write_bytes(_WEBP_BLACK_12000)
    return path


def tiff_bomb(path: Path, width: int, height: int) -> Path:
    """A black 8-bit RGB TIFF in one deflate-compressed strip."""
    strip = _zlib_zeros(width * height * 3)
    strip += b"\0" * (len(strip) % 2)  # the IFD after it must start on a word boundary
    tags = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 8), (262, 3, 2),
            (273, 4, 8), (277, 3, 3), (278, 4, height), (279, 4, len(strip)), (284, 3, 1)]
    ifd = struct.pack("<H", len(tags)) + b"".join(
        struct.pack("<HHII" if kind == 4 else "<HHIHxx", tag, kind, 1, value)
        for tag, kind, value in tags) + struct.pack("<I", 0)
    path.write_bytes(b"II*\0" + struct.pack("<I", 8 + len(strip)) + strip + ifd)
    return path


class _Bits:
    """An entropy-coded segment writer with JPEG's 0xFF byte stuffing."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.value = 0
        self.count = 0

    def put(self, value: int, count: int) -> None:
        self.value = (self.value << count) | value
        self.count += count
        while self.count >= 8:
            self.count -= 8
            byte = (self.value >> self.count) & 0xFF
            self.out += b"\xff\0" if byte == 0xFF else bytes((byte,))
        self.value &= (1 << self.count) - 1

    def done(self) -> bytes:
        if self.count:
            self.put((1 << (8 - self.count)) - 1, 8 - self.count)
        return bytes(self.out)


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def _zero_bits(count: int) -> bytes:
    """``count`` zero bits, padded with ones to a whole byte as JPEG wants."""
    return b"\0" * (count // 8) + (bytes([0xFF >> count % 8]) if count % 8 else b"")


def _huffman(table: int, symbols: list[int]) -> bytes:
    """A DHT table giving ``symbols`` the shortest codes in order (one code: "0")."""
    length = max(1, len(symbols).bit_length())  # leaves the all-ones code unused
    counts = [0] * 16
    counts[length - 1] = len(symbols)
    return bytes([table, *counts, *symbols])


def _jpeg(path: Path, sof: int, width: int, height: int, tables: bytes,
          scans: list[tuple[bytes, bytes]]) -> Path:
    """A 4:4:4 three-component JPEG with all quantisers 1 and the given scans."""
    frame = struct.pack(">BHHB", 8, height, width, 3) + b"".join(
        bytes((cid, 0x11, 0)) for cid in (1, 2, 3))
    parts = [b"\xff\xd8", _segment(0xDB, b"\0" + b"\1" * 64), _segment(sof, frame),
             _segment(0xC4, tables)]
    for header, data in scans:
        parts += [_segment(0xDA, header), data]
    path.write_bytes(b"".join(parts) + b"\xff\xd9")
    return path


def progressive_jpeg_bomb(path: Path, width: int, height: int) -> Path:
    """A mid-grey progressive (SOF2) JPEG: a DC scan of all three components (a "0" code,
    difference 0, per block), then per component an AC scan of end-of-band runs alone."""
    blocks = -(-width // 8) * -(-height // 8)
    tables = _huffman(0x00, [0]) + _huffman(0x10, list(range(0, 0xF0, 0x10)))  # EOB0-EOB14
    scans = [(b"\3\1\0\2\0\3\0\0\0\0", _zero_bits(3 * blocks))]
    for cid in (1, 2, 3):
        bits, left = _Bits(), blocks
        while left:
            run = min(left, 0x7FFF)
            size = run.bit_length() - 1
            bits.put(size, 4)
            bits.put(run - (1 << size), size)
            left -= run
        scans.append((bytes((1, cid, 0, 1, 63, 0)), bits.done()))
    return _jpeg(path, 0xC2, width, height, tables, scans)


def multi_scan_jpeg_bomb(path: Path, width: int, height: int) -> Path:
    """A mid-grey baseline (SOF0) JPEG with one scan per component instead of one
    interleaved scan; each block is a "0" DC code and a "0" end-of-block code."""
    blocks = -(-width // 8) * -(-height // 8)
    tables = _huffman(0x00, [0]) + _huffman(0x10, [0])
    return _jpeg(path, 0xC0, width, height, tables,
                 [(bytes((1, cid, 0, 0, 63, 0)), _zero_bits(2 * blocks)) for cid in (1, 2, 3)])


PEAK_LIMIT_MB = 600
# Runs the command it is given and reports the peak RSS of that child process.
PEAK_RSS = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
            "print('peak-rss-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "file=sys.stderr); sys.exit(code)")
REFUSED = ("bomb.png", "bomb.jpg", "bomb-scans.jpg", "bomb.tif", "bomb.webp", "huge.jpg")
FITTING = ("fits.png", "fits.jpg")


def bomb_folder(root: Path, good_photo: Path) -> Path:
    """Bombs under the 250 MP guard and Pillow's, a 3 GB sparse '.jpg', two images that fit
    the memory budget, and a good photo (copied as good.jpg)."""
    root.mkdir(parents=True, exist_ok=True)
    png_bomb(root / "bomb.png", 13300, 13300)                  # 177 MP, ~0.5 MB on disk
    progressive_jpeg_bomb(root / "bomb.jpg", 16000, 11000)     # 1 GB of coefficients
    multi_scan_jpeg_bomb(root / "bomb-scans.jpg", 16000, 11000)
    tiff_bomb(root / "bomb.tif", 13300, 13300)
    webp_bomb(root / "bomb.webp")                              # 144 MP in 34 bytes
    with open(root / "huge.jpg", "wb") as handle:
        handle.truncate(3 << 30)
    png_bomb(root / "fits.png", 6000, 6000)
    progressive_jpeg_bomb(root / "fits.jpg", 7000, 5000)
    (root / "good.jpg").write_bytes(good_photo.read_bytes())
    return root


def peak_rss_mb(stderr: str) -> float:
    """The peak RSS the PEAK_RSS wrapper reported, in MB."""
    return int(stderr.rsplit("peak-rss-kb ", 1)[1].split()[0]) / 1024
