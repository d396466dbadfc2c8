"""Reading one photo file for the catalog: bytes once, then hash, metadata, pixels, thumbnail."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import decode, metadata
from .errors import ItemError
from .thumbnails import THUMB_SIDE, Thumbnail, make_thumbnail


@dataclass(frozen=True)
class Ingested:
    fields: dict[str, Any]                      # image columns
    keywords: tuple[tuple[str, ...], ...]
    thumb: Thumbnail | None
    moved_from: int | None = None               # id of the missing image this file is


def content_hash(data: bytes) -> str:
    """Identity of a file's content, used to recognise a moved file."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def pixel_hash(pixels: np.ndarray) -> str:
    """Identity of a picture's pixels (as decoded for its thumbnail): unchanged by an edit
    of the file's metadata alone, so such an edit keeps every result on the photo."""
    return hashlib.blake2b(np.ascontiguousarray(pixels).tobytes(), digest_size=16).hexdigest()


def ingest(path: str, kind: str, size: int, mtime_ns: int,
           claim_moved: Callable[[int, str], int | None] | None = None,
           max_pixels: int = decode.DEFAULT_MAX_PIXELS) -> Ingested:
    """Everything the catalog stores about one file; raises ItemError for a bad file."""
    data = decode.read_file(path)
    if not data:
        raise ItemError("empty file")
    digest = content_hash(data)
    base = {"kind": kind, "size": size, "mtime_ns": mtime_ns, "content_hash": digest,
            "status": "ok", "error": None}
    if claim_moved is not None and (moved := claim_moved(size, digest)) is not None:
        return Ingested(base, (), None, moved_from=moved)
    if kind == "raw":
        meta = _read_metadata(path, data)  # all a RAW gives us: errors are fatal
        fields = {**base, **_meta_fields(meta), "format": path.rsplit(".", 1)[-1].lower(),
                  "width": meta.width, "height": meta.height}
        return Ingested(fields, meta.keywords, None)
    info = decode.probe(data, max_pixels)
    try:
        meta = _read_metadata(path, data)
    except ItemError:
        meta = metadata.EMPTY  # pixels are fine; a file without readable metadata is common
    pixels = decode.decode(data, info, meta.orientation, max_side=THUMB_SIDE)
    fields = {**base, **_meta_fields(meta), "format": info.format, "width": info.width,
              "height": info.height, "pixel_hash": pixel_hash(pixels)}
    return Ingested(fields, meta.keywords, make_thumbnail(pixels))


def _read_metadata(path: str, data: bytes) -> metadata.PhotoMetadata:
    """The file's metadata merged with its XMP sidecar; a broken sidecar is passed over."""
    try:
        sidecar = metadata.read_sidecar_for(path)
        if sidecar is not None:
            return metadata.read_metadata(data, sidecar)
    except ItemError:
        pass
    return metadata.read_metadata(data)


def thumbnail_of(path: str, orientation: int,
                 max_pixels: int = decode.DEFAULT_MAX_PIXELS) -> Thumbnail:
    """A fresh thumbnail for a catalogued image (for the thumbnails job)."""
    data = decode.read_file(path)
    pixels = decode.decode(data, decode.probe(data, max_pixels), orientation, THUMB_SIDE)
    return make_thumbnail(pixels)


def _meta_fields(meta: metadata.PhotoMetadata) -> dict[str, Any]:
    return {"orientation": meta.orientation, "taken_at": meta.taken_at,
            "camera_make": meta.camera_make, "camera_model": meta.camera_model,
            "lens": meta.lens, "gps_lat": meta.gps_lat, "gps_lon": meta.gps_lon,
            "gps_alt": meta.gps_alt}
