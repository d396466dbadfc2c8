"""JPEG compression: the IJG quality read from the file's quantisation tables, and blockiness.

The quantisation tables (DQT segments) say how hard the encoder quantised; matching them to
the IJG (libjpeg) tables scaled for quality 1..100 gives the quality setting exactly for
libjpeg-family encoders and an "equivalent quality" for cameras and other encoders.
Blockiness needs no file: it measures the 8x8 grid's discontinuities in the pixels, so it also
finds compression in PNG or TIFF copies of JPEGs, and in JPEGs re-saved at a high quality.
"""

from __future__ import annotations

import numpy as np

# IJG base tables (JPEG spec K.1, K.2) in natural order, and the zigzag order DQT uses.
_LUMA = np.array([
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99], np.float64)
_CHROMA = np.array([17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
                    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99]
                   + [99] * 32, np.float64)
_ZIGZAG = np.array([
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63])
_QUALITIES = np.arange(1, 101)


def _scaled(base: np.ndarray) -> np.ndarray:
    """log of the IJG table for every quality 1..100 (rows), in zigzag order."""
    scale = np.where(_QUALITIES < 50, 5000 / _QUALITIES, 200 - 2 * _QUALITIES)[:, None]
    tables = np.clip(np.floor((base[_ZIGZAG][None, :] * scale + 50) / 100), 1, 255)
    return np.log(tables)


_IJG = {0: _scaled(_LUMA), 1: _scaled(_CHROMA)}


def quant_tables(data: bytes) -> dict[int, np.ndarray]:
    """The quantisation tables of a JPEG by table id (values in zigzag order).

    Reads the header segments up to the first scan; an empty dict for non-JPEG or damaged
    data (never raises).
    """
    tables: dict[int, np.ndarray] = {}
    if data[:2] != b"\xff\xd8":
        return tables
    pos, end = 2, len(data)
    while pos + 4 <= end and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xDA, 0xD9):
            break
        if 0xD0 <= marker <= 0xD8 or marker == 0x01:
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if marker == 0xDB:
            _read_dqt(data[pos + 4:pos + 2 + length], tables)
        pos += 2 + length
    return tables


def _read_dqt(segment: bytes, tables: dict[int, np.ndarray]) -> None:
    i = 0
    while i < len(segment):
        precision, table_id = segment[i] >> 4, segment[i] & 0x0F
        size = 128 if precision else 64
        raw = segment[i + 1:i + 1 + size]
        if len(raw) < size:
            return
        values = np.frombuffer(raw, ">u2" if precision else np.uint8).astype(np.float64)
        tables[table_id] = np.maximum(values, 1.0)
        i += 1 + size


def ijg_quality(tables: dict[int, np.ndarray]) -> int | None:
    """The IJG quality (1..100) whose tables are nearest to ``tables`` in log scale.

    Luminance (id 0) and chrominance (id 1) tables both count; None without a table 0.
    """
    if 0 not in tables:
        return None
    error = np.zeros(len(_QUALITIES))
    for table_id, ijg in _IJG.items():
        if table_id in tables:
            error += np.abs(ijg - np.log(tables[table_id])[None, :]).mean(axis=1)
    return int(_QUALITIES[int(np.argmin(error))])


def blockiness(grey: np.ndarray, period: int = 8) -> float | None:
    """How much stronger steps are on the block grid than beside it; ~1.0 = no grid.

    For each direction, the mean absolute step between neighbouring pixels is taken per grid
    phase (column mod ``period``); the strongest phase, the block edge, is compared with the
    two phases beside it (0.05 grey levels added to both, so a flat image reads 1.0). The
    two directions are averaged. The grid's offset is found, so a cropped copy works too.
    None when the image is smaller than four blocks each way.
    """
    if min(grey.shape[:2]) < 4 * period or period < 2:
        return None
    y = grey.astype(np.float32)
    ratios = []
    for steps in (np.abs(np.diff(y, axis=1)), np.abs(np.diff(y, axis=0)).T):
        usable = steps.shape[1] - steps.shape[1] % period
        phases = steps[:, :usable].sum(axis=0).reshape(-1, period).mean(axis=0) / steps.shape[0]
        edge = int(np.argmax(phases))
        beside = 0.5 * (phases[(edge - 1) % period] + phases[(edge + 1) % period])
        ratios.append(float((phases[edge] + 0.05) / (beside + 0.05)))
    return float(np.mean(ratios))
