"""Face-crop thumbnails for the review grid."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

FACE_THUMB_SIDE = 96


def face_thumbnail(image: np.ndarray, box: Sequence[float], side: int = FACE_THUMB_SIDE,
                   margin: float = 0.25) -> bytes:
    """A square JPEG of the face with some context, for the review grid."""
    x, y, w, h = box
    half = max(w, h) * (0.5 + margin)
    cx, cy = x + w / 2, y + h / 2
    x0, y0 = int(round(cx - half)), int(round(cy - half))
    size = max(1, int(round(2 * half)))
    pad = max(0, -x0, -y0, x0 + size - image.shape[1], y0 + size - image.shape[0])
    if pad:  # a face at the edge: pad rather than stretch
        image = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT,
                                   value=(40, 40, 40))
    crop = image[y0 + pad:y0 + pad + size, x0 + pad:x0 + pad + size]
    crop = cv2.resize(crop, (side, side), interpolation=cv2.INTER_AREA)
    return cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes()
