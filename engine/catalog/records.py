"""What catalog queries return: frozen dataclasses, never Peewee rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ImageRecord:
    id: int
    path: str
    album_id: int
    name: str
    kind: str
    format: str | None
    size: int
    mtime_ns: int
    content_hash: str | None
    width: int | None
    height: int | None
    orientation: int
    taken_at: str | None
    camera_make: str | None
    camera_model: str | None
    lens: str | None
    gps_lat: float | None
    gps_lon: float | None
    gps_alt: float | None
    status: str
    error: str | None


@dataclass(frozen=True)
class AlbumRecord:
    id: int
    collection_id: int
    relpath: str
    path: str
    status: str
    image_count: int = 0


@dataclass(frozen=True)
class CollectionRecord:
    id: int
    path: str


@dataclass(frozen=True)
class TagRecord:
    id: int
    path: tuple[str, ...]
    source: str | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class CatalogCounts:
    collections: int
    albums: int
    images: int
    ok: int
    errors: int
    missing: int
    raw: int
    tags: int
    thumbnails: int


@dataclass(frozen=True)
class JobRecord:
    id: int
    kind: str
    options: dict[str, Any] = field(hash=False)
    state: str
    done: int
    total: int
    errors: int
    message: str | None
    started_at: float
    finished_at: float | None


@dataclass(frozen=True)
class ItemErrorRecord:
    job_id: int
    path: str
    reason: str
    at: float


@dataclass(frozen=True)
class FaceRecord:
    id: int
    image_id: int
    box: tuple[float, float, float, float]     # x, y, w, h in displayed full-size pixels
    landmarks: tuple[tuple[float, float], ...] | None
    det_score: float | None
    quality: float | None
    source: str
    status: str                                 # unconfirmed | confirmed | ignored | not_face
    person_id: int | None
    person: str | None
    suggested_person_id: int | None
    suggested: str | None
    suggested_distance: float | None
    cluster_id: int | None
    image_path: str = ""
    superseded: bool = False                    # on a picture since replaced under its name

    @property
    def name(self) -> str | None:
        """The confirmed name, else None."""
        return self.person if self.status == "confirmed" else None


@dataclass(frozen=True)
class PersonRecord:
    id: int
    name: str
    confirmed: int = 0
    suggested: int = 0


@dataclass(frozen=True)
class ClusterRecord:
    id: int
    size: int
    face_ids: tuple[int, ...]


@dataclass(frozen=True)
class JournalRecord:
    """One decision about faces, as the journal keeps it."""

    id: int
    at: float
    action: str
    summary: str
    undone: bool
