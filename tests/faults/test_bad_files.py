"""Files that must not hang or exhaust a scan: FIFOs and devices named like photos (or like
their sidecars), and decompression bombs just below the pixel guard."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest

from bench import bombs
from engine import files
from engine.errors import ItemError
from engine.memory_budget import MemoryBudget
from engine.metadata import read_sidecar_for
from tests.helpers import termkam_cli


def _rows(library: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(library / "catalog.db") as con:
        return {name: (status, error) for name, status, error in
                con.execute("SELECT name, status, error FROM image")}


def _in_time(read, seconds: float = 5.0):
    """``read()``'s result or exception, failing (not hanging) when it blocks."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(read())
        except Exception as error:  # noqa: BLE001 - handed back to the test
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"still blocked after {seconds} s"
    return outcome[0]


def test_files_reads_only_regular_files(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 some bytes")
    (tmp_path / "link.jpg").symlink_to(photo)
    os.mkfifo(tmp_path / "m.jpg")
    (tmp_path / "folder.jpg").mkdir()
    assert files.read_regular(photo) == files.read_regular(tmp_path / "link.jpg") == (
        b"\xff\xd8 some bytes")
    fifo = _in_time(lambda: files.read_regular(tmp_path / "m.jpg"))
    assert isinstance(fifo, ItemError) and str(fifo) == "not a regular file (a FIFO)"
    device = _in_time(lambda: files.read_regular("/dev/zero"))
    assert str(device) == "not a regular file (a character device)"
    with pytest.raises(files.NoFile, match="^is a directory$"):
        files.read_regular(tmp_path / "folder.jpg")
    with pytest.raises(files.NoFile, match="^cannot read: No such file"):
        files.read_regular(tmp_path / "gone.jpg")
    (tmp_path / "big.jpg").write_bytes(bytes(3 << 20))
    with pytest.raises(ItemError, match="^reading the file needs ~3 MB, more than the 2 MB "):
        files.read_regular(tmp_path / "big.jpg", MemoryBudget(2 << 20))


def test_a_fifo_sidecar_is_unreadable_and_a_folder_named_like_one_is_passed_over(
        tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"")
    (tmp_path / "photo.jpg.xmp").mkdir()
    assert read_sidecar_for(photo) is None
    os.mkfifo(tmp_path / "photo.xmp")
    error = _in_time(lambda: read_sidecar_for(photo))
    assert str(error) == "unreadable XMP sidecar: not a regular file (a FIFO)"


def test_fifos_named_like_a_photo_or_a_sidecar_do_not_hang_the_scan(
        tmp_path: Path, faces_set: dict[str, Path]) -> None:
    root = tmp_path / "photos"
    root.mkdir()
    shutil.copy(faces_set["feat/single_face.jpg"], root / "good.jpg")
    shutil.copy(faces_set["feat/multi_face.jpg"], root / "side.jpg")
    os.mkfifo(root / "m.jpg")
    os.mkfifo(root / "side.jpg.xmp")
    library = tmp_path / "library"
    for _ in range(2):  # the rescan retries the FIFO and must end as well
        started = time.monotonic()
        run = termkam_cli("--library", str(library), "scan", str(root), timeout=60)
        assert time.monotonic() - started < 30
        assert run.returncode == 3, run.stdout + run.stderr   # done, an item failed
        assert f"{root / 'm.jpg'}: not a regular file (a FIFO)" in run.stderr
    assert _rows(library) == {"good.jpg": ("ok", None), "side.jpg": ("ok", None),
                              "m.jpg": ("error", "not a regular file (a FIFO)")}


@pytest.fixture
def bomb_folder(tmp_path: Path, faces_set: dict[str, Path]) -> Path:
    return bombs.bomb_folder(tmp_path / "photos", faces_set["feat/single_face.jpg"])


def test_bombs_are_refused_and_the_scan_stays_under_its_memory_peak(
        bomb_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TERMKAM_MEMORY_MB", raising=False)
    library = bomb_folder.parent / "library"
    run = termkam_cli("--library", str(library), "scan", str(bomb_folder),
                      prefix=(sys.executable, "-c", bombs.PEAK_RSS))
    assert run.returncode == 3, run.stdout + run.stderr   # done, the bombs refused
    peak_mb = bombs.peak_rss_mb(run.stderr)
    assert peak_mb < bombs.PEAK_LIMIT_MB, f"scan peaked at {peak_mb:.0f} MB"
    rows = _rows(library)
    assert {name for name, (status, _) in rows.items() if status == "ok"} == {
        "good.jpg", *bombs.FITTING}
    for name in bombs.REFUSED[:-1]:
        status, error = rows[name]
        assert error and error.startswith("decoding the image needs ~"), (name, error)
        assert error.endswith("MB memory budget (TERMKAM_MEMORY_MB)") and "\n" not in error
        assert f"{name}: {error}" in run.stderr
    assert rows["huge.jpg"] == ("error", "reading the file needs ~3072 MB, more than the "
                                         "384 MB memory budget (TERMKAM_MEMORY_MB)")
