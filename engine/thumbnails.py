"""Small JPEG thumbnails for the TUI, so drawing never opens an original."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .errors import ItemError

THUMB_SIDE = 256
THUMB_QUALITY = 80
STEP = "thumb"
MODEL = "cv2-jpeg"
VERSION = f"{THUMB_SIDE}px-q{THUMB_QUALITY}"  # processing-state version: a change redoes all


@dataclass(frozen=True)
class Thumbnail:
    jpeg: bytes
    width: int
    height: int


def make_thumbnail(image: np.ndarray, side: int = THUMB_SIDE,
                   quality: int = THUMB_QUALITY) -> Thumbnail:
    """Fit an upright BGR image into side x side and encode it as JPEG."""
    height, width = image.shape[:2]
    scale = min(1.0, side / max(width, height))
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ItemError("cannot encode thumbnail")
    return Thumbnail(encoded.tobytes(), image.shape[1], image.shape[0])
