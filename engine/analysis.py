"""The heavy middle of a model job as a pure function: a photo's bytes (or path) and the
model settings in, the job's result for that photo out.

A job describes its middle as a ``Work``: a small frozen, picklable value (the settings, the
models' ids) whose ``open`` builds the ``Analysis`` that does it (models loaded). The job
runs the analysis in its own process (the local pipeline), or sends the work and each
``Photo`` to a cluster worker, which opens the same analysis once and keeps it (see
``engine.cluster``). Either way the catalog is written by the job alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from . import files
from .checksums import content_hash
from .errors import ItemError

log = logging.getLogger(__name__)

PROTOCOL = 1    # change when Photo, Reply or a job's Work changes shape: old workers refuse


@dataclass(frozen=True)
class Photo:
    """A catalogued photo as the model stage sees it: where its bytes come from (``data``
    sent along, else read at ``path``), how it is turned, and its sidecar's bytes."""

    image_id: int
    path: str
    orientation: int = 1
    data: bytes | None = None
    sidecar: bytes | None = None
    sidecar_sent: bool = False        # True: ``sidecar`` is the sidecar (None: it has none)
    sidecar_error: str | None = None  # why the sidecar sent could not be read

    def read(self) -> bytes:
        return self.data if self.data is not None else files.read_regular(self.path)

    def read_sidecar(self) -> bytes | None:
        if self.sidecar_error is not None:
            raise ItemError(self.sidecar_error)
        if self.sidecar_sent:
            return self.sidecar
        from .metadata import read_sidecar_for

        return read_sidecar_for(self.path)

    def at(self, path: str) -> Photo:
        """The same photo read at another path (a worker's mount of the share)."""
        return replace(self, path=path, data=None)


def photo_of(record: Any) -> Photo:
    """The photo of a catalog record (an ``ImageRecord``), read where it is."""
    return Photo(record.id, record.path, record.orientation)


class Analysis(Protocol):
    """What a job runs per photo: ``load`` (read, decode; ItemError for a bad photo) and
    ``infer`` (the batched model call; None when ``load`` does all)."""

    def load(self, photo: Photo) -> Any: ...

    infer: Callable[[list[Any]], list[Any]] | None


class Work(Protocol):
    """A job's analysis as a picklable value: the same value opens the same analysis.
    ``uses_sidecar``: its ``load`` reads the photo's XMP sidecar (sent along with the
    photo's bytes)."""

    uses_sidecar: bool

    @property
    def models(self) -> tuple[str, ...]:
        """The ids of the models the analysis needs (a worker without one refuses it)."""
        ...

    def open(self, threads: int | None) -> Analysis: ...


@dataclass(frozen=True)
class Reply:
    """One photo analysed by a worker: the result or the one-line reason it failed, and the
    size and content hash of the bytes the worker read."""

    image_id: int
    result: Any = None
    error: str | None = None
    size: int | None = None
    content_hash: str | None = None


def one_line(error: BaseException) -> str:
    """An unexpected exception as the one line an item error shows."""
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def guarded(call: Callable[[Any], Any], item: Any, describe: Callable[[Any], str] = str
            ) -> tuple[Any, str | None]:
    """(call(item), None), or (None, the one-line reason it failed): a bad file or a library
    fault on one photo must not end the job."""
    try:
        return call(item), None
    except ItemError as error:
        return None, str(error)
    except Exception as error:
        log.exception("unexpected error on %s", describe(item))
        return None, one_line(error)


def analyse(analysis: Analysis, photos: list[Photo]) -> list[Reply]:
    """Read, load and infer each photo, noting the size and hash of the bytes read (the job
    checks them against its catalog)."""
    seen: dict[int, tuple[int, str]] = {}

    def load(photo: Photo) -> Any:
        data = photo.read()
        seen[photo.image_id] = (len(data), content_hash(data))
        return analysis.load(replace(photo, data=data))

    loaded = [guarded(load, photo, lambda p: p.path) for photo in photos]
    good = [item for item, error in loaded if error is None]
    try:
        results = iter(analysis.infer(good) if analysis.infer else good)
        failed = None
    except Exception as error:  # the model call failed for the whole batch
        log.exception("model call failed")
        results, failed = iter(()), one_line(error)
    replies = []
    for photo, (_, error) in zip(photos, loaded, strict=True):
        size, digest = seen.get(photo.image_id, (None, None))
        if error is None and failed is None:
            replies.append(Reply(photo.image_id, next(results), None, size, digest))
        else:
            replies.append(Reply(photo.image_id, None, error or failed, size, digest))
    return replies
