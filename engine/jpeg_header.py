"""The header segments of a JPEG's primary image, walked up to its first scan."""

from __future__ import annotations

from dataclasses import dataclass

_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_PROGRESSIVE = {0xC2, 0xC6, 0xCA, 0xCE}


@dataclass(frozen=True)
class JpegHeader:
    """What the frame and the first scan headers say about the decode ahead."""

    scan_at: int | None                    # offset of the first SOS; None: data ends before it
    progressive: bool = False
    sampling: tuple[tuple[int, int], ...] = ()  # (horizontal, vertical) per frame component
    scan_components: int = 0               # in the first scan; fewer than the frame: multi-scan

    @property
    def whole_image_buffer(self) -> bool:
        """True when a decoder must keep every DCT coefficient of the image at once."""
        return self.progressive or 0 < self.scan_components < len(self.sampling)


def jpeg_header(data: bytes) -> JpegHeader | None:
    """Frame and first-scan facts, found by segment lengths (which skip the EXIF thumbnail);
    None when a byte that should start a marker does not (the decoder shall judge)."""
    pos, end = 2, len(data)
    progressive = False
    sampling: tuple[tuple[int, int], ...] = ()
    while pos + 4 <= end:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
        elif marker == 0xDA:
            return JpegHeader(pos, progressive, sampling, data[pos + 4] if pos + 4 < end else 0)
        elif 0xD0 <= marker <= 0xD8 or marker == 0x01:
            pos += 2
        else:
            if marker in _SOF and pos + 10 <= end:
                progressive = marker in _PROGRESSIVE
                count = data[pos + 9]
                sampling = tuple((b >> 4, b & 0x0F)
                                 for b in data[pos + 11:pos + 10 + 3 * count:3])
            pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return JpegHeader(None, progressive, sampling)
