"""The thumbnail store (thumbs.db): small JPEGs keyed by image id."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator

from .schema import Thumb
from .storage import translated


def put_thumbs(rows: Iterable[tuple[int, int, int, bytes]]) -> None:
    """Store (image id, width, height, jpeg bytes) thumbnails, replacing older ones."""
    now = time.time()
    data = [{"image_id": iid, "width": w, "height": h, "jpeg": jpeg, "made_at": now}
            for iid, w, h, jpeg in rows]
    for start in range(0, len(data), 100):
        Thumb.insert_many(data[start:start + 100]).on_conflict_replace().execute()


def get_thumb(image_id: int) -> bytes | None:
    """The JPEG thumbnail of an image, or None."""
    return Thumb.select(Thumb.jpeg).where(Thumb.image_id == image_id).scalar()


def thumb_ids() -> set[int]:
    return {iid for (iid,) in Thumb.select(Thumb.image_id).tuples()}


def thumb_count() -> int:
    return Thumb.select().count()


@contextlib.contextmanager
def writing() -> Iterator[None]:
    """A write transaction on the thumbnail store (commits on its own, before the catalog's)."""
    with translated("the thumbnail store"), Thumb._meta.database.atomic("IMMEDIATE"):
        yield
