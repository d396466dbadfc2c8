"""`termkam import digikam`: persons, face regions, tags, labels and ratings from a digiKam
catalog, for the photos termkam has catalogued.

digiKam's database is only read. Photos are matched (``digikam_match``), then handled in
batches, one write transaction each: the plan for a batch is read from termkam's catalog
inside that transaction and carried out through termkam's own decision functions (faces are
named and ignored by ``faces.decisions``, so each step is journaled and can be undone, and
suggestions are refreshed for the persons it touched). A dry run makes the same plans without
a transaction and writes nothing. Everything already in termkam is counted as there, so a
second import changes nothing and reports nothing new.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.catalog import Library, autotags, images, picks, ratings
from engine.catalog import faces as face_db
from engine.catalog import persons as person_db
from engine.catalog import writeback as writeback_db
from engine.catalog.image_marks import image_marks, tag_ids_by_path
from engine.catalog.records import ImageRecord
from engine.faces import decisions, recognition
from engine.faces import settings as face_settings
from engine.faces.loaders import embedder_key

from .digikam_db import DigikamCatalog, DkImage, read_catalog
from .digikam_faces import FacePlan, plan_faces, regions_of
from .digikam_marks import DigikamMarks, MarkPlan, plan_marks
from .digikam_match import match_images
from .digikam_paths import PathMap, album_path, root_path
from .digikam_tags import TagIndex, index_tags
from .report import Conflict, ImportReport, RootUsed, Unplaced

BATCH = 100
Progress = Callable[[int, int], None]


@dataclass
class _Unit:
    record: ImageRecord
    faces: FacePlan
    marks: MarkPlan

    @property
    def changes(self) -> bool:
        marks = self.marks
        return bool(self.faces.steps or marks.add_tags or marks.confirm_tags or any(
            v is not None for v in (marks.pick, marks.color, marks.rating)))


def _nocase(name: str) -> str:
    """A person's name as the catalog compares it (SQLite NOCASE folds ASCII only)."""
    return "".join(ch.lower() if ch.isascii() else ch for ch in name)


class _Importer:
    def __init__(self, catalog: DigikamCatalog, tags: TagIndex, report: ImportReport) -> None:
        self.catalog, self.tags, self.report = catalog, tags, report
        self.new_persons: set[str] = set()

    def plan(self, batch: Sequence[tuple[ImageRecord, list[DkImage]]]) -> list[_Unit]:
        marks = image_marks(record.id for record, _ in batch)
        known = tag_ids_by_path()
        units = []
        for record, entries in batch:
            rows = [row for e in entries for row in self.catalog.face_rows.get(e.id, [])]
            regions, others = regions_of(rows, self.tags)
            self.report.skipped.update(others)
            tag_ids = set().union(*(self.catalog.image_tags.get(e.id, set()) for e in entries))
            if tag_ids & self.tags.bad.keys():
                self.report.skipped["user tags termkam cannot hold"] += len(
                    tag_ids & self.tags.bad.keys())
            pick, color = self.tags.labels(tag_ids)
            rating = next((e.rating for e in entries if e.rating is not None and e.rating >= 0),
                          None)
            unit = _Unit(record, plan_faces(record, regions), plan_marks(
                marks[record.id], DigikamMarks(self.tags.user_paths(tag_ids), pick, color,
                                               rating), known))
            self._count(unit)
            units.append(unit)
        return units

    def _count(self, unit: _Unit) -> None:
        report, path = self.report, unit.record.path
        for step in unit.faces.steps:
            if step.person is None:
                report.faces_ignored += 1
                continue
            report.faces_added += step.face_id is None
            report.faces_confirmed += step.face_id is not None
            key = _nocase(step.person)
            if key not in self.new_persons and person_db.find_person(step.person) is None:
                self.new_persons.add(key)
                report.new_persons.append(step.person)
        if unit.faces.present:
            report.already["faces"] += unit.faces.present
        report.unplaced += [Unplaced(path, r.person, r.text, why) for r, why in
                            unit.faces.unplaced]
        report.conflicts += [Conflict(path, "face", why, r.person or "ignored")
                             for r, why in unit.faces.conflicts]
        marks = unit.marks
        report.tags += len(marks.add_tags) + len(marks.confirm_tags)
        report.pick_labels += marks.pick is not None
        report.color_labels += marks.color is not None
        report.ratings += marks.rating is not None
        report.already.update(marks.present)
        report.conflicts += [Conflict(path, *c) for c in marks.conflicts]

    @staticmethod
    def apply(units: Sequence[_Unit]) -> None:
        """Carry out a batch's plans (inside its write transaction)."""
        _apply_marks(units)
        _apply_faces(units)
        writeback_db.queue(u.record.id for u in units if u.changes)


