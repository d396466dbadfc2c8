"""Reading one photo file for the catalog: bytes once, then hash, metadata (with the XMP
sidecar the walk found), pixels, thumbnail."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import decode, metadata
from .checksums import content_hash
from .errors import ItemError
from .file_values import FileValues
from .thumbnails import THUMB_SIDE, Thumbnail, make_thumbnail
from .walk import Sidecar

_SIDECAR_ERROR = "unreadable XMP sidecar: "


@dataclass(frozen=True)
class Ingested:
    fields: dict[str, Any]                      # image columns
    keywords: tuple[tuple[str, ...], ...]
    thumb: Thumbnail | None
    moved_from: int | None = None               # id of the missing image this file is
    values: FileValues = FileValues()           # labels, stars, named face regions
    sidecar_error: str | None = None            # why the sidecar was left out


def pixel_hash(pixels: np.ndarray) -> str:
    """Identity of a picture's pixels (as decoded for its thumbnail): unchanged by an edit
    of the file's metadata alone, so such an edit keeps every result on the photo."""
    return hashlib.blake2b(np.ascontiguousarray(pixels).tobytes(), digest_size=16).hexdigest()


def ingest(path: str, kind: str, size: int, mtime_ns: int,
           claim_moved: Callable[[int, str], int | None] | None = None,
           max_pixels: int = decode.DEFAULT_MAX_PIXELS,
           sidecar: Sidecar | None = None) -> Ingested:
    """Everything the catalog stores about one file and its sidecar (as the walk saw it);
    raises ItemError for a bad file. A moved file keeps its row's sidecar state, so a
    sidecar that differs at the new place is read by the next scan."""
    data = decode.read_file(path)
    if not data:
        raise ItemError("empty file")
    digest = content_hash(data)
    base = {"kind": kind, "size": size, "mtime_ns": mtime_ns, "content_hash": digest,
            "status": "ok", "error": None}
    if claim_moved is not None and (moved := claim_moved(size, digest)) is not None:
        return Ingested(base, (), None, moved_from=moved)
    base.update(sidecar_size=sidecar.size if sidecar else None,
                sidecar_mtime_ns=sidecar.mtime_ns if sidecar else None)
    if kind == "raw":
        meta, error = _read_metadata(path, data, sidecar)  # all a RAW gives: errors are fatal
        fields = {**base, **_meta_fields(meta), "format": path.rsplit(".", 1)[-1].lower(),
                  "width": meta.width, "height": meta.height}
        return Ingested(fields, meta.keywords, None, values=FileValues.of(meta),
                        sidecar_error=error)
    info = decode.probe(data, max_pixels)
    try:
        meta, error = _read_metadata(path, data, sidecar)
    except ItemError:  # pixels are fine; a file without readable metadata is common
        meta, error = metadata.EMPTY, None
    pixels = decode.decode(data, info, meta.orientation, max_side=THUMB_SIDE)
    fields = {**base, **_meta_fields(meta), "format": info.format, "width": info.width,
              "height": info.height, "pixel_hash": pixel_hash(pixels)}
    return Ingested(fields, meta.keywords, make_thumbnail(pixels),
                    values=FileValues.of(meta, pixels), sidecar_error=error)


def _read_metadata(path: str, data: bytes, sidecar: Sidecar | None
                   ) -> tuple[metadata.PhotoMetadata, str | None]:
    """The file's metadata merged with its XMP sidecar's, and None; or, when the sidecar
    cannot be read, the file's own metadata and why the sidecar was left out."""
    if sidecar is None:
        return metadata.read_metadata(data), None
    try:
        side = metadata.read_sidecar(os.path.join(os.path.dirname(path), sidecar.name))
        return metadata.read_metadata(data, side), None
    except ItemError as error:
        meta = metadata.read_metadata(data)  # raises when the file itself is the problem
        reason = str(error).removeprefix(_SIDECAR_ERROR)
        return meta, f"{_SIDECAR_ERROR.rstrip(': ')} {sidecar.name}: {reason}"


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
