"""The background write-back: decisions queue their photos, and a short while after the last
one a "pending" write job writes them all (coalesced, never in the way of the UI)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from engine.jobs import JobHandle

from . import settings as metadata_settings

DELAY_S = 1.5
KIND = "metadata.write"


class BackgroundWriter:
    """Starts a pending write ``DELAY_S`` after the last poke, one at a time."""

    def __init__(self, start: Callable[[str, dict[str, Any]], JobHandle],
                 active: Callable[[], list[JobHandle]], delay: float = DELAY_S) -> None:
        self._start, self._active, self._delay = start, active, delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._target = "off"

    def poke(self) -> None:
        """A decision was made: write its photos soon, if write-back is on."""
        self._target = metadata_settings.GROUP.stored().values["write_back"]
        if self._target == "off":
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self._delay, self._flush)
            self._timer.daemon = True
            self._timer.start()

    def _flush(self) -> None:
        if any(h.kind == KIND and not h.finished for h in self._active()):
            with self._lock:  # one at a time: look again once it is done
                self._timer = threading.Timer(self._delay, self._flush)
                self._timer.daemon = True
                self._timer.start()
            return
        self._start(KIND, {"mode": "pending", "to": self._target})

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
