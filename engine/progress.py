"""Rate and ETA for progress events, smoothed so they do not jump between batches."""

from __future__ import annotations

import time


class RateMeter:
    """Exponentially smoothed items/s; the first reading is the plain average."""

    def __init__(self, smoothing: float = 0.3, clock=time.monotonic) -> None:
        self._clock = clock
        self._alpha = smoothing
        self._last_time = clock()
        self._last_done = 0
        self.rate = 0.0

    def update(self, done: int) -> float:
        now = self._clock()
        elapsed, delta = now - self._last_time, done - self._last_done
        if elapsed > 0 and delta > 0:
            instant = delta / elapsed
            self.rate = instant if self.rate == 0 else (
                self._alpha * instant + (1 - self._alpha) * self.rate)
            self._last_time, self._last_done = now, done
        return self.rate

    def eta(self, done: int, total: int) -> float | None:
        if total <= 0 or self.rate <= 0:
            return None
        return max(0.0, (total - done) / self.rate)


def rate_text(rate: float, unit: str) -> str:
    """A rate with its unit, as short as stays readable: ``2.4 photos/s``, ``15186 faces/s``."""
    return f"{rate:.1f} {unit}/s" if rate < 100 else f"{rate:.0f} {unit}/s"
