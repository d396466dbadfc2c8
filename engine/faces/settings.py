"""Face settings, persisted in the catalog; defaults chosen on real photos and ORL."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from engine.settings_group import SettingsGroup, check_ranges, ranged
from models.choices import FACE_DETECTORS, FACE_EMBEDDERS

PREFIX = "faces."
MODEL_CHOICES = {"detector": FACE_DETECTORS, "embedder": FACE_EMBEDDERS}
# Like digiKam's face-size choice: small faces in group photos need a larger decode.
FACE_SIZES = {"large": 640, "medium": 1280, "small": 1920}


@dataclass(frozen=True)
class FaceSettings:
    detector: str = "centerface"
    embedder: str = "facenet"
    face_size: str = "medium"                       # large | medium | small (faces in the photo)
    mirror: bool = False                            # also embed each face's mirror image
    detect_score: float = ranged(0.5, 0.05, 1.0)    # minimum detector confidence
    min_face_size: int = ranged(24, 0, 4000)        # minimum face side, original pixels
    recognition_distance: float = ranged(0.46, 0.0, 2.0)  # centred cosine distance to suggest
    knn: int = ranged(3, 1, 50)                     # best matches per person that vote
    cluster_eps: float = ranged(0.25, 0.01, 1.0)    # cosine distance linking two unknown faces
    cluster_min_size: int = ranged(3, 2, 10000)     # faces needed to form a cluster
    quality_cut: float = ranged(0.35, 0.0, 1.0)     # confirmed faces under it: no references

    def __post_init__(self) -> None:
        check_ranges(self)

    @property
    def decode_side(self) -> int:
        return FACE_SIZES[self.face_size]


GROUP = SettingsGroup(PREFIX, FaceSettings(), {**MODEL_CHOICES, "face_size": tuple(FACE_SIZES)})
load, validate, save = GROUP.load, GROUP.validate, GROUP.save


def as_dict(current: FaceSettings) -> dict[str, Any]:
    return asdict(current)
