"""The face models a library's settings call for (built lazily: weights load on first use).

The model modules (and OpenCV with them) are imported on the first call, not with this
module: the face service asks for ``embedder_key`` and must stay cheap to import for
read-only commands such as ``termkam status``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine import config

from .settings import FaceSettings

if TYPE_CHECKING:
    from models.face_detect import FaceDetector
    from models.face_embed import FaceEmbedder


def detector_for(settings: FaceSettings, threads: int | None = None) -> FaceDetector:
    from models.face_detect import face_detector

    return face_detector(settings.detector, config.models_dir(), threads,
                         max_side=settings.decode_side)


def embedder_for(settings: FaceSettings, threads: int | None = None) -> FaceEmbedder:
    from models.face_embed import face_embedder

    return face_embedder(settings.embedder, config.models_dir(), threads,
                         flip=settings.mirror)


def embedder_key(settings: FaceSettings) -> tuple[str, str]:
    """(model id, version) that stored embeddings must match to be used."""
    embedder = embedder_for(settings)
    return embedder.model_id, embedder.version
