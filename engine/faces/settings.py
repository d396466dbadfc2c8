"""Face settings, persisted in the catalog; defaults chosen on real photos and ORL."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from engine.settings_group import SettingsGroup
from models.face_detect import DETECTORS
from models.face_embed import EMBEDDERS

PREFIX = "faces."
MODEL_CHOICES = {"detector": tuple(DETECTORS), "embedder": EMBEDDERS}
# Like digiKam's face-size choice: small faces in group photos need a larger decode.
FACE_SIZES = {"large": 640, "medium": 1280, "small": 1920}


@dataclass(frozen=True)
class FaceSettings:
    detector: str = "centerface"
    embedder: str = "facenet"
    face_size: str = "medium"           # large | medium | small (faces in the photo)
    detect_score: float = 0.5           # minimum detector confidence
    min_face_size: int = 24             # minimum face side, original pixels
    recognition_distance: float = 0.44  # centred cosine distance under which a name is suggested
    knn: int = 3                        # best matches per person that vote
    cluster_eps: float = 0.25           # cosine distance linking two unknown faces (ORL: pure)
    cluster_min_size: int = 3           # faces needed to form a cluster
    quality_cut: float = 0.35           # confirmed faces under it are not used as references

    @property
    def decode_side(self) -> int:
        return FACE_SIZES[self.face_size]


GROUP = SettingsGroup(PREFIX, FaceSettings(), {**MODEL_CHOICES, "face_size": tuple(FACE_SIZES)})
load, validate, save = GROUP.load, GROUP.validate, GROUP.save


def as_dict(current: FaceSettings) -> dict[str, Any]:
    return asdict(current)
