"""The base library: the collection scanned, the tools run on the decided albums, and every
kind of user decision taken through the real command line."""

from __future__ import annotations

from pathlib import Path

from bench.fault_campaign.catalog import FaceRow, face_rows, image_paths, read_only, tag_paths
from bench.fault_campaign.cli import CampaignError, must
from bench.fault_campaign.photos import Photos
from bench.fault_campaign.state import Decisions, read_decisions


def prepare_library(photos: Photos, library: Path) -> Decisions:
    """Scan the collection, run faces, tags and quality on the decided albums, then take every
    kind of decision through the CLI; returns them (CampaignError if a kind is missing)."""
    must(library, "scan", str(photos.root))
    scope = [arg for album in photos.decided for arg in ("--album", str(album))]
    for tool in ("faces", "tags", "quality"):
        must(library, "run", tool, *scope)
    decide_faces(library)
    decide_tags(library, photos)
    decide_labels(library, photos)
    decisions = read_decisions(library / "catalog.db")
    if decisions.missing_kinds():
        raise CampaignError(f"the base library has no {', '.join(decisions.missing_kinds())}")
    return decisions


def _faces(library: Path) -> list[FaceRow]:
    with read_only(library / "catalog.db") as con:
        return face_rows(con)


def _open_face(library: Path, photo: str = "", skip: frozenset[int] = frozenset()) -> FaceRow:
    """The first face nobody named yet on the photo made from variant ``photo``
    ("astronaut_0"), or on any photo if ``photo`` is empty."""
    for face in _faces(library):
        on_photo = not photo or f"-{photo}." in face.key[0]
        if on_photo and face.status == "unconfirmed" and face.person is None \
                and face.id not in skip:
            return face
    raise CampaignError(f"no face left to decide on {photo or 'any photo'}")


def _name(library: Path, face: FaceRow, person: str) -> None:
    must(library, "faces", "name", person, str(face.id))


def decide_faces(library: Path) -> None:
    """Name faces of the group photo and of two portraits (one name through a rename, one
    through a merge); once the group's other variant has suggestions, confirm one and reject
    one; ignore a face of the group and mark another face as not a face."""
    group = [f for f in _faces(library) if "-multi_face_0." in f.key[0]]
    if len(group) < 5:
        raise CampaignError(f"{len(group)} faces found on the group photo: need 5")
    _name(library, group[1], "Ann")
    _name(library, group[3], "Old Name")
    must(library, "faces", "rename", "Old Name", "Ben")
    _name(library, group[4], "Cid")
    _name(library, _open_face(library, "astronaut_0"), "Eileen")
    _name(library, _open_face(library, "single_face_0"), "Sam")
    _name(library, group[0], "Sammy")
    must(library, "faces", "merge", "Sammy", "Sam")
    must(library, "run", "faces.recognize")
    ignored = group[2]
    suggested = [f for f in _faces(library)
                 if f.status == "unconfirmed" and f.suggested and f.id != ignored.id]
    if len(suggested) < 2:
        raise CampaignError(f"{len(suggested)} faces have a suggestion: need 2 (confirm, reject)")
    must(library, "faces", "confirm", str(suggested[0].id))
    must(library, "faces", "reject", str(suggested[1].id))
    must(library, "faces", "ignore", str(ignored.id))
    used = frozenset(f.id for f in (*suggested[:2], ignored))
    must(library, "faces", "not-face", str(_open_face(library, skip=used).id))


def decide_tags(library: Path, photos: Photos) -> None:
    """Remove one auto tag, confirm another (on another photo), add tags by hand on a photo
    the tools ran on and on one they did not."""
    with read_only(library / "catalog.db") as con:
        paths, tags = image_paths(con), tag_paths(con)
        auto = sorted((paths[i], tags[t]) for i, t in con.execute(
            "SELECT image_id, tag_id FROM image_tag WHERE source = 'auto'"))
    if len({path for path, _ in auto}) < 2:
        raise CampaignError("fewer than 2 photos have auto tags: nothing to remove and confirm")
    removed = auto[0]
    confirmed = next(pair for pair in auto if pair[0] != removed[0])
    must(library, "tags", "remove", *removed)
    must(library, "tags", "confirm", *confirmed)
    must(library, "tags", "add", str(_photo(photos.decided[0], 1)), "Events/Campaign")
    must(library, "tags", "add", str(_photo(photos.album(1), 0)), "People/Friends")


def decide_labels(library: Path, photos: Photos) -> None:
    """A pick label of each kind by hand: two on scored photos, one on an unscored photo."""
    must(library, "quality", "label", "rejected", str(_photo(photos.decided[0], 2)))
    must(library, "quality", "label", "pending", str(_photo(photos.decided[1], 0)))
    must(library, "quality", "label", "accepted", str(_photo(photos.album(3), 0)))


def _photo(album: Path, number: int) -> Path:
    return sorted(album.iterdir())[number]
