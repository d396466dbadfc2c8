"""The face models a library's settings call for (built lazily: weights load on first use)."""

from __future__ import annotations

from engine import config
from models.face_detect import FaceDetector, face_detector
from models.face_embed import FaceEmbedder, face_embedder

from .settings import FaceSettings


def detector_for(settings: FaceSettings, threads: int | None = None) -> FaceDetector:
    return face_detector(settings.detector, config.models_dir(), threads,
                         max_side=settings.decode_side)


def embedder_for(settings: FaceSettings, threads: int | None = None) -> FaceEmbedder:
    return face_embedder(settings.embedder, config.models_dir(), threads,
                         flip=settings.mirror)


def embedder_key(settings: FaceSettings) -> tuple[str, str]:
    """(model id, version) that stored embeddings must match to be used."""
    embedder = embedder_for(settings)
    return embedder.model_id, embedder.version
