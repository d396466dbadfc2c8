"""The thumbnails job: make missing (or all) thumbnails, a step on the generic pipeline."""

from __future__ import annotations

from engine.printable import counted

from .catalog import images, state, thumbs
from .catalog.records import ImageRecord
from .ingest import thumbnail_of
from .jobs import JobContext
from .pipeline import Outcome, Step, run_pipeline
from .scope import not_redone
from .thumbnails import MODEL, STEP, VERSION, Thumbnail


def _load(record: ImageRecord) -> Thumbnail | None:
    if record.kind == "raw":
        return None  # no decoder for RAW pixels yet; nothing to retry
    return thumbnail_of(record.path, record.orientation)


def _write(outcomes: list[Outcome[ImageRecord, Thumbnail | None]]) -> None:
    made = [(o.item.id, o.result.width, o.result.height, o.result.jpeg)
            for o in outcomes if o.result is not None]
    if made:
        with thumbs.writing():
            thumbs.put_thumbs(made)
    state.mark_done([o.item.id for o in outcomes if o.error is None], STEP, MODEL, VERSION)


def run_thumbnails(ctx: JobContext) -> str:
    """Options: mode = "missing" (default) or "all"."""
    mode = ctx.options.get("mode", "missing")
    wanted = set(state.pending(STEP, MODEL, VERSION)) if mode == "missing" else None
    records = [r for r in images.list_images(status="ok") if wanted is None or r.id in wanted]
    records = not_redone(ctx.options, records,
                         lambda since: state.done_since(STEP, MODEL, VERSION, since))
    ctx.total = len(records)
    step = Step("thumbnails", _load, _write, describe=lambda r: r.path,
                image_id=lambda r: r.id, batch_size=int(ctx.options.get("batch_size", 32)))
    run_pipeline(ctx, step, records, "thumbnails")
    return (f"{counted(ctx.done - ctx.errors, 'thumbnail')} made, "
            f"{counted(ctx.errors, 'error')}")

