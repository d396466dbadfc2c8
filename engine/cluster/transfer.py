"""What travels to a worker for one photo, and the check of what the worker read.

By default the photo's bytes (and its XMP sidecar's) go with the task: workers need no
access to the photo folders. With a path map, a worker that mounts the same share reads
the file itself. Either way the worker sends back the size and content hash of the bytes it
read, and the job compares them with its catalog: a photo changed since its scan, or a share
mounted wrong, is an item error, never a result filed under the wrong photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from engine import files
from engine.analysis import Photo, Reply
from engine.catalog.records import ImageRecord
from engine.errors import ItemError
from engine.metadata import read_sidecar_for
from engine.printable import printable


@dataclass(frozen=True)
class PathMap:
    """Where the server's photo folder ``server`` is on the workers (``worker``)."""

    server: str
    worker: str

    @classmethod
    def parse(cls, text: str) -> PathMap:
        server, found, worker = text.partition("=")
        if not found or not server.strip() or not worker.strip():
            raise ValueError(f"path map {text!r} is not SERVER_PREFIX=WORKER_PREFIX "
                             "(e.g. /srv/photos=/mnt/photos)")
        return cls(server.strip().rstrip("/") or "/", worker.strip().rstrip("/") or "/")

    def worker_path(self, path: str) -> str:
        relative = PurePosixPath(path)
        try:
            rest = relative.relative_to(self.server)
        except ValueError:
            raise ItemError(f"not under the mapped folder {self.server}") from None
        return str(PurePosixPath(self.worker) / rest)


def photo_to_send(record: ImageRecord, path_map: PathMap | None, sidecar: bool) -> Photo:
    """The photo as a worker gets it: its bytes (and its sidecar's when ``sidecar``), or its
    path on the worker."""
    if path_map is not None:
        return Photo(record.id, path_map.worker_path(record.path), record.orientation)
    data = files.read_regular(record.path)
    side, error = None, None
    if sidecar:
        try:
            side = read_sidecar_for(record.path)
        except ItemError as unreadable:  # the analysis decides what that means, as at home
            error = str(unreadable)
    return Photo(record.id, record.path, record.orientation, data, side, sidecar_sent=True,
                 sidecar_error=error)


def mismatch(record: ImageRecord, reply: Reply) -> str | None:
    """Why the bytes a worker read are not the catalogued file (None: they are)."""
    if reply.size is None:
        return None  # the worker could not read it: its error says why
    same_hash = record.content_hash is None or reply.content_hash == record.content_hash
    if reply.size == record.size and same_hash:
        return None
    return (f"the worker read another file than the one catalogued ({reply.size} bytes, "
            f"catalogued {record.size}{'' if reply.size != record.size else ', other content'}"
            f"): rescan {printable(str(PurePosixPath(record.path).parent))}, or check the "
            "path map")
