"""Machine-made tags (source ``auto``) and the user's verdicts on them.

Confirming an auto tag makes it the user's; removing one records a rejection, and a rejected
tag is never given to that image again by any tagging run.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from peewee import fn

from .schema import ImageTag, TagRejection
from .tags import ensure_tag

CHUNK = 500


def rejected_tags(image_ids: Iterable[int]) -> dict[int, set[int]]:
    """image id -> ids of the tags the user removed from it."""
    ids = list(image_ids)
    found: dict[int, set[int]] = {}
    for start in range(0, len(ids), CHUNK):
        query = (TagRejection.select(TagRejection.image, TagRejection.tag)
                 .where(TagRejection.image.in_(ids[start:start + CHUNK])).tuples())
        for image_id, tag_id in query:
            found.setdefault(image_id, set()).add(tag_id)
    return found


def auto_tagged_ids() -> set[int]:
    """Images that carry at least one auto tag."""
    query = ImageTag.select(ImageTag.image).where(ImageTag.source == "auto").distinct().tuples()
    return {image_id for (image_id,) in query}


def put_auto_tags(image_id: int, tags: Sequence[tuple[Sequence[str], float]],
                  replace: bool, rejected: Iterable[int] = ()) -> int:
    """Store an image's auto tags (path, confidence); returns how many were written.

    ``replace`` drops the image's earlier auto tags first; otherwise a tag found again keeps
    the higher confidence. Tags in ``rejected`` and tags the user already set are skipped.
    """
    if replace:
        ImageTag.delete().where((ImageTag.image == image_id)
                                & (ImageTag.source == "auto")).execute()
    user = {tid for (tid,) in ImageTag.select(ImageTag.tag).where(
        (ImageTag.image == image_id) & (ImageTag.source == "user")).tuples()}
    rejected = set(rejected)
    rows: dict[int, float] = {}
    for path, confidence in tags:
        tag_id = ensure_tag(path)
        if tag_id in rejected or tag_id in user:
            continue
        rows[tag_id] = max(confidence, rows.get(tag_id, 0.0))
    for tag_id, confidence in rows.items():
        (ImageTag.insert(image=image_id, tag=tag_id, source="auto", confidence=confidence)
         .on_conflict(conflict_target=[ImageTag.image, ImageTag.tag, ImageTag.source],
                      update={ImageTag.confidence: fn.MAX(ImageTag.confidence, confidence)})
         .execute())
    return len(rows)


def confirm_tag(image_id: int, tag_id: int) -> bool:
    """Make an auto tag the user's (its confidence is kept); False if there was none."""
    row = ImageTag.get_or_none(image=image_id, tag=tag_id, source="auto")
    if row is None:
        return False
    ImageTag.delete().where((ImageTag.image == image_id) & (ImageTag.tag == tag_id)
                            & (ImageTag.source == "auto")).execute()
    (ImageTag.insert(image=image_id, tag=tag_id, source="user", confidence=row.confidence)
     .on_conflict_ignore().execute())
    return True


def remove_tag(image_id: int, tag_id: int) -> bool:
    """Remove a tag from an image (every source); an auto tag is also remembered as
    rejected so no later run adds it back. False if the image did not have it."""
    auto = ImageTag.get_or_none(image=image_id, tag=tag_id, source="auto")
    removed = ImageTag.delete().where((ImageTag.image == image_id)
                                      & (ImageTag.tag == tag_id)).execute()
    if removed:
        (TagRejection.insert(image=image_id, tag=tag_id, at=time.time(),
                             confidence=auto.confidence if auto is not None else None)
         .on_conflict_ignore().execute())
    return bool(removed)


def add_user_tag(image_id: int, path: Sequence[str]) -> int:
    """Tag an image by hand (clears an earlier rejection of that tag); the tag id."""
    tag_id = ensure_tag(path)
    TagRejection.delete().where((TagRejection.image == image_id)
                                & (TagRejection.tag == tag_id)).execute()
    ImageTag.insert(image=image_id, tag=tag_id, source="user").on_conflict_ignore().execute()
    return tag_id
