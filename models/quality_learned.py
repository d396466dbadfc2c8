"""The learned-score slot: a user-installed aesthetic or quality ONNX model, run by onnxruntime.

No such model ships (no PyPI package carries one); a user points termkam at an ``.onnx``
file. The adapter reads the input's layout (NCHW or NHWC: the axis of size 3) and size from
the model (dynamic sides use ``LearnedOptions.size``) and turns the first output into a
goodness score in 0..1 (**1 = best**, unlike the detectors' defect scores):

- one value: a scalar score, mapped from ``LearnedOptions.scalar_range`` to 0..1;
- K >= 2 values: ordered classes from worst to best (e.g. bad / normal / good, or NIMA's
  ten score buckets 1..10), taken as probabilities (softmax first unless they already are
  non-negative and sum to 1); the score is the expected bucket, 0 for the first, 1 for the
  last. For NIMA that is (mean score - 1) / 9.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from models.base import InferenceModel
from models.errors import ModelError, ModelMissing
from models.registry import ModelSpec, WeightFile


@dataclass(frozen=True)
class LearnedOptions:
    """How to feed the model: channel order, scaling, per-channel mean/std, default size.

    Pixels become ``(value * scale - mean) / std`` per channel (in the model's channel
    order). The defaults suit models trained on 0..1 RGB; ImageNet-normalised ones want
    ``mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)``. uint8 inputs get raw pixels.
    """

    rgb: bool = True
    scale: float = 1.0 / 255.0
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)
    size: int = 224
    scalar_range: tuple[float, float] = (0.0, 1.0)


@dataclass(frozen=True)
class LearnedScore:
    """Goodness 0..1 (1 = best) and the model's output it came from (probabilities for K >= 2)."""

    score: float
    outputs: tuple[float, ...]


def learned_spec(path: Path) -> ModelSpec:
    """A registry-style spec for a user's ONNX file (not in the registry: it is not ours)."""
    return ModelSpec("learned", "quality", "onnxruntime", f"learned quality model {path.name}",
                     path.name, "user-supplied", (WeightFile(path.name),), None, {},
                     default=False, optional=True)


def expected_score(values: np.ndarray, scalar_range: tuple[float, float] = (0.0, 1.0)) -> float:
    """One image's output vector -> goodness 0..1 (see the module docstring)."""
    values = np.asarray(values, np.float64).ravel()
    if values.size == 1:
        low, high = scalar_range
        return float(np.clip((values[0] - low) / (high - low), 0.0, 1.0))
    return float(probabilities(values) @ np.linspace(0.0, 1.0, values.size))


def probabilities(values: np.ndarray) -> np.ndarray:
    """``values`` if they already form a distribution, else their softmax."""
    if values.min() >= 0.0 and abs(float(values.sum()) - 1.0) < 1e-3:
        return values
    shifted = np.exp(values - values.max())
    return shifted / shifted.sum()


class LearnedQuality(InferenceModel):
    """A user's aesthetic/quality ONNX model; ``score`` one BGR image or ``score_batch`` many."""

    def __init__(self, path: Path, options: LearnedOptions | None = None, *,
                 threads: int | None = None, batch_size: int = 1) -> None:
        self.path = Path(path).expanduser()
        super().__init__(learned_spec(self.path), self.path.parent, batch_size=batch_size,
                         threads=threads)
        self.options = options or LearnedOptions()
        self.layout = "NCHW"
        self.input_size = (self.options.size, self.options.size)  # (width, height)
        self._input_name = ""
        self._uint8 = False
        self._fixed_batch = 0

    def load(self) -> None:
        """Open the model; ModelMissing (one line) when the file is not there."""
        if not self._loaded and not self.path.is_file():
            raise ModelMissing(f"learned quality model {self.path} is missing (no such file)")
        super().load()

    def _load(self, paths: Mapping[str, Path]) -> None:
        super()._load(paths)
        first = self.runtimes["model"].get_inputs()[0]
        shape = list(first.shape)
        if len(shape) != 4 or 3 not in (shape[1], shape[3]):
            raise ModelError(f"{self.spec.title}: expected an image input (N,3,H,W) or "
                             f"(N,H,W,3), got {shape}")
        self.layout = "NCHW" if shape[1] == 3 else "NHWC"
        height, width = (shape[2], shape[3]) if self.layout == "NCHW" else (shape[1], shape[2])
        size = self.options.size
        self.input_size = (width if isinstance(width, int) else size,
                           height if isinstance(height, int) else size)
        self._fixed_batch = shape[0] if isinstance(shape[0], int) and shape[0] > 0 else 0
        if self._fixed_batch:
            self.batch_size = self._fixed_batch
        self._input_name = first.name
        self._uint8 = first.type == "tensor(uint8)"

    def score(self, image_bgr: np.ndarray) -> LearnedScore:
        """The model's goodness for one BGR (or grey / BGRA) uint8 image."""
        scored: list[LearnedScore] = self.predict([image_bgr])
        return scored[0]

    def score_batch(self, images: Sequence[np.ndarray]) -> list[LearnedScore]:
        """``score`` for each image, run in chunks of ``batch_size``."""
        scored: list[LearnedScore] = self.predict(list(images))
        return scored

    def prepare(self, image_bgr: np.ndarray) -> np.ndarray:
        """One image as the model's input tensor without the batch axis."""
        image = np.asarray(image_bgr)
        if image.ndim == 2 or image.shape[2] == 1:
            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        image = image[:, :, :3]
        if self.options.rgb:
            image = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_BGR2RGB)
        image = cv2.resize(image, self.input_size, interpolation=cv2.INTER_AREA)
        if self._uint8:
            tensor = image
        else:
            opts = self.options
            mean, std = np.array(opts.mean, np.float32), np.array(opts.std, np.float32)
            tensor = ((image.astype(np.float32) * opts.scale - mean) / std).astype(np.float32)
        return np.transpose(tensor, (2, 0, 1)) if self.layout == "NCHW" else tensor

    def _predict_batch(self, items: list[Any]) -> list[LearnedScore]:
        tensors = [self.prepare(item) for item in items]
        tensors += tensors[-1:] * max(0, self._fixed_batch - len(tensors))  # fixed batch: pad
        try:
            output = self.runtimes["model"].run(None, {self._input_name: np.stack(tensors)})[0]
        except Exception as error:  # onnxruntime raises its own exception types
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise ModelError(f"{self.spec.title} failed: {first[:200]}") from error
        rows = np.asarray(output).reshape(len(tensors), -1)[:len(items)]
        results = []
        for row in rows:
            shown = row if row.size == 1 else probabilities(row.astype(np.float64))
            results.append(LearnedScore(expected_score(row, self.options.scalar_range),
                                        tuple(float(v) for v in shown)))
        return results
