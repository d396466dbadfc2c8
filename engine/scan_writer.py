"""Writing a scan's batches: image rows, what the files' metadata says (keywords, labels,
stars, face regions), thumbnails and face crops, and the notes the job reports."""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import faces as face_db
from .catalog import images, joblog, replaced, state, tags, thumbs
from .catalog import writeback as writeback_db
from .file_values import apply_file_values
from .ingest import Ingested
from .jobs import JobContext
from .pipeline import Outcome
from .thumbnails import MODEL as THUMB_MODEL
from .thumbnails import STEP as THUMB_STEP
from .thumbnails import VERSION as THUMB_VERSION
from .walk import Sidecar
from .writeback.plan import PEOPLE


@dataclass(frozen=True, slots=True)
class ScanItem:
    path: str
    album_id: int
    name: str
    size: int
    mtime_ns: int
    kind: str
    image_id: int | None        # the row this file already has, if any
    reason: str                 # new | changed | retry | thumb
    sidecar: Sidecar | None = None


class ScanWriter:
    """Writes one batch: rows, what the files' metadata says, thumbnails and face crops
    (committed first), thumb state; a picture replaced under its name loses the machine's
    results, and the user's decisions on the old picture are reported as notes of the job,
    as is a sidecar that cannot be read."""

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.notes: list[tuple[str, str]] = []

    def __call__(self, outcomes: list[Outcome[ScanItem, Ingested]]) -> None:
        thumbs_done: list[int] = []
        new_thumbs: list[tuple[int, int, int, bytes]] = []
        cleared_faces: list[int] = []
        face_thumbs: list[tuple[int, bytes]] = []
        notes: list[tuple[int, str, str]] = []
        for outcome in outcomes:
            item, result = outcome.item, outcome.result
            if outcome.error is not None or result is None:
                _write_error(item, outcome.error or "unknown error")
                failed = f"failed {item.reason}"          # not counted as new or changed
                self.ctx.summary_extra[failed] = self.ctx.summary_extra.get(failed, 0) + 1
                continue
            if result.moved_from is not None and images.move_image(
                    result.moved_from, item.album_id, item.name, result.fields):
                continue
            if item.image_id is None:
                image_id = images.insert_image(item.album_id, item.name, result.fields)
            else:
                image_id = item.image_id
                before = images.hashes(image_id)
                images.update_image(image_id, result.fields)
                if item.reason == "changed" and _new_pixels(image_id, before, result):
                    gone, note = replaced.supersede_picture(image_id)
                    state.clear([image_id])
                    cleared_faces += gone
                    self.ctx.summary_extra["replaced"] = self.ctx.summary_extra.get(
                        "replaced", 0) + 1
                    if note:
                        notes.append((image_id, item.path, note))
            face_thumbs += self._file_metadata(image_id, item, result, notes)
            thumbs_done.append(image_id)
            if result.thumb is not None:
                new_thumbs.append((image_id, result.thumb.width, result.thumb.height,
                                   result.thumb.jpeg))
        if new_thumbs or cleared_faces or face_thumbs:
            with thumbs.writing():
                face_db.delete_face_thumbs(cleared_faces)
                thumbs.put_thumbs(new_thumbs)
                face_db.put_face_thumbs(face_thumbs)
        state.mark_done(thumbs_done, THUMB_STEP, THUMB_MODEL, THUMB_VERSION)
        joblog.add_item_errors(self.ctx.job_id, notes)
        self.notes += [(path, note) for _, path, note in notes]

    def _file_metadata(self, image_id: int, item: ScanItem, result: Ingested,
                       notes: list[tuple[int, str, str]]) -> list[tuple[int, bytes]]:
        """Keywords, labels, stars and regions from the file; (face id, crop) of the faces
        made. A photo catalogued before whose sidecar cannot be read now keeps what it had."""
        if result.sidecar_error is not None:
            notes.append((image_id, item.path, result.sidecar_error))
            self.ctx.summary_extra["sidecars"] = self.ctx.summary_extra.get("sidecars", 0) + 1
            if item.image_id is not None:
                return []
        own = writeback_db.owned_keywords(image_id)  # termkam's write-back, read back
        persons = {r.name for r in result.values.regions}  # People/<name>: a region's person
        tags.set_image_tags(image_id, [k for k in result.keywords if k not in own and not (
            len(k) == 2 and k[0] == PEOPLE and k[1] in persons)], "metadata")
        return apply_file_values(image_id, result.values, result.fields)

    def tell(self, outcomes: list[Outcome[ScanItem, Ingested]]) -> None:
        """After the batch is committed: announce its notes."""
        for path, note in self.notes:
            self.ctx.item_noted(path, note)
        self.notes = []


def _new_pixels(image_id: int, before: tuple[str | None, str | None],
                result: Ingested) -> bool:
    """True when a changed file holds another picture, not just other metadata."""
    old_content, old_pixels = before
    if old_content == result.fields.get("content_hash"):
        return False
    if old_pixels is None:  # catalogued before pixels were fingerprinted: the same pixels
        old_thumb = thumbs.get_thumb(image_id)  # give the same (deterministic) thumbnail
        return old_thumb is None or result.thumb is None or old_thumb != result.thumb.jpeg
    return old_pixels != result.fields.get("pixel_hash")


def _write_error(item: ScanItem, reason: str) -> None:
    fields = {"kind": item.kind, "size": item.size, "mtime_ns": item.mtime_ns,
              "status": "error", "error": reason,
              "sidecar_size": item.sidecar.size if item.sidecar else None,
              "sidecar_mtime_ns": item.sidecar.mtime_ns if item.sidecar else None}
    if item.image_id is None:
        images.insert_image(item.album_id, item.name, fields)
    elif item.reason != "retry" or images.error_of(item.image_id) != reason:
        images.update_image(item.image_id, fields)


