"""Graded copies of real photos with a known order of damage, for quality tests and the bench.

Each photo is first brought to at most 1024 px (the detectors' working size), then
degraded by a known amount: Gaussian blur (sigma in px), Gaussian noise (sigma in grey
levels, per channel), JPEG quality, or exposure in stops (applied in linear light, so
+1 EV doubles the light and clips what passes white). Level 0 / 100 is the clean photo.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

PHOTOS = ("skimage/chelsea.png", "skimage/coffee.png", "skimage/rocket.jpg",
          "skimage/motorcycle_left.png", "skimage/astronaut.png", "feat/multi_face.jpg",
          "feat/single_face.jpg", "feat/BWPictureHuman.jpg", "feat/free-mountain-vector-01.jpg",
          "feat/0-f1-su-ph.jpg", "feat/0-f15-hao-ph.jpg", "feat/15-f13-anc-ph.jpg",
          "feat/45-m7-di-ph.jpg")
LEVELS: dict[str, tuple[float, ...]] = {
    "blur": (0, 1, 2, 3, 5),
    "noise": (0, 5, 10, 20, 35),
    "jpeg": (90, 70, 50, 30, 15, 5),
    "exposure": (-3, -2, -1, 0, 1, 2, 3),
}
# The distortion each detector must rank, and the level counted as "strongest".
STRONGEST = {"blur": (5,), "noise": (35,), "jpeg": (5,), "exposure": (-3, 3)}


@dataclass(frozen=True)
class Copy:
    """One graded copy: the distortion, its level, the pixels and (for JPEG) the file bytes."""

    kind: str
    level: float
    pixels: np.ndarray
    jpeg: bytes | None = None


def load(path: Path, side: int = 1024) -> np.ndarray:
    """A photo as BGR uint8 with the long side at most ``side``."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert image is not None, path
    scale = side / max(image.shape[:2])
    if scale < 1:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return image


def blurred(image: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of ``sigma`` px (0: the image itself)."""
    return image if sigma == 0 else cv2.GaussianBlur(image, (0, 0), sigma)


def noisy(image: np.ndarray, sigma: float, seed: int = 0) -> np.ndarray:
    """Independent Gaussian noise of ``sigma`` grey levels in every channel, clipped."""
    if sigma == 0:
        return image
    noise = np.random.default_rng(seed).normal(0.0, sigma, image.shape)
    return np.clip(np.round(image + noise), 0, 255).astype(np.uint8)


def jpeg(image: np.ndarray, quality: int) -> tuple[np.ndarray, bytes]:
    """(decoded pixels, file bytes) of the image saved by libjpeg at ``quality``."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_COLOR), data.tobytes()


def exposed(image: np.ndarray, ev: float) -> np.ndarray:
    """The image with its light multiplied by 2**ev in linear sRGB, clipped at white."""
    if ev == 0:
        return image
    srgb = np.arange(256) / 255.0
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    scaled = np.clip(linear * 2.0**ev, 0.0, 1.0)
    back = np.where(scaled <= 0.0031308, scaled * 12.92, 1.055 * scaled ** (1 / 2.4) - 0.055)
    lut = np.clip(np.round(back * 255), 0, 255).astype(np.uint8)
    return cv2.LUT(image, lut)


def copies(image: np.ndarray, kind: str, levels: tuple[float, ...] | None = None
           ) -> Iterator[Copy]:
    """The graded copies of ``image`` for one distortion, in the order of ``levels``."""
    for level in levels or LEVELS[kind]:
        if kind == "blur":
            yield Copy(kind, level, blurred(image, level))
        elif kind == "noise":
            yield Copy(kind, level, noisy(image, level))
        elif kind == "jpeg":
            pixels, data = jpeg(image, int(level))
            yield Copy(kind, level, pixels, data)
        elif kind == "exposure":
            yield Copy(kind, level, exposed(image, level))
        else:
            raise ValueError(kind)


def damage(kind: str, level: float) -> float:
    """How damaged a level is, rising with the damage (JPEG quality and |EV| turned round)."""
    return {"jpeg": 100.0 - level, "exposure": abs(level)}.get(kind, level)


def _ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values), dtype=float)
    for value in np.unique(values):
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def spearman(x: list[float] | np.ndarray, y: list[float] | np.ndarray) -> float:
    """Spearman's rank correlation (ties get their mean rank)."""
    rx, ry = _ranks(np.asarray(x, float)), _ranks(np.asarray(y, float))
    if rx.std() == 0 or ry.std() == 0:
        return 0.0
    return float(np.corrcoef(rx, ry)[0, 1])
