"""The scan job: bring the catalog in line with the collection roots on disk.

New files are ingested, changed ones (size or mtime of the file or of its XMP sidecar)
re-read, moved ones (same content as a missing image) keep their id, tags and faces, deleted
ones are marked missing (never purged here). An unchanged rescan reads no file and writes no
row. Labels, stars and face regions a file changed since the last scan are applied
(``file_values``); a sidecar that cannot be read is a note of the job.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from .catalog import images, state
from .catalog.images import FileState
from .errors import TermkamError
from .ingest import Ingested, ingest
from .jobs import JobContext
from .pipeline import Step, run_pipeline
from .printable import noun
from .scan_writer import ScanItem, ScanWriter
from .thumbnails import MODEL as THUMB_MODEL
from .thumbnails import STEP as THUMB_STEP
from .thumbnails import VERSION as THUMB_VERSION
from .walk import Sidecar, WalkResult, resolve_roots, walk


@dataclass
class Changes:
    work: list[ScanItem] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)
    revived: list[int] = field(default_factory=list)
    unchanged: int = 0


def collections_for(ctx: JobContext, paths: list[str]) -> list[tuple[int, str]]:
    """(collection id, root) to scan: the given paths (added if new), or every collection."""
    known = {c.path: c.id for c in images.collections()}
    if not paths:
        return list((cid, root) for root, cid in known.items())
    result = []
    for root in resolve_roots(paths):
        owner = next((p for p in known if root == p or root.startswith(p.rstrip("/") + "/")),
                     None)
        if owner is None:
            nested = next((p for p in known if p.startswith(root.rstrip("/") + "/")), None)
            if nested is not None:
                raise TermkamError(f"{root} contains the collection {nested}: add folders "
                                   "beside it, not around it")
            with ctx.library.writing():
                known[root] = images.ensure_collection(root).id
            owner = root
        result.append((known[owner], owner))
    return list(dict.fromkeys(result))


def sync_albums(ctx: JobContext, collection_id: int, seen: WalkResult) -> dict[str, int]:
    """Insert new folders, mark vanished and unreadable ones; returns relpath -> album id."""
    albums = images.album_index(collection_id)
    new = sorted(seen.albums - albums.keys())
    gone = [aid for rel, (aid, status) in albums.items()
            if rel not in seen.albums and rel not in seen.unreadable and status != "missing"
            and not _under(rel, seen.unreadable)]
    back = [aid for rel, (aid, status) in albums.items()
            if rel in seen.albums and status != "ok"]
    broken = {rel: reason for rel, reason in seen.unreadable.items() if rel in albums}
    if new or gone or back or broken:
        with ctx.library.writing():
            images.add_albums(collection_id, new)
            images.set_album_status(gone, "missing")
            images.set_album_status(back, "ok")
            for rel, reason in broken.items():
                images.set_album_status([albums[rel][0]], "error", reason)
    return {rel: aid for rel, (aid, _) in images.album_index(collection_id).items()}


def _under(rel: str, folders: dict[str, str]) -> bool:
    return any(rel == f or rel.startswith(f + "/") or f == "" for f in folders)


def diff(root: str, seen: WalkResult, albums: dict[str, int],
         known: dict[tuple[int, str], FileState], with_thumbs: set[int]) -> Changes:
    """What to do for every file: compare sizes and mtimes, read nothing."""
    changes = Changes()
    present: set[tuple[int, str]] = set()
    for file in seen.files:
        album_id = albums[file.album]
        key = (album_id, file.name)
        present.add(key)
        existing = known.get(key)
        reason = _reason(existing, file.size, file.mtime_ns, file.sidecar, with_thumbs)
        if reason is None:
            changes.unchanged += 1
        elif reason == "revive" and existing is not None:
            changes.revived.append(existing.id)
        else:
            path = os.path.join(root, file.album, file.name)
            changes.work.append(ScanItem(path, album_id, file.name, file.size, file.mtime_ns,
                                         file.kind, existing.id if existing else None, reason,
                                         file.sidecar))
    album_rel = {aid: rel for rel, aid in albums.items()}
    changes.gone = [st.id for key, st in known.items()
                    if st.status != "missing" and key not in present
                    and not _under(album_rel.get(key[0], ""), seen.unreadable)]
    return changes


def _reason(existing: FileState | None, size: int, mtime_ns: int, sidecar: Sidecar | None,
            with_thumbs: set[int]) -> str | None:
    if existing is None:
        return "new"
    side = (sidecar.size, sidecar.mtime_ns) if sidecar is not None else None
    if existing.size != size or existing.mtime_ns != mtime_ns or existing.sidecar != side:
        return "changed"
    if existing.status == "missing":
        return "revive"
    if existing.status == "error":
        return "retry"
    if existing.id not in with_thumbs:
        return "thumb"
    return None


class MoveIndex:
    """Missing images by (size, content hash); each can be claimed by one new file only."""

    def __init__(self) -> None:
        self._index = images.missing_by_content()
        self._lock = threading.Lock()
        self.claimed: set[int] = set()

    def claim(self, size: int, digest: str) -> int | None:
        with self._lock:
            found = self._index.pop((size, digest), None)
            if found is not None:
                self.claimed.add(found)
            return found


def scan_step(ctx: JobContext, moves: MoveIndex) -> Step:
    """The pipeline step that ingests files and writes them, one transaction per batch."""
    max_pixels = int(ctx.options.get("max_pixels") or 0) or None

    def load(item: ScanItem) -> Ingested:
        claim = moves.claim if item.reason == "new" else None
        kwargs = {"max_pixels": max_pixels} if max_pixels else {}
        return ingest(item.path, item.kind, item.size, item.mtime_ns, claim,
                      sidecar=item.sidecar, **kwargs)

    writer = ScanWriter(ctx)
    return Step("scan", load, writer, describe=lambda item: item.path,
                image_id=lambda item: item.image_id, after_write=writer.tell,
                batch_size=int(ctx.options.get("batch_size", 32)),
                workers=int(ctx.options.get("workers", 2)))


def run_scan(ctx: JobContext) -> str:
    """Job body: walk, diff, apply deletions, then ingest the work through the pipeline."""
    totals = Changes()
    symlinks = unreadable = 0
    moved: set[int] = set()
    for collection_id, root in collections_for(ctx, list(ctx.options.get("paths") or [])):
        if not os.path.isdir(root):
            ctx.item_failed(root, "collection folder is not reachable (offline?); skipped")
            continue
        ctx.progress("walking")
        seen = walk(root, lambda n: ctx.progress("walking"), lambda: ctx.cancelled)
        if ctx.cancelled:
            break
        symlinks, unreadable = symlinks + seen.symlinks, unreadable + len(seen.unreadable)
        albums = sync_albums(ctx, collection_id, seen)
        changes = diff(root, seen, albums, images.file_index(collection_id),
                       state.done_ids(THUMB_STEP, THUMB_MODEL, THUMB_VERSION))
        if changes.gone or changes.revived:
            with ctx.library.writing():
                images.mark_missing(changes.gone)
                for image_id in changes.revived:
                    images.update_image(image_id, {"status": "ok"})
        totals.unchanged += changes.unchanged
        totals.gone += changes.gone
        totals.revived += changes.revived
        totals.work += changes.work
        ctx.total += len(changes.work)
        moves = MoveIndex()
        finished = run_pipeline(ctx, scan_step(ctx, moves), changes.work, "reading")
        moved |= moves.claimed
        if not finished:
            break
    return _summary(ctx, totals, symlinks, unreadable, moved)


def _summary(ctx: JobContext, totals: Changes, symlinks: int, unreadable: int,
             moved: set[int]) -> str:
    counts = {reason: 0 for reason in ("new", "changed", "retry", "thumb")}
    for item in totals.work:
        counts[item.reason] += 1
    for reason in counts:   # a file that could not be read is an error, not new or changed
        counts[reason] -= ctx.summary_extra.get(f"failed {reason}", 0)
    missing = len(set(totals.gone) - moved)  # a file found elsewhere was moved, not lost
    sidecars = ctx.summary_extra.get("sidecars", 0)
    parts = [(counts["new"] - len(moved), "new"), (len(moved), "moved"),
             (counts["changed"], "changed"),
             (ctx.summary_extra.get("replaced", 0), "of them with a new picture"),
             (totals.unchanged, "unchanged"), (missing, "missing"),
             (len(totals.revived), "back"),
             (counts["thumb"], f"{noun(counts['thumb'], 'thumbnail')} redone"),
             (ctx.errors, noun(ctx.errors, "error")),
             (sidecars, f"unreadable XMP {noun(sidecars, 'sidecar')}"),
             (symlinks, f"{noun(symlinks, 'symlink')} not followed"),
             (unreadable, f"unreadable {noun(unreadable, 'folder')}")]
    return ", ".join(f"{n} {label}" for n, label in parts if n) or "no photos found"

