"""COCO object detectors: SSD-MobileNet-v2 (default, carried, cv2.dnn) and YOLOX-Nano (optional,
onnxruntime).

Both take BGR (or grey / BGRA) uint8 images of any size and give ``DetectedObject`` boxes in
that image's pixels, best first. SSD numbers classes COCO-90 (``labels/coco90.txt``), YOLOX
COCO-80 (``labels/coco80.txt``); the names are the same, so one vocabulary serves both.
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
from models.labels import class_names

YOLOX_STRIDES = (8, 16, 32)


@dataclass(frozen=True)
class DetectedObject:
    """One object: class name, the model's class id, confidence 0..1 and box (x, y, w, h) in
    the input image's pixels (clipped to the image)."""

    label: str
    class_id: int
    score: float
    box: tuple[float, float, float, float]


class ObjectDetector(InferenceModel):
    """A COCO detector; ``detect`` one image or ``detect_batch`` many, objects best first."""

    label_set = ""

    def __init__(self, spec: registry.ModelSpec, models_dir: Path, *, batch_size: int = 1,
                 threads: int | None = None) -> None:
        super().__init__(spec, models_dir, batch_size=batch_size, threads=threads)
        self.model_id = spec.id
        self.version = spec.version
        self.min_score = float(spec.thresholds.get("score", 0.5))
        self.nms = float(spec.thresholds.get("nms", 0.45))
        self.labels: Mapping[int, str] = class_names(self.label_set)
        self._run_lock = threading.Lock()  # one net per detector: one caller at a time

    def detect(self, image_bgr: np.ndarray, min_score: float | None = None
               ) -> list[DetectedObject]:
        """Objects in one image scoring >= ``min_score`` (spec default), best first."""
        return self.detect_batch([image_bgr], min_score)[0]

    def detect_batch(self, images_bgr: Sequence[np.ndarray], min_score: float | None = None
                     ) -> list[list[DetectedObject]]:
        """``detect`` for each image, run in chunks of ``batch_size``."""
        threshold = self.min_score if min_score is None else float(min_score)
        found: list[list[DetectedObject]] = self.predict(
            [(as_bgr(np.asarray(image)), threshold) for image in images_bgr])
        return found

    def _predict_batch(self, items: list[Any]) -> list[list[DetectedObject]]:
        images = [image for image, _ in items]
        with self._run_lock:
            rows = self._raw(images, max(items[0][1], 1e-6))
        return [self._objects(found, image.shape[:2]) for found, image in zip(rows, images,
                                                                              strict=True)]

    def _objects(self, rows: np.ndarray, shape: tuple[int, ...]) -> list[DetectedObject]:
        h, w = shape
        objects = []
        for class_id, score, *corners in rows.tolist():
            x1, x2 = (min(max(v, 0.0), w) for v in corners[0::2])
            y1, y2 = (min(max(v, 0.0), h) for v in corners[1::2])
            name = self.labels.get(int(class_id))
            if name is not None and x2 > x1 and y2 > y1:
                objects.append(DetectedObject(name, int(class_id), float(min(score, 1.0)),
                                              (x1, y1, x2 - x1, y2 - y1)))
        return sorted(objects, key=lambda o: (-o.score, o.class_id, o.box))

    @abstractmethod
    def _raw(self, images: list[np.ndarray], threshold: float) -> list[np.ndarray]:
        """Per image, (n, 6) rows: class id, score, x1, y1, x2, y2 in that image's pixels."""


class SsdMobileNet(ObjectDetector):
    """SSD-MobileNet-v2 COCO via cv2.dnn: each image is squashed to 300x300 (as trained; area
    resampling when shrinking), RGB, and a chunk of ``batch_size`` images runs as one
    ``blobFromImages`` blob. Batches give the same boxes but no speed-up on 2 cores
    (``bench/tag_models.py``), hence the default of 1."""

    label_set = "coco90"

    def _load(self, paths: Mapping[str, Path]) -> None:
        if self.threads:
            cv2.setNumThreads(int(self.threads))  # cv2.dnn's thread count is process-wide
        super()._load(paths)

    def _raw(self, images: list[np.ndarray], threshold: float) -> list[np.ndarray]:
        size = self.spec.input_size or (300, 300)
        resized = [cv2.resize(image, size, interpolation=cv2.INTER_AREA
                              if image.shape[1] >= size[0] and image.shape[0] >= size[1]
                              else cv2.INTER_LINEAR) for image in images]
        net = self.runtimes["model"]
        net.setInput(cv2.dnn.blobFromImages(resized, 1.0, size, swapRB=True))
        return ssd_rows(net.forward(), [image.shape[:2] for image in images], threshold)


def ssd_rows(output: np.ndarray, shapes: Sequence[tuple[int, ...]], threshold: float
             ) -> list[np.ndarray]:
    """Split a DetectionOutput blob [1, 1, N, 7] (image index, class id, score, x1, y1, x2, y2
    normalised) into per-image rows of class id, score and corners in pixels."""
    rows = output.reshape(-1, 7)
    rows = rows[(rows[:, 2] >= threshold) & (rows[:, 1] > 0)]
    found = []
    for index, (h, w) in enumerate(shapes):
        mine = rows[rows[:, 0] == index]
        found.append(np.concatenate([mine[:, 1:3], mine[:, 3:7] * [w, h, w, h]], axis=1))
    return found


