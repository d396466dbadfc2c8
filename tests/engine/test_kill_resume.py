"""A scan killed with SIGKILL half-way leaves a sound catalog; the next scan completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from engine.engine import Engine
from tests.helpers import REPO, termkam_cli


def _count(catalog) -> int:
    try:
        with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=1) as con:
            return con.execute("SELECT COUNT(*) FROM image").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigkill_mid_scan_then_rescan_completes_without_duplicates(tmp_path, faces_set):
    photos = tmp_path / "photos"
    source = faces_set["feat/BWPictureHuman.jpg"].read_bytes()  # 2560x1912: slow enough
    for folder in range(6):
        (photos / f"day{folder}").mkdir(parents=True)
        for number in range(60):
            (photos / f"day{folder}" / f"IMG_{number:04d}.jpg").write_bytes(source)
    total = 360
    library = tmp_path / "library"
    catalog = library / "catalog.db"

    scan = subprocess.Popen([sys.executable, "-m", "tui", "--library", str(library), "scan",
                             "--batch-size", "16", str(photos)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(catalog) < 32 and time.monotonic() < deadline and scan.poll() is None:
        time.sleep(0.02)
    os.kill(scan.pid, signal.SIGKILL)
    scan.wait()
    done_before = _count(catalog)
    assert 0 < done_before < total, "the kill must land half-way through the scan"

    with sqlite3.connect(catalog) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("SELECT state FROM job").fetchall() == [("running",)]

    resumed = termkam_cli("--library", str(library), "jobs", "resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{total - done_before} new" in resumed.stdout

    with Engine(library) as engine:
        jobs = engine.jobs()
        assert [j.state for j in jobs] == ["done", "resumed"]
        assert jobs[1].message == f"resumed as job #{jobs[0].id}"
        records = engine.images()
        assert len(records) == total == len({r.path for r in records})
        assert all(r.status == "ok" and engine.thumbnail(r.id) for r in records)
