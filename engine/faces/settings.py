"""Face settings, persisted in the catalog; defaults chosen on real photos and ORL."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from engine.catalog import settings
from engine.errors import TermkamError
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
    recognition_distance: float = 0.5   # centred cosine distance under which a name is suggested
    knn: int = 3                        # best matches per person that vote
    cluster_eps: float = 0.25           # cosine distance linking two unknown faces (ORL: pure)
    cluster_min_size: int = 3           # faces needed to form a cluster
    quality_cut: float = 0.35           # confirmed faces under it are not used as references

    @property
    def decode_side(self) -> int:
        return FACE_SIZES[self.face_size]


def load() -> FaceSettings:
    """The library's face settings (defaults for anything not set)."""
    stored = settings.all_settings()
    values = {f.name: stored[PREFIX + f.name] for f in fields(FaceSettings)
              if PREFIX + f.name in stored}
    return replace(FaceSettings(), **values)


def validate(name: str, value: Any) -> Any:
    """The value converted to the setting's type; TermkamError for a bad name or value."""
    known = {f.name: f for f in fields(FaceSettings)}
    if name not in known:
        raise TermkamError(f"unknown face setting {name!r}; known: {', '.join(known)}")
    default = getattr(FaceSettings(), name)
    try:
        converted = type(default)(value)
    except (TypeError, ValueError):
        raise TermkamError(f"{name} must be a {type(default).__name__}, not {value!r}") from None
    if name == "face_size" and converted not in FACE_SIZES:
        raise TermkamError(f"face_size must be one of {', '.join(FACE_SIZES)}")
    if name in MODEL_CHOICES and converted not in MODEL_CHOICES[name]:
        raise TermkamError(f"{name} must be one of {', '.join(MODEL_CHOICES[name])}")
    if isinstance(converted, float | int) and not isinstance(converted, bool) and converted < 0:
        raise TermkamError(f"{name} cannot be negative")
    return converted


def save(name: str, value: Any) -> None:
    """Store one setting (inside the caller's write transaction)."""
    settings.set_setting(PREFIX + name, validate(name, value))


def as_dict(current: FaceSettings) -> dict[str, Any]:
    return asdict(current)
