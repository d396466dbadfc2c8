"""Which faces the grid pages through for each group of the person list, as engine queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from engine.printable import printable

from .face_grid import FaceSource
from .person_list import Group

if TYPE_CHECKING:
    from engine.catalog.records import FaceRecord
    from engine.faces.service import FaceService

Fetch = Callable[[int, int], list["FaceRecord"]]
NO_FACES = ("No faces yet: tick 'Detect faces' in Maintenance (2), "
            "or run `termkam run faces` in a shell.")


def group_source(faces: FaceService, group: Group | None, any_faces: bool) -> FaceSource:
    """The faces of a group: suggestions best first; a person's suggestions (best first)
    then confirmed faces; unknown faces, a cluster's, the ignored ones or those marked as not
    a face, by photo."""
    if group is None or not any_faces:
        return FaceSource(0, lambda offset, limit: [], NO_FACES)
    find = faces.find
    fetch: Fetch
    if group.kind == "suggestions":
        # faces without a suggestion sort after the suggested ones, beyond `total`
        def fetch(offset: int, limit: int) -> list[FaceRecord]:
            return [f for f in find(status="unconfirmed", order="confidence", offset=offset,
                                    limit=limit) if f.suggested_person_id]
    elif group.person is not None:
        fetch = _person_fetch(faces, group.person.id, group.person.suggested)
    elif group.kind == "cluster":
        def fetch(offset: int, limit: int) -> list[FaceRecord]:
            return find(cluster_id=group.cluster_id, unknown=True, offset=offset, limit=limit)
    elif group.kind in ("ignored", "not_face"):
        def fetch(offset: int, limit: int) -> list[FaceRecord]:
            return find(status=group.kind, offset=offset, limit=limit)
    else:
        def fetch(offset: int, limit: int) -> list[FaceRecord]:
            return find(unknown=True, offset=offset, limit=limit)
    return FaceSource(group.total, fetch, f"No faces in {printable(group.label)}.")


def _person_fetch(faces: FaceService, person_id: int, suggested: int) -> Fetch:
    def fetch(offset: int, limit: int) -> list[FaceRecord]:
        found: list[FaceRecord] = []
        if offset < suggested:
            found = faces.find(suggested_person_id=person_id, status="unconfirmed",
                               order="confidence", offset=offset,
                               limit=min(limit, suggested - offset))
        if len(found) < limit:
            found += faces.find(person_id=person_id, status="confirmed",
                                offset=max(0, offset - suggested), limit=limit - len(found))
        return found
    return fetch
