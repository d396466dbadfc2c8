"""A library's state, comparable between two copies of it: the user's decisions, the
machine's results, and the differences between two snapshots."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, fields
from pathlib import Path

from bench.fault_campaign.catalog import (
    FaceKey,
    PathKey,
    current_path,
    face_rows,
    image_paths,
    read_only,
    tag_paths,
)

EXAMPLES = 4                                   # differences shown per kind of result


@dataclass(frozen=True)
class Decisions:
    """Every user decision in a catalog; faces by (image path, rounded box), not by id."""

    confirmed: frozenset[tuple[FaceKey, str]]
    ignored: frozenset[FaceKey]
    not_face: frozenset[FaceKey]
    face_rejections: frozenset[tuple[FaceKey, str]]
    persons: frozenset[str]
    user_tags: frozenset[tuple[str, str]]
    tag_rejections: frozenset[tuple[str, str]]
    user_labels: frozenset[tuple[str, str]]

    def missing_kinds(self) -> list[str]:
        """The kinds of decision this snapshot has none of."""
        return [f.name for f in fields(self) if not getattr(self, f.name)]


def read_decisions(catalog: Path, path_of: PathKey = current_path) -> Decisions:
    """The user's decisions in ``catalog``, images keyed by ``path_of(id, path)``."""
    with read_only(catalog) as con:
        faces = face_rows(con, path_of)
        paths = {iid: path_of(iid, p) for iid, p in image_paths(con).items()}
        tags = tag_paths(con)
        by_id = {f.id: f.key for f in faces}
        persons = dict(con.execute("SELECT id, name FROM person"))

        def image_tags(sql: str) -> frozenset[tuple[str, str]]:
            return frozenset((paths[i], tags[t]) for i, t in con.execute(sql))
        return Decisions(
            confirmed=frozenset((f.key, f.person or "?") for f in faces
                                if f.status == "confirmed"),
            ignored=frozenset(f.key for f in faces if f.status == "ignored"),
            not_face=frozenset(f.key for f in faces if f.status == "not_face"),
            face_rejections=frozenset((by_id[f], persons[p]) for f, p in con.execute(
                "SELECT face_id, person_id FROM face_rejection")),
            persons=frozenset(persons.values()),
            user_tags=image_tags("SELECT image_id, tag_id FROM image_tag WHERE source = 'user'"),
            tag_rejections=image_tags("SELECT image_id, tag_id FROM tag_rejection"),
            user_labels=frozenset((paths[i], label) for i, label in con.execute(
                "SELECT image_id, label FROM pick_label WHERE source = 'user'")))


@dataclass(frozen=True)
class Results:
    """The machine's results in a library, comparable between two copies of it."""

    images: frozenset[tuple[str, str, str | None, str | None]]  # path, status, hash, error
    thumbnails: frozenset[tuple[str, int, int, str]]        # path, size, digest of the JPEG
    faces: frozenset[tuple[FaceKey, str, str | None, str | None, bool]]
    face_thumbnails: frozenset[FaceKey]
    clusters: frozenset[frozenset[FaceKey]]                  # cluster ids may differ
    tags: frozenset[tuple[str, str, str, float | None]]      # path, tag, source, confidence
    quality: frozenset[tuple[str, str | None, str | None, float | None]]
    stray_thumbnails: frozenset[tuple[str, int]]             # thumbnails of no image/face


def read_results(library: Path) -> Results:
    """``Results`` of a library (catalog.db and thumbs.db)."""
    with read_only(library / "catalog.db") as con:
        paths, tags = image_paths(con), tag_paths(con)
        faces = face_rows(con)
        images = frozenset((paths[i], status, digest, error) for i, status, digest, error in
                           con.execute("SELECT id, status, content_hash, error FROM image"))
        image_tags = frozenset(
            (paths[i], tags[t], source, None if c is None else round(c, 2))
            for i, t, source, c in con.execute(
                "SELECT image_id, tag_id, source, confidence FROM image_tag"))
        quality = frozenset((paths[i], label, source, None if q is None else round(q, 1))
                            for i, label, source, q in con.execute(
            "SELECT image.id, label, source, figure FROM image "
            "LEFT JOIN pick_label ON pick_label.image_id = image.id "
            "LEFT JOIN image_quality ON image_quality.image_id = image.id "
            "WHERE label IS NOT NULL OR figure IS NOT NULL"))
    with read_only(library / "thumbs.db") as con:
        thumbs = con.execute("SELECT image_id, width, height, jpeg FROM thumb").fetchall()
        face_thumbs = {fid for (fid,) in con.execute("SELECT face_id FROM face_thumb")}
    clusters: dict[int, set[FaceKey]] = defaultdict(set)
    for face in faces:
        if face.cluster is not None:
            clusters[face.cluster].add(face.key)
    by_face = {f.id: f.key for f in faces}
    return Results(
        images=images,
        thumbnails=frozenset((paths[i], w, h, hashlib.sha1(jpeg).hexdigest()[:12])
                             for i, w, h, jpeg in thumbs if i in paths),
        faces=frozenset((f.key, f.status, f.person, f.suggested, f.superseded) for f in faces),
        face_thumbnails=frozenset(by_face[fid] for fid in face_thumbs if fid in by_face),
        clusters=frozenset(frozenset(keys) for keys in clusters.values()),
        tags=image_tags, quality=quality,
        stray_thumbnails=frozenset(
            {("image", sum(i not in paths for i, *_ in thumbs)),
             ("face", sum(fid not in by_face for fid in face_thumbs))}))


Difference = tuple[int, str]                  # how many items, the line that names them


def differences(before: Decisions | Results, after: Decisions | Results,
                gone: str, new: str) -> list[Difference]:
    """One line per kind of item only one side has, with a few examples."""
    found = []
    for part in fields(before):
        old, now = getattr(before, part.name), getattr(after, part.name)
        for label, items in ((gone, old - now), (new, now - old)):
            if items:
                shown = sorted(items, key=repr)[:EXAMPLES]
                more = f" (+{len(items) - EXAMPLES} more)" if len(items) > EXAMPLES else ""
                found.append((len(items), f"{len(items)} {part.name} {label}: "
                                          f"{'; '.join(map(_short, shown))}{more}"))
    return found


def _short(item: object) -> str:
    """An item with its absolute paths cut to the file name."""
    return re.sub(r"'/[^']*/", "'", repr(item))
