"""Image quality detectors for the quality sorter: blur, noise, exposure, compression, BRISQUE.

``score_image`` takes decoded pixels (and the JPEG file's bytes when there are some) and
returns ``QualityScores``: one defect score per enabled detector in 0..1, where **0 = no
defect and 1 = the defect is strong**, plus the raw measures they came from. Disabled
detectors cost nothing and stay None.

Sizes: blur, noise and exposure are measured on the image shrunk to ``working_side``
(1024 px long side by default; smaller images are used as they are, never enlarged), so a
6000 px original and its 1500 px reduced decode score alike. BRISQUE runs at 512 px.
Blockiness needs the stored pixel grid: it is read from a central 768 px crop of the pixels
as given, and only when ``decode_scale`` says how they relate to the stored image.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import cv2
import numpy as np

from models import quality_jpeg, quality_measures
from models.choices import QUALITY_DETECTORS as DETECTORS
from models.quality_brisque import Brisque
from models.quality_scores import QualityScores

BRISQUE_SIDE = 512
_BLOCK_CROP = 768
# Logistic maps from raw measures to 0..1 defect scores: (centre, width).
BLUR_MAP = (0.72, 0.05)       # blur ratio; sharp photos 0.45-0.62, Gaussian sigma 2 ~0.78
EXPOSURE_MAP = (2.0, 0.25)    # EV error; well exposed photos 0.7-1.8, +-3 EV 2.4-3.8
JPEG_MAP = (35.0, 9.0)        # IJG quality, reversed: q 75 ~0.01, q 50 ~0.16, q 15 ~0.9
BLOCK_MAP = (2.5, 0.35)       # blockiness ratio; clean ~1.0-1.1, q 75 ~1.2-1.6, q 15 ~2-5
BRISQUE_MAP = (45.0, 10.0)    # raw BRISQUE; natural photos ~0-35, strong distortions 60+
NOISE_HALF = 5.0              # noise sigma (grey levels) that scores 0.5


def logistic(value: float, centre: float, width: float) -> float:
    """1 / (1 + exp(-(value - centre) / width)): a smooth, strictly rising 0..1 map."""
    return 1.0 / (1.0 + math.exp(-max(min((value - centre) / width, 50.0), -50.0)))


def shrink(image: np.ndarray, side: int) -> np.ndarray:
    """The image with its long side at most ``side`` px (area-averaged); never enlarged."""
    h, w = image.shape[:2]
    if max(h, w) <= side:
        return image
    scale = side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def _bgr(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise ValueError(f"expected uint8 pixels, got {image.dtype}")
    if image.ndim == 2 or image.shape[2] == 1:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return image[:, :, :3] if image.shape[2] == 4 else image


def _grey(bgr: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.ascontiguousarray(bgr), cv2.COLOR_BGR2GRAY)


def _centre_crop(image: np.ndarray, side: int) -> np.ndarray:
    h, w = image.shape[:2]
    top, left = max(0, (h - side) // 2) // 8 * 8, max(0, (w - side) // 2) // 8 * 8
    return image[top:top + side, left:left + side]


_BRISQUE = Brisque()


def compression_scores(grey: np.ndarray | None, jpeg_bytes: bytes | None, period: int | None
                       ) -> tuple[float | None, int | None, float | None]:
    """(score, IJG quality, blockiness) from the file's tables and/or the pixel grid.

    ``grey`` is a crop of the stored pixels (or a DCT-scaled decode with block ``period``
    8 // scale); the score is the stronger of the two pieces of evidence.
    """
    quality = quality_jpeg.ijg_quality(quality_jpeg.quant_tables(jpeg_bytes or b""))
    block = None
    if grey is not None and period:
        block = quality_jpeg.blockiness(grey, period)
    parts = []
    if quality is not None:
        parts.append(logistic(-quality, -JPEG_MAP[0], JPEG_MAP[1]))
    if block is not None:
        parts.append(logistic(block, *BLOCK_MAP))
    return (max(parts) if parts else None), quality, block


def score_image(image_bgr: np.ndarray, jpeg_bytes: bytes | None = None,
                detectors: Iterable[str] = DETECTORS, *, decode_scale: int | None = 1,
                working_side: int = 1024) -> QualityScores:
    """Run the chosen detectors on one decoded image; see the module docstring for sizes.

    ``image_bgr``: uint8 BGR, BGRA or grey pixels, upright. ``jpeg_bytes``: the file's bytes
    when it is a JPEG (its quantisation tables give the quality), else None. ``decode_scale``:
    1 when the pixels are the stored ones, 2/4/8 after a DCT-scaled JPEG decode, None when
    they were resampled some other way (blockiness is then skipped). Raises ValueError for an
    unknown detector name and ModelMissing when BRISQUE is asked for but its weights are absent.
    """
    wanted = frozenset(detectors)
    unknown = wanted - DETECTORS
    if unknown:
        raise ValueError(f"unknown quality detector(s): {', '.join(sorted(unknown))}")
    bgr = _bgr(image_bgr)
    h, w = bgr.shape[:2]
    factor = min(1.0, working_side / max(h, w, 1))
    values: dict[str, object] = {"working_size": (max(1, round(w * factor)),
                                                  max(1, round(h * factor)))}
    if wanted & {"blur", "noise", "brisque"}:
        values.update(_pixel_scores(shrink(_grey(bgr), working_side), wanted))
    if "exposure" in wanted:
        step = math.ceil(max(h, w) / working_side)  # histograms need no resampling
        values.update(_exposure_scores(np.ascontiguousarray(bgr[::step, ::step])))
    if "compression" in wanted:
        period = 8 // decode_scale if decode_scale in (1, 2) else None
        crop = _grey(_centre_crop(bgr, _BLOCK_CROP)) if period else None
        score, quality, block = compression_scores(crop, jpeg_bytes, period)
        values.update(compression=score, jpeg_quality=quality, blockiness=block)
    return QualityScores(**values)  # type: ignore[arg-type]


def _pixel_scores(grey: np.ndarray, wanted: frozenset[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    if "blur" in wanted:
        ratio = quality_measures.blur_ratio(grey)
        values.update(blur=logistic(ratio, *BLUR_MAP), blur_ratio=ratio)
    if "noise" in wanted:
        sigma = quality_measures.noise_sigma(grey)
        values.update(noise=sigma * sigma / (sigma * sigma + NOISE_HALF**2), noise_sigma=sigma)
    if "brisque" in wanted:
        small = shrink(grey, BRISQUE_SIDE)
        raw = _BRISQUE.raw(small) if int(small.max()) > int(small.min()) else None
        values.update(brisque=1.0 if raw is None else logistic(raw, *BRISQUE_MAP),
                      brisque_raw=raw)
    return values


def _exposure_scores(bgr: np.ndarray) -> dict[str, object]:
    measures = quality_measures.exposure(bgr)
    return {"exposure": logistic(measures.ev_error, *EXPOSURE_MAP),
            "under_exposure": logistic(measures.under_ev, *EXPOSURE_MAP),
            "over_exposure": logistic(measures.over_ev, *EXPOSURE_MAP),
            "exposure_ev": measures.ev_error, "clipped_share": measures.clipped_share}
