"""The memory budget that decodes and file reads reserve from: refusal, sharing, waiting,
release on every path; and that normal photos still decode side by side under it."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from bench import bombs
from engine import decode, memory_budget
from engine.errors import ItemError
from engine.memory_budget import MemoryBudget

MB = 1 << 20


class Holder:
    """A thread that holds a reservation until told to let go."""

    def __init__(self, budget: MemoryBudget, nbytes: int) -> None:
        self.granted, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, args=(budget, nbytes), daemon=True)
        self.thread.start()

    def _hold(self, budget: MemoryBudget, nbytes: int) -> None:
        with budget.reserve(nbytes, "test"):
            self.granted.set()
            self.release.wait(10)

    def done(self) -> None:
        self.release.set()
        self.thread.join(10)


def test_a_reservation_above_the_whole_budget_is_refused_at_once() -> None:
    budget = MemoryBudget(100 * MB)
    with pytest.raises(ItemError) as info, budget.reserve(700 * MB, "decoding the image"):
        pass
    assert str(info.value) == ("decoding the image needs ~700 MB, more than the 100 MB "
                               "memory budget (TERMKAM_MEMORY_MB)")
    assert budget.used == 0


def test_reservations_that_fit_together_run_together_and_are_always_given_back() -> None:
    budget = MemoryBudget(100)
    first = Holder(budget, 40)
    assert first.granted.wait(5)
    second = Holder(budget, 60)
    assert second.granted.wait(5)  # 40 + 60 fit: no waiting
    assert budget.used == 100
    first.done()
    second.done()
    with pytest.raises(ValueError), budget.reserve(70, "test"):
        raise ValueError("a decode that fails")
    assert budget.used == 0


def test_a_reservation_waits_for_room_in_arrival_order() -> None:
    budget = MemoryBudget(100)
    first = Holder(budget, 80)
    assert first.granted.wait(5)
    large = Holder(budget, 50)
    assert not large.granted.wait(0.2)  # 80 + 50 do not fit
    small = Holder(budget, 10)
    assert not small.granted.wait(0.2)  # it would fit, but must not overtake the large one
    first.done()
    assert large.granted.wait(5) and small.granted.wait(5)
    assert budget.used == 60
    large.done()
    small.done()
    assert budget.used == 0


def test_the_budget_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERMKAM_MEMORY_MB", "1024")
    assert memory_budget.limit_from_environment() == 1024 * MB
    for unusable in ("", "lots", "0", "-5"):
        monkeypatch.setenv("TERMKAM_MEMORY_MB", unusable)
        assert memory_budget.limit_from_environment() == memory_budget.DEFAULT_MB * MB


def test_normal_photos_decode_two_at_a_time_and_a_bomb_is_refused(tmp_path: Path) -> None:
    limit = memory_budget.BUDGET.limit
    png = bombs.png_bomb(tmp_path / "24mp.png", 6000, 4000).read_bytes()
    jpeg = cv2.imencode(".jpg", np.full((3000, 4000, 3), 90, np.uint8))[1].tobytes()
    progressive = bombs.progressive_jpeg_bomb(tmp_path / "p.jpg", 4000, 3000).read_bytes()
    for data in (png, jpeg, progressive):
        for side in (256, 1024, None):  # thumbnails, a job's working size, full size
            assert 2 * decode.memory_needed(data, decode.probe(data), side) <= limit
        assert decode.decode(data, decode.probe(data), max_side=256).shape[1] == 256
    assert memory_budget.BUDGET.used == 0
    bomb = bombs.png_bomb(tmp_path / "bomb.png", 13300, 13300).read_bytes()
    with pytest.raises(ItemError, match="^decoding the image needs ~1013 MB, more than"):
        decode.decode(bomb, decode.probe(bomb), max_side=256)
    assert memory_budget.BUDGET.used == 0


def test_estimates_cover_the_coefficient_buffer_of_progressive_and_multi_scan_jpegs(
        tmp_path: Path) -> None:
    coefficients = 1600 * 800 // 64 * 3 * 128  # 64 coefficients of 2 bytes, 3 components
    for write in (bombs.progressive_jpeg_bomb, bombs.multi_scan_jpeg_bomb):
        data = write(tmp_path / "bomb.jpg", 1600, 800).read_bytes()
        assert decode.probe(data).working_bytes == coefficients
    baseline = cv2.imencode(".jpg", np.zeros((800, 1600, 3), np.uint8))[1].tobytes()
    assert decode.probe(baseline).working_bytes == 0
