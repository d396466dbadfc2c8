"""Which images a maintenance tool works on: the whole collection, some albums, or a list
of images (the job's ``albums`` / ``images`` options)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.catalog import images
from engine.catalog.records import ImageRecord


def scoped_images(options: Mapping[str, Any]) -> list[ImageRecord]:
    """Readable still images in the scope the options name, in id order."""
    records = [r for r in images.list_images(status="ok") if r.kind == "image"]
    if albums := options.get("albums"):
        records = [r for r in records if r.album_id in set(albums)]
    if image_ids := options.get("images"):
        records = [r for r in records if r.id in set(image_ids)]
    return records
