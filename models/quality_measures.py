"""Raw quality measures on pixels: sharpness, noise level and exposure (numpy + OpenCV).

Each function takes the image at the working size chosen by ``models.quality`` and gives
raw measures in physical-ish units; ``models.quality`` maps them to 0..1 defect scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

_REBLUR = 9  # box length of the re-blur (Crete-Roffet et al., "The blur effect", 2007)
_EDGE_SHARE = 0.01  # blur is judged on the strongest 1 % of steps in each direction
_NOISE_BLOCK = 16
_NOISE_PERCENTILE = 10.0
_IMMERKAER = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)


def blur_ratio(grey: np.ndarray) -> float:
    """Share of edge contrast that survives a 9-pixel re-blur unchanged: 0 = sharp, 1 = flat.

    After Crete-Roffet: an image that is already blurred changes little when blurred again.
    Measured separately along rows and columns on the strongest 1 % of steps (so flat,
    noisy areas do not count, and a photo focused on a small subject is judged on it); the
    blurrier direction wins, which catches motion blur. 1.0 for an image without edges.
    """
    y = grey.astype(np.float32)
    worst = 0.0
    for ksize in ((1, _REBLUR), (_REBLUR, 1)):
        steps, reblurred = _steps(y, ksize[0] == 1), _steps(cv2.blur(y, ksize), ksize[0] == 1)
        sample = reblurred.ravel()[:: reblurred.size // 50_000 | 1]  # odd: no column aliasing
        threshold = max(float(np.quantile(sample, 1.0 - _EDGE_SHARE)), 0.5)
        edges = np.flatnonzero(reblurred >= threshold)
        if edges.size < 50:
            return 1.0
        step, smooth = steps.ravel()[edges], reblurred.ravel()[edges]
        kept = float(np.maximum(step - smooth, 0.0).sum())
        worst = max(worst, 1.0 - kept / max(float(step.sum()), 1e-6))
    return worst


def _steps(y: np.ndarray, down: bool) -> np.ndarray:
    """Absolute differences between neighbours down the columns (or along the rows)."""
    return cv2.absdiff(y[1:], y[:-1]) if down else cv2.absdiff(y[:, 1:], y[:, :-1])


def noise_sigma(grey: np.ndarray) -> float:
    """Noise standard deviation in grey levels (0..255), measured in the flattest areas.

    Immerkaer's estimator (a Laplacian-difference mask that cancels smooth shading) per
    16x16 block; the 10th percentile over blocks that are not clipped, so texture and edges,
    which raise a block's value, are left out. Slightly under-reads (~10 %) on pure noise.
    """
    y = grey.astype(np.float32)
    response = np.abs(cv2.filter2D(y, -1, _IMMERKAER))[1:-1, 1:-1]
    b = _NOISE_BLOCK
    h, w = (response.shape[0] // b) * b, (response.shape[1] // b) * b
    if h == 0 or w == 0:
        return 0.0
    per_block = cv2.resize(response[:h, :w], (w // b, h // b), interpolation=cv2.INTER_AREA)
    blocks = grey[1:h + 1, 1:w + 1].reshape(h // b, b, w // b, b)
    unclipped = (blocks.min(axis=(1, 3)) > 2) & (blocks.max(axis=(1, 3)) < 253)
    values = per_block[unclipped] if np.count_nonzero(unclipped) >= 8 else per_block.ravel()
    return float(np.percentile(values, _NOISE_PERCENTILE) * math.sqrt(math.pi / 2) / 6)


@dataclass(frozen=True)
class ExposureMeasures:
    """Exposure error estimates in EV (stops); each grows as the defect grows.

    ``under_ev``: stops the image could be brightened before its highlights clip (the
    99.5th percentile of linear light), capped by how dark its mid-tones are, so a flat but
    well-lit scene is not "under-exposed". ``over_ev``: the key (mean log light against
    middle grey, of luma and of the brightest channel), plus one stop per 100 % of clipped
    pixels, plus 0.5. ``ev_error`` = log2(2**under + 2**over): the larger part dominates, and
    a graded copy's error grows with its |EV| on both sides (tuned on the sample photos: a
    well-exposed photo sits near 1, +-1 EV near 1.5-2.3, +-3 EV near 2.5-4).
    ``clipped_share``: share of pixels with a channel >= 250.
    """

    under_ev: float
    over_ev: float
    ev_error: float
    headroom_ev: float
    key_ev: float
    clipped_share: float


_SRGB = np.arange(256, dtype=np.float64) / 255.0
_LINEAR = np.where(_SRGB <= 0.04045, _SRGB / 12.92, ((_SRGB + 0.055) / 1.055) ** 2.4)
_LOG_LIGHT = np.log2(np.maximum(_LINEAR, 1 / 255)) - math.log2(0.18)


def _histogram(channel: np.ndarray) -> np.ndarray:
    return cv2.calcHist([channel], [0], None, [256], [0, 256]).ravel().astype(np.float64)


def exposure(bgr: np.ndarray) -> ExposureMeasures:
    """Exposure measures of a BGR (or grey) uint8 image; see ``ExposureMeasures``.

    Everything comes from two 256-bin histograms (luma and brightest channel), so the cost
    is two passes over the pixels.
    """
    if bgr.ndim == 2:
        grey = brightest = bgr
    else:
        blue, green, red = cv2.split(bgr)[:3]
        brightest = cv2.max(cv2.max(blue, green), red)
        grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    top, luma = _histogram(brightest), _histogram(grey)
    count = float(top.sum())
    highlight = _LINEAR[int(np.searchsorted(np.cumsum(top), 0.995 * count))]
    headroom = math.log2(1.0 / max(float(highlight), 1e-4))
    key_luma = float(luma @ _LOG_LIGHT) / count
    key_top = float(top @ _LOG_LIGHT) / count
    clipped = float(top[250:].sum()) / count
    under = min(headroom, 1.0 - key_luma)
    over = 0.5 * (key_luma + key_top) + clipped + 0.5
    error = math.log2(2.0 ** under + 2.0 ** over)
    return ExposureMeasures(under, over, error, headroom, key_luma, clipped)
