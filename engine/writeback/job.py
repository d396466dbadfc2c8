"""The "Write metadata to files" job: each photo's decisions merged into its XMP sidecar (or
the file itself), one batch at a time, resumable like every job.

Modes: "changed" (photos never written or with decisions since their last write), "all"
(every photo in scope), "pending" (only those waiting for the background write-back).
Termkam's ownership of what it writes is recorded before each write lands, so a kill between
the two never leaves a value in a file that termkam would not remove later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.catalog import file_seen, images, joblog
from engine.catalog import writeback as writeback_db
from engine.catalog.records import ImageRecord
from engine.errors import ItemError, TermkamError
from engine.jobs import JobContext
from engine.pipeline import Outcome, Step, run_pipeline
from engine.printable import counted
from engine.scope import not_redone, scoped_images

from . import settings as metadata_settings
from .plan import TARGETS
from .writer import PhotoWrite, commit, new_fields, prepare, seen_after


def records_for(options: Mapping[str, Any]) -> list[ImageRecord]:
    """The photos a write covers: RAW files too (they get sidecars)."""
    records = scoped_images(options, kinds=("image", "raw"))
    mode = options.get("mode", "changed")
    if mode == "pending":
        queued = set(writeback_db.queued_ids())
        return [r for r in records if r.id in queued]
    if mode == "changed":
        queued, written = set(writeback_db.queued_ids()), writeback_db.written_ids()
        records = [r for r in records if r.id in queued or r.id not in written]
    return not_redone(options, records, writeback_db.written_since)


class MetadataWriter:
    """Records ownership inside the batch's transaction, then writes the files."""

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.files = self.changes = 0

    def record(self, outcomes: list[Outcome[ImageRecord, PhotoWrite]]) -> None:
        for outcome in outcomes:
            if outcome.result is not None and outcome.result.changes:
                write = outcome.result
                writeback_db.record_written(write.record.id, write.target.kind,
                                            str(write.target.path),
                                            write.owned_while_writing().as_json())

    def write(self, outcomes: list[Outcome[ImageRecord, PhotoWrite]]) -> None:
        done: list[tuple[PhotoWrite, dict[str, object] | None]] = []
        failed: list[tuple[int, str, str]] = []
        for outcome in outcomes:
            if outcome.result is None:
                continue
            try:
                stat = commit(outcome.result)
            except ItemError as error:
                failed.append((outcome.item.id, outcome.item.path, str(error)))
                continue
            done.append((outcome.result, new_fields(outcome.result, stat) if stat else None))
        with self.ctx.library.writing():
            for write, fields in done:
                writeback_db.record_written(write.record.id, write.target.kind,
                                            str(write.target.path), write.merged.owned.as_json())
                writeback_db.unqueue(write.record.id, write.read_at)
                if fields is not None:
                    images.update_image(write.record.id, fields)
                    file_seen.put(write.record.id,
                                  seen_after(write, file_seen.get(write.record.id)))
            joblog.add_item_errors(self.ctx.job_id, failed)
        self.files += sum(1 for _, fields in done if fields is not None)
        self.changes += sum(len(w.changes) for w, _ in done)
        self.ctx.errors += len(failed)
        for _, path, reason in failed:
            self.ctx.item_failed(path, reason)


def run_write(ctx: JobContext) -> str:
    """Options: mode (changed | all | pending), to (sidecar | file; default: the write_back
    setting, or sidecar), albums / images (scope)."""
    settings = metadata_settings.load()
    to = ctx.options.get("to") or (settings.write_back if settings.write_back != "off"
                                   else "sidecar")
    if to not in TARGETS:
        raise TermkamError(f"metadata can be written to {' or '.join(TARGETS)}, not {to!r}")
    records = records_for(ctx.options)
    ctx.total = len(records)
    writer = MetadataWriter(ctx)
    step = Step("metadata", lambda r: prepare(r, to, settings.auto_tags), writer.record,
                describe=lambda r: r.path, image_id=lambda r: r.id, after_write=writer.write,
                batch_size=int(ctx.options.get("batch_size", 16)),
                workers=int(ctx.options.get("workers", 2)))
    run_pipeline(ctx, step, records, "writing metadata")
    where = counted(writer.files, "sidecar" if to == "sidecar" else "file")
    return (f"{where} written ({counted(writer.changes, 'value')} changed), "
            f"{ctx.done - ctx.errors - writer.files} already up to date, "
            f"{counted(ctx.errors, 'error')}")


def plans(records: Sequence[ImageRecord], to: str, auto_tags: bool
          ) -> list[tuple[ImageRecord, list[str] | str]]:
    """For a dry run: each photo's changes, or the one-line reason it cannot be written."""
    result: list[tuple[ImageRecord, list[str] | str]] = []
    for record in records:
        try:
            result.append((record, prepare(record, to, auto_tags).changes))
        except ItemError as error:
            result.append((record, str(error)))
    return result

