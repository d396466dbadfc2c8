"""Catalog-wide counts for `termkam status` and the TUI header."""

from __future__ import annotations

import peewee as pw

from .records import CatalogCounts
from .schema import Album, Collection, Image, Tag
from .thumbs import thumb_count


def counts() -> CatalogCounts:
    by_status = dict(Image.select(Image.status, pw.fn.COUNT(Image.id))
                     .group_by(Image.status).tuples())
    raw = Image.select().where((Image.kind == "raw") & (Image.status != "missing")).count()
    return CatalogCounts(
        collections=Collection.select().count(),
        albums=Album.select().where(Album.status != "missing").count(),
        images=sum(n for status, n in by_status.items() if status != "missing"),
        ok=by_status.get("ok", 0),
        errors=by_status.get("error", 0),
        missing=by_status.get("missing", 0),
        raw=raw,
        tags=Tag.select().count(),
        thumbnails=thumb_count(),
    )
