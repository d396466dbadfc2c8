"""Browsing the library for the Albums pane: filtered, paged image lists and photo details."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine.catalog import Library, picks, ratings, search, tags
from engine.catalog import faces as face_db
from engine.catalog import writeback as writeback_db
from engine.catalog.object_boxes import ObjectBoxRecord, image_boxes
from engine.catalog.records import FaceRecord, ImageRecord, TagRecord
from engine.catalog.search import Filters
from engine.faces.geometry import displayed_size

__all__ = ["BrowseService", "Filters", "ObjectBoxRecord", "PhotoDetails", "PhotoMarks"]


@dataclass(frozen=True)
class PhotoDetails:
    """Everything the info panel shows about one photo.

    ``quality`` and ``pick`` are labels filled by later tools; ``rating`` (-1 rejected, 0..5
    stars) and ``color_label`` come from the files; None leaves their rows out.
    """

    record: ImageRecord
    tags: tuple[TagRecord, ...]
    faces: tuple[FaceRecord, ...]
    quality: str | None = None
    pick: str | None = None
    rating: int | None = None
    color_label: str | None = None


@dataclass(frozen=True)
class PhotoMarks:
    """What the photo view draws on a photo: its faces (boxes in displayed full-size pixels,
    left to right; "not a face" left out) and the objects behind its tags (normalised boxes),
    with ``size``, the displayed full size the face boxes are in."""

    record: ImageRecord
    size: tuple[int, int]
    faces: tuple[FaceRecord, ...]
    objects: tuple[ObjectBoxRecord, ...]


class BrowseService:
    """Read-only queries over the catalog; every method takes a ``Filters``."""

    def __init__(self, library: Library, changed: Callable[[], None] = lambda: None) -> None:
        self.library, self._changed = library, changed

    def count(self, filters: Filters | None = None) -> int:
        """How many images match (no filters: every "ok" image)."""
        return search.count_images(filters or Filters())

    def ids(self, filters: Filters | None = None) -> list[int]:
        """Ids of every matching image, in display order (cheap: for virtualised lists)."""
        return search.image_ids(filters or Filters())

    def page(self, filters: Filters | None = None, offset: int = 0,
             limit: int = 100) -> list[ImageRecord]:
        """Matching images ``offset`` to ``offset + limit`` in display order."""
        return search.page(filters or Filters(), offset, limit)

    def records(self, image_ids: Sequence[int]) -> list[ImageRecord]:
        """The records of these images, in the given order."""
        return search.records(image_ids)

    def names(self, image_ids: Sequence[int]) -> dict[int, str]:
        """image id -> file name, for captions."""
        return search.names(image_ids)

    def thumbnails(self, image_ids: Sequence[int]) -> dict[int, bytes]:
        """image id -> 256 px JPEG from the thumbnail store (never the original)."""
        return search.thumbnails(image_ids)

    def album_counts(self, filters: Filters | None = None) -> dict[int, int]:
        """album id -> matching images directly in that album (ignores ``filters.album_id``)."""
        return search.album_counts(filters or Filters())

    def details(self, image_id: int) -> PhotoDetails | None:
        """The record, tags (with source) and faces (with names or suggestions) of a photo."""
        found = search.records([image_id])
        if not found:
            return None
        scored = picks.image_quality(image_id)
        label = picks.labels([image_id]).get(image_id)
        return PhotoDetails(found[0], tuple(tags.image_tags(image_id)),
                            tuple(face_db.list_faces(image_id=image_id)),
                            f"{scored[1]:.0f} / 100" if scored else None,
                            f"{label[0]} ({'by you' if label[1] == 'user' else 'auto'})"
                            if label else None, *ratings.rating_and_label(image_id))

    def marks(self, image_id: int) -> PhotoMarks | None:
        """The faces and object boxes to draw on a photo (None: no such photo)."""
        found = search.records([image_id])
        if not found:
            return None
        record = found[0]
        size = displayed_size(record.width or 0, record.height or 0, record.orientation or 1)
        faces = sorted(face_db.list_faces(image_id=image_id),
                       key=lambda f: (f.box[0], f.box[1], f.id))
        return PhotoMarks(record, size, tuple(faces), tuple(image_boxes(image_id)))

    def tag_counts(self, source: str | None = None) -> list[tuple[TagRecord, int]]:
        """Tags with how many images carry them (from ``source``, or any)."""
        return tags.tag_counts(source)

    def pick_counts(self) -> dict[str, int]:
        """How many images carry each pick label."""
        return picks.label_counts()

    def rating_counts(self) -> dict[int, int]:
        """How many images have each rating (-1 rejected, 0 none, 1..5 stars)."""
        return ratings.rating_counts()

    def color_label_counts(self) -> dict[str, int]:
        """How many images carry each colour label."""
        return ratings.color_label_counts()

    def set_pick(self, image_ids: Sequence[int], label: str | None) -> None:
        """The user's pick label for photos (None removes it); no quality run overrides it."""
        with self.library.writing():
            picks.set_user_label(image_ids, label)
            writeback_db.queue(image_ids)
        self._changed()
