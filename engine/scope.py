"""Which images a maintenance tool works on: the whole collection, some albums, or a list
of images (the job's ``albums`` / ``images`` options)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine.catalog import images
from engine.catalog.records import ImageRecord


def scoped_images(options: Mapping[str, Any],
                  kinds: tuple[str, ...] = ("image",)) -> list[ImageRecord]:
    """Readable images (still images; RAW files too when asked) in the scope the options
    name, in id order."""
    records = [r for r in images.list_images(status="ok") if r.kind in kinds]
    if albums := options.get("albums"):
        records = [r for r in records if r.album_id in set(albums)]
    if image_ids := options.get("images"):
        records = [r for r in records if r.id in set(image_ids)]
    return records


def not_redone(options: Mapping[str, Any], records: list[ImageRecord],
               done_since: Callable[[float], set[int]]) -> list[ImageRecord]:
    """``records`` less those a resumed job's earlier runs already redid: a job resumed
    with the ``since`` option (when the job it continues started) skips the images
    ``done_since(since)`` names, so a resumed "all" run does each image once."""
    since = options.get("since")
    if since is None:
        return records
    done = done_since(float(since))
    return [r for r in records if r.id not in done]