def _apply_marks(units: Sequence[_Unit]) -> None:
    groups: dict[tuple[str, Any], list[int]] = {}
    for unit in units:
        iid, marks = unit.record.id, unit.marks
        for path in marks.add_tags:
            autotags.add_user_tag(iid, path)
        for tid in marks.confirm_tags:
            autotags.confirm_tag(iid, tid)
        for what, value in (("pick", marks.pick), ("color", marks.color),
                            ("rating", marks.rating)):
            if value is not None:
                groups.setdefault((what, value), []).append(iid)
    setters: dict[str, Callable[[list[int], Any], None]] = {
        "pick": picks.set_user_label, "color": ratings.set_color_label,
        "rating": ratings.set_rating}
    for (what, value), ids in groups.items():
        setters[what](ids, value)


def _apply_faces(units: Sequence[_Unit]) -> None:
    """New region faces first, then one journaled decision per person (and one for the
    ignored faces), then the suggestions those persons' new references change."""
    named: dict[str, list[int]] = {}
    ignored: list[int] = []
    for unit in units:
        for step in unit.faces.steps:
            fid = step.face_id if step.face_id is not None else face_db.insert_face(
                unit.record.id, step.box, source="metadata")
            (ignored if step.person is None else named.setdefault(step.person, [])).append(fid)
    if not named and not ignored:
        return
    changed: set[int] = set()
    for name, fids in named.items():
        changed |= decisions.name(fids, name)[1]
    if ignored:
        changed |= decisions.ignore(ignored)[1]
    settings = face_settings.load()
    recognition.suggest(settings, *embedder_key(settings), persons_changed=changed)


def _paths(catalog: DigikamCatalog, roots: dict[int, str],
           mapped: PathMap) -> tuple[dict[int, str], dict[int, str]]:
    """digiKam image id -> (its path as digiKam has it, where it is looked for here)."""
    original: dict[int, str] = {}
    local: dict[int, str] = {}
    folders: dict[tuple[int | None, str | None], str] = {}
    for image in catalog.images:
        key = (image.root_id, image.relative_path)
        if key not in folders:
            root = roots.get(image.root_id) if image.root_id is not None else None
            folders[key] = album_path(root, image.relative_path or "/") if root else ""
        folder = folders[key]
        original[image.id] = os.path.join(folder, image.name)
        local[image.id] = os.path.join(os.path.realpath(mapped(folder)), image.name) \
            if folder else image.name
    return original, local


def import_digikam(library: Library, db_path: Path | str, maps: Sequence[tuple[str, str]] = (),
                   dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """Bring a digiKam catalog's work into ``library`` (``maps``: (old, new) path prefixes)."""
    catalog = read_catalog(Path(db_path))
    tags = index_tags(catalog.tags, catalog.tag_properties)
    mapped = PathMap(maps)
    roots = {root.id: root_path(root) for root in catalog.roots}
    report = ImportReport(catalog.path, dry_run, catalog.schema_version,
                          [RootUsed(i, path, mapped(path)) for i, path in roots.items()])
    original, local = _paths(catalog, roots, mapped)
    catalogued = {record.id: record for record in images.list_images()}
    matching = match_images(catalog.images, local, original, catalog.hash_version,
                            list(catalogued.values()))
    report.matched_by_path, report.matched_by_content = matching.by_path, matching.by_content
    report.photos = matching.by_path + matching.by_content + len(matching.unmatched)
    report.unmatched, report.skipped = matching.unmatched, matching.skipped
    importer = _Importer(catalog, tags, report)
    units = [(catalogued[iid], entries) for iid, entries in sorted(matching.matched.items())]
    for start in range(0, len(units), BATCH):
        batch = units[start:start + BATCH]
        if dry_run:
            importer.plan(batch)
        else:
            with library.writing():
                importer.apply(importer.plan(batch))
        if progress is not None:
            progress(start + len(batch), len(units))
    return report
