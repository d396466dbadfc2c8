"""The catalog: every Peewee model and every query of termkam.

Query modules return dataclasses from ``records``; callers never see Peewee rows.
"""

from .database import Library
from .records import (
    AlbumRecord,
    CatalogCounts,
    CollectionRecord,
    ImageRecord,
    ItemErrorRecord,
    JobRecord,
    TagRecord,
)

__all__ = [
    "AlbumRecord",
    "CatalogCounts",
    "CollectionRecord",
    "ImageRecord",
    "ItemErrorRecord",
    "JobRecord",
    "Library",
    "TagRecord",
]
