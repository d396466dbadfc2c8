"""Face quality in 0..1 from the aligned crop: sharpness, size, pose and detector score.

Blurry, tiny, turned-away or doubtful faces make poor references for recognition; the
rebuild leaves confirmed faces under the quality cut out of the reference set.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

WEIGHTS = {"sharpness": 0.35, "size": 0.25, "pose": 0.2, "detector": 0.2}


def sharpness(crop_bgr: np.ndarray) -> float:
    """Variance of the Laplacian of the crop, mapped to 0..1 (100 -> 0.5)."""
    grey = cv2.cvtColor(crop_bgr, cv2.COLOR_BGR2GRAY) if crop_bgr.ndim == 3 else crop_bgr
    variance = float(cv2.Laplacian(grey, cv2.CV_64F).var())
    return variance / (variance + 100.0)


def size_score(side_px: float) -> float:
    """0 at 20 px or less, 1 from 100 px: recognition degrades fast under ~60 px."""
    return float(np.clip((side_px - 20.0) / 80.0, 0.0, 1.0))


def pose_score(landmarks: Sequence[Sequence[float]] | None) -> float | None:
    """1 for a frontal face, falling to 0 as the nose moves towards one eye (yaw)."""
    if not landmarks or len(landmarks) < 3:
        return None
    (lx, ly), (rx, ry), (nx, _) = landmarks[0], landmarks[1], landmarks[2]
    eye_distance = float(np.hypot(rx - lx, ry - ly))
    if eye_distance <= 1e-6:
        return 0.0
    yaw = abs(nx - (lx + rx) / 2.0) / eye_distance
    return float(np.clip(1.0 - 2.0 * yaw, 0.0, 1.0))


def face_quality(crop_bgr: np.ndarray, side_px: float,
                 landmarks: Sequence[Sequence[float]] | None,
                 det_score: float | None) -> tuple[float, dict[str, float]]:
    """(score, parts): a weighted geometric mean of the parts that are known."""
    parts: dict[str, float] = {"sharpness": sharpness(crop_bgr), "size": size_score(side_px)}
    pose = pose_score(landmarks)
    if pose is not None:
        parts["pose"] = pose
    if det_score is not None:
        parts["detector"] = float(np.clip(det_score, 0.0, 1.0))
    total = sum(WEIGHTS[name] for name in parts)
    score = float(np.exp(sum(WEIGHTS[name] * np.log(max(value, 1e-3))
                             for name, value in parts.items()) / total))
    return round(score, 4), {name: round(value, 4) for name, value in parts.items()}
