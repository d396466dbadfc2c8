"""Decoded thumbnails by image id: fetched in batches from the thumbnail store, decoded on first
use, kept in an LRU bounded by memory (a decoded 256 px thumbnail is ~200 KB) so a grid
scrolled back and forth does not decode twice."""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Callable, Sequence

from PIL import Image as PILImage

Fetch = Callable[[Sequence[int]], dict[int, bytes]]


def decode(jpeg: bytes) -> PILImage.Image | None:
    """An RGB image from thumbnail bytes (None if they do not decode)."""
    try:
        image = PILImage.open(io.BytesIO(jpeg))
        image.load()
    except (OSError, ValueError):
        return None
    return image.convert("RGB") if image.mode != "RGB" else image


def _size(image: PILImage.Image | None) -> int:
    return image.width * image.height * len(image.getbands()) if image is not None else 0


class ThumbCache:
    """image id -> decoded thumbnail (or None when the image has none)."""

    def __init__(self, fetch: Fetch, max_bytes: int = 48 << 20) -> None:
        self.fetch = fetch
        self.max_bytes = max_bytes
        self.bytes = 0
        self._images: OrderedDict[int, PILImage.Image | None] = OrderedDict()
        self.decoded = 0

    def get_many(self, image_ids: Sequence[int]) -> dict[int, PILImage.Image | None]:
        """Thumbnails of these ids; the missing ones are fetched in one query and decoded."""
        missing = [i for i in image_ids if i not in self._images]
        if missing:
            blobs = self.fetch(missing)
            for iid in missing:
                blob = blobs.get(iid)
                image = decode(blob) if blob else None
                self._images[iid] = image
                self.bytes += _size(image)
                self.decoded += blob is not None
        found = {}
        for iid in image_ids:
            self._images.move_to_end(iid)
            found[iid] = self._images[iid]
        while self.bytes > self.max_bytes and len(self._images) > len(image_ids):
            _, dropped = self._images.popitem(last=False)
            self.bytes -= _size(dropped)
        return found

    def get(self, image_id: int) -> PILImage.Image | None:
        return self.get_many([image_id])[image_id]

    def clear(self) -> None:
        """Forget everything (thumbnails were rebuilt)."""
        self._images.clear()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._images)
