"""Face crop geometry: the affine map from an image to the square crop fed to an embedder.

Two crops, both one ``cv2.warpAffine`` (so faces near the border are filled by replicating
the edge pixels instead of being shifted or squeezed):

- ``box``: the detector box grown by ``margin`` of its size on every side, made square around
  its centre, scaled to ``size``;
- ``align``: a 5-point similarity transform (rotation, uniform scale, shift) onto the ArcFace
  112x112 landmark template, scaled to ``size`` and loosened so that ``margin`` of the crop
  is added around the template's face on every side.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

CROP_MODES = ("align", "box")

# ArcFace / InsightFace reference landmarks in a 112x112 crop: eye on the image's left, eye on
# the image's right, nose tip, mouth corner left, mouth corner right.
ARCFACE_112 = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
     [41.5493, 92.3655], [70.7299, 92.2041]],
    dtype=np.float32,
)


def template(size: int, margin: float) -> np.ndarray:
    """The ArcFace template for a ``size`` x ``size`` crop, loosened by ``margin`` per side.

    ``margin`` 0 is the tight ArcFace crop; 0.15 shrinks the template to 1/1.3 of the crop
    around the crop's centre, so hair, chin and ears come in.
    """
    scale = size / 112.0 / (1.0 + 2.0 * margin)
    centre = np.float32(112.0 / 2.0)
    return ((ARCFACE_112 - centre) * scale + size / 2.0).astype(np.float32)


def align_matrix(landmarks: Sequence[Sequence[float]], size: int, margin: float) -> np.ndarray:
    """The 2x3 similarity matrix taking five image landmarks onto the loosened template.

    Falls back to a plain scale-and-shift around the landmarks' centre if the least-squares
    fit fails (degenerate points).
    """
    points = np.asarray(landmarks, dtype=np.float32).reshape(5, 2)
    target = template(size, margin)
    matrix, _ = cv2.estimateAffinePartial2D(points, target, method=cv2.LMEDS)
    if matrix is None:
        spread = float(np.ptp(points[:, 0])) or 1.0
        scale = float(np.ptp(target[:, 0])) / spread
        shift = target.mean(axis=0) - points.mean(axis=0) * scale
        matrix = np.array([[scale, 0.0, shift[0]], [0.0, scale, shift[1]]])
    return np.asarray(matrix, dtype=np.float64)


def box_matrix(box: Sequence[float], size: int, margin: float) -> np.ndarray:
    """The 2x3 matrix mapping a square, centred, ``margin``-grown box onto a ``size`` crop."""
    x, y, w, h = (float(v) for v in box)
    side = max(w, h) * (1.0 + 2.0 * margin)
    scale = size / max(side, 1.0)
    cx, cy = x + w / 2.0, y + h / 2.0
    return np.array([[scale, 0.0, size / 2.0 - cx * scale], [0.0, scale, size / 2.0 - cy * scale]])


def crop_matrix(
    box: Sequence[float],
    landmarks: Sequence[Sequence[float]],
    size: int,
    mode: str,
    margin: float,
) -> np.ndarray:
    """The crop's 2x3 matrix for ``mode`` ``align`` or ``box`` (see the module docstring)."""
    if mode == "align":
        return align_matrix(landmarks, size, margin)
    if mode == "box":
        return box_matrix(box, size, margin)
    raise ValueError(f"unknown crop mode {mode!r} (known: {', '.join(CROP_MODES)})")


def warp(image_bgr: np.ndarray, matrix: np.ndarray, size: int) -> np.ndarray:
    """Apply ``matrix`` to get a ``size`` x ``size`` uint8 BGR crop; grey input becomes BGR.

    A face shrunk by more than 2x is first reduced with INTER_AREA (only the region the crop
    covers), since one bilinear step would alias.
    """
    image = as_bgr(image_bgr)
    matrix = np.asarray(matrix, dtype=np.float64)
    scale = float(np.sqrt(abs(np.linalg.det(matrix[:, :2]))))
    if scale < 0.5:
        image, matrix = _reduce(image, matrix, size, scale)
    crop = cv2.warpAffine(
        image, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return np.ascontiguousarray(crop, dtype=np.uint8)


def _reduce(
    image: np.ndarray, matrix: np.ndarray, size: int, scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """The region under the crop, reduced by INTER_AREA to ~the crop's scale, and the new map."""
    inverse = cv2.invertAffineTransform(matrix)
    corners = np.array([[0, 0, 1], [size, 0, 1], [0, size, 1], [size, size, 1]], np.float64)
    source = corners @ inverse.T
    h, w = image.shape[:2]
    x0, y0 = np.clip(np.floor(source.min(axis=0)) - 2, 0, [w - 1, h - 1]).astype(int)
    x1, y1 = np.clip(np.ceil(source.max(axis=0)) + 2, [x0 + 1, y0 + 1], [w, h]).astype(int)
    factor = min(1.0, scale * 1.5)
    region = image[y0:y1, x0:x1]
    rw, rh = max(1, round((x1 - x0) * factor)), max(1, round((y1 - y0) * factor))
    reduced = cv2.resize(region, (rw, rh), interpolation=cv2.INTER_AREA)
    fx, fy = rw / (x1 - x0), rh / (y1 - y0)
    # new source coords: u = (x - x0) * fx  =>  x = u / fx + x0
    to_old = np.array([[1 / fx, 0.0, x0], [0.0, 1 / fy, y0], [0.0, 0.0, 1.0]])
    return reduced, matrix @ to_old


def as_bgr(image: np.ndarray) -> np.ndarray:
    """A 3-channel uint8 view of a grey, BGR or BGRA image."""
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.shape[2] == 1:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return image


def pad_border(image: np.ndarray, fraction: float, fill: str = "replicate"
               ) -> tuple[np.ndarray, tuple[int, int]]:
    """The image with a border of ``fraction`` of its size on every side.

    ``fill`` is ``replicate`` (edge pixels) or ``mean`` (the image's mean colour). Returns the
    padded image and the (x, y) offset of the original inside it. Tight face crops (ORL) need
    context around the face; on ORL, a mean-colour border helped detection but cost FaceNet
    ~1.3 points at k=1 (the flat border ends up inside the crop), so replicate is the default.
    """
    h, w = image.shape[:2]
    px, py = round(w * fraction), round(h * fraction)
    if fill == "replicate":
        padded = cv2.copyMakeBorder(image, py, py, px, px, cv2.BORDER_REPLICATE)
    elif fill == "mean":
        colour = cv2.mean(image)
        padded = cv2.copyMakeBorder(image, py, py, px, px, cv2.BORDER_CONSTANT, value=colour)
    else:
        raise ValueError(f"unknown fill {fill!r} (known: mean, replicate)")
    return padded, (px, py)