class YoloxNano(ObjectDetector):
    """YOLOX-Nano COCO-80 via onnxruntime: BGR 0-255 letterboxed into 416x416 (top-left, pad
    114), grid/stride decode, class-aware NMS. The export's input is fixed at batch 1, so a
    chunk of ``batch_size`` images runs one image at a time."""

    label_set = "coco80"

    def _raw(self, images: list[np.ndarray], threshold: float) -> list[np.ndarray]:
        session = self.runtimes["model"]
        name = session.get_inputs()[0].name
        size = self.spec.input_size or (416, 416)
        found = []
        for image in images:
            blob, scale = letterbox(image, size)
            boxes, scores = yolox_decode(session.run(None, {name: blob})[0][0], size)
            rows = nms_per_class(boxes, scores, threshold, self.nms)
            rows[:, 2:] *= np.tile(scale, 2)
            found.append(rows)
        return found


def letterbox(image: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The 1x3xHxW float32 BGR blob of ``image`` resized into ``size`` (w, h) keeping its
    aspect, top-left, padded with 114; and (sx, sy) that map blob pixels back to the image."""
    w, h = size
    ih, iw = image.shape[:2]
    ratio = min(w / iw, h / ih)
    nw, nh = max(1, min(w, round(iw * ratio))), max(1, min(h, round(ih * ratio)))
    canvas = np.full((h, w, 3), 114, np.uint8)
    canvas[:nh, :nw] = cv2.resize(image, (nw, nh), interpolation=cv2.INTER_LINEAR)
    return canvas.transpose(2, 0, 1)[None].astype(np.float32), np.array([iw / nw, ih / nh])


def yolox_grid(size: tuple[int, int], strides: Sequence[int] = YOLOX_STRIDES
               ) -> tuple[np.ndarray, np.ndarray]:
    """(n, 2) cell x, y and (n, 1) stride of every output row, strides in order, rows by y
    then x (how YOLOX flattens its heads)."""
    w, h = size
    cells, steps = [], []
    for stride in strides:
        ys, xs = np.mgrid[0 : h // stride, 0 : w // stride]
        cells.append(np.stack([xs.ravel(), ys.ravel()], axis=1))
        steps.append(np.full((xs.size, 1), stride))
    return np.concatenate(cells).astype(np.float32), np.concatenate(steps).astype(np.float32)


def yolox_decode(raw: np.ndarray, size: tuple[int, int], strides: Sequence[int] = YOLOX_STRIDES
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Raw YOLOX rows (n, 5 + classes: dx, dy, log w, log h, objectness, class scores) ->
    (n, 4) corners x1, y1, x2, y2 on the network input and (n, classes) objectness x class."""
    cells, steps = yolox_grid(size, strides)
    if raw.ndim != 2 or len(raw) != len(cells):
        raise ModelError(f"YOLOX output has shape {raw.shape}, expected ({len(cells)}, 85)")
    centre = (raw[:, :2] + cells) * steps
    half = np.exp(np.minimum(raw[:, 2:4], 20.0)) * steps / 2.0
    return np.concatenate([centre - half, centre + half], axis=1), raw[:, 4:5] * raw[:, 5:]


def nms_per_class(boxes: np.ndarray, scores: np.ndarray, threshold: float, nms: float
                  ) -> np.ndarray:
    """Class-aware NMS: every (box, class) scoring >= ``threshold``; (n, 6) rows class id,
    score, x1, y1, x2, y2, boxes of one class suppressed only by that class."""
    anchors, classes = np.nonzero(scores >= threshold)
    if len(anchors) == 0:
        return np.zeros((0, 6), np.float64)
    corners = boxes[anchors].astype(np.float64)
    score = scores[anchors, classes].astype(np.float64)
    xywh = np.concatenate([corners[:, :2], corners[:, 2:] - corners[:, :2]], axis=1)
    keep = np.asarray(cv2.dnn.NMSBoxesBatched(xywh.tolist(), score.tolist(), classes.tolist(),
                                              float(threshold), float(nms)), int).reshape(-1)
    return np.concatenate([classes[keep, None], score[keep, None], corners[keep]], axis=1)


DETECTORS: Mapping[str, type[ObjectDetector]] = {
    "ssd_mobilenet_v2_coco": SsdMobileNet, "yolox_nano": YoloxNano}


def object_detector_for(model_id: str, models_dir: Path, *, batch_size: int = 1,
                        threads: int | None = None) -> ObjectDetector:
    """The detector ``model_id`` (``ssd_mobilenet_v2_coco`` | ``yolox_nano``); weights load on
    first use (ModelMissing, one line, when they are absent)."""
    spec = registry.get(model_id)
    if model_id not in DETECTORS:
        raise ModelError(f"'{model_id}' is not an object detector (known: {', '.join(DETECTORS)})")
    return DETECTORS[model_id](spec, models_dir, batch_size=batch_size, threads=threads)
