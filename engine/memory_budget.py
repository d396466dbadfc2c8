"""One memory budget for the whole process, which large transient buffers reserve first.

A 500 KB PNG can need a gigabyte to decode, and decode workers run side by side: every
decode and every whole-file read reserves its estimated bytes before it allocates them. A
reservation waits, in arrival order, while others hold the budget, and is refused at once
(ItemError) when it alone exceeds the whole budget. ``TERMKAM_MEMORY_MB`` sets the budget.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import ItemError

ENV_VAR = "TERMKAM_MEMORY_MB"
# A scan's baseline RSS is ~100 MB (cv2, numpy, pyexiv2, Pillow, peewee); scans whose decodes
# kept this budget full peaked at ~460 MB: under the 600 MB aim, with room for what is not
# reserved (a worker's file bytes between its read and its decode, thumbnails, the heap).
DEFAULT_MB = 384
_MB = 1 << 20

log = logging.getLogger(__name__)


class MemoryBudget:
    """A thread-safe byte budget; ``reserve`` is the only way in and always gives back."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit = limit_bytes
        self._used = 0
        self._issued = 0    # tickets handed out: reservations are granted in arrival order
        self._serving = 0
        self._changed = threading.Condition()

    @property
    def used(self) -> int:
        """Bytes reserved right now."""
        with self._changed:
            return self._used

    @contextmanager
    def reserve(self, nbytes: int, task: str) -> Iterator[None]:
        """Hold ``nbytes`` of the budget for the ``with`` block, waiting for room if needed.

        ``task`` names the work in the refusal, e.g. "decoding the image". Never nest two
        reservations in one thread: the inner one could wait for the outer one forever.
        """
        if nbytes > self.limit:
            raise ItemError(f"{task} needs ~{-(-nbytes // _MB)} MB, more than the "
                            f"{self.limit // _MB} MB memory budget ({ENV_VAR})")
        with self._changed:
            ticket = self._issued
            self._issued += 1
            self._changed.wait_for(
                lambda: self._serving == ticket and self._used + nbytes <= self.limit)
            self._serving += 1
            self._used += nbytes
            self._changed.notify_all()  # the next in line may fit beside this one
        try:
            yield
        finally:
            with self._changed:
                self._used -= nbytes
                self._changed.notify_all()


def limit_from_environment() -> int:
    """The budget in bytes: ``TERMKAM_MEMORY_MB`` when it is a positive whole number."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if raw:
        if raw.isdigit() and int(raw) > 0:
            return int(raw) * _MB
        log.warning("%s=%r is not a positive number of MB: using %d", ENV_VAR, raw, DEFAULT_MB)
    return DEFAULT_MB * _MB


BUDGET = MemoryBudget(limit_from_environment())
