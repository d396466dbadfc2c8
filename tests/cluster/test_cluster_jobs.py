"""The face, tag and quality jobs through a real Dask cluster on 127.0.0.1 (a `dask
scheduler` and two `termkam worker` processes) give the catalog a local run gives; the
cluster's faults (a dead worker, a killed job) lose and duplicate nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import REPO, termkam_cli

from .conftest import Cluster


def _rows(catalog: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5) as con:
        return con.execute(sql).fetchall()


def _faces(library: Path) -> dict[str, list[tuple]]:
    """Each photo's faces, left to right: box, quality and embedding."""
    found: dict[str, list[tuple]] = {}
    for name, x, y, w, h, quality, vector in _rows(library / "catalog.db", """
            SELECT i.name, f.x, f.y, f.w, f.h, f.quality, e.vector FROM face f
            JOIN image i ON i.id = f.image_id
            LEFT JOIN face_embedding e ON e.face_id = f.id ORDER BY i.name, f.x"""):
        found.setdefault(Path(name).name, []).append(
            ((x, y, w, h), quality, np.frombuffer(vector, np.float32)))
    return found


def _tags(library: Path) -> dict[tuple[str, str], float]:
    return {(Path(path).name, tag): confidence for path, tag, confidence in _rows(
        library / "catalog.db", """SELECT i.name, t.name, it.confidence FROM image_tag it
            JOIN image i ON i.id = it.image_id JOIN tag t ON t.id = it.tag_id""")}


def _quality(library: Path) -> dict[str, tuple[dict, float, str]]:
    rows = _rows(library / "catalog.db", """SELECT i.name, q.scores, q.figure, p.label
        FROM image_quality q JOIN image i ON i.id = q.image_id
        LEFT JOIN pick_label p ON p.image_id = q.image_id""")
    return {Path(path).name: (json.loads(scores), quality, label)
            for path, scores, quality, label in rows}


def _run(library: Path, *args: str) -> subprocess.CompletedProcess:
    done = termkam_cli("--library", str(library), *args)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _scanned(tmp_path: Path, photos: Path, name: str) -> Path:
    library = tmp_path / name
    _run(library, "scan", str(photos))
    return library


def test_faces_tags_and_quality_through_the_cluster_match_a_local_run(
        cluster: Cluster, photo_tree: Path, tmp_path: Path) -> None:
    local = _scanned(tmp_path, photo_tree, "local")
    remote = tmp_path / "remote"
    shutil.copytree(local, remote)
    before = sum(cluster.executed().values())
    for tool in ("faces", "tags", "quality"):
        _run(local, "run", tool, "--cluster", "local")
        shown = _run(remote, "run", tool, "--cluster", cluster.address)
        assert "error" not in shown.stderr.replace("0 errors", ""), shown.stderr
    photos = len(_rows(local / "catalog.db", "SELECT id FROM image"))
    ran = cluster.executed()
    assert sum(ran.values()) - before == 3 * photos, ran   # every photo, each tool, once
    assert all(count > 0 for count in ran.values()), "both workers took photos"

    local_faces, remote_faces = _faces(local), _faces(remote)
    assert sum(map(len, local_faces.values())) >= 5
    assert local_faces.keys() == remote_faces.keys()
    for name, faces in local_faces.items():
        assert len(remote_faces[name]) == len(faces), name
        for (box, quality, vector), (rbox, rquality, rvector) in zip(
                faces, remote_faces[name], strict=True):
            assert np.abs(np.subtract(box, rbox)).max() <= 1.0, name
            assert quality == pytest.approx(rquality, abs=1e-4)
            assert float(vector @ rvector) / float(np.linalg.norm(vector) *
                                                  np.linalg.norm(rvector)) > 0.999

    local_tags, remote_tags = _tags(local), _tags(remote)
    assert local_tags and local_tags.keys() == remote_tags.keys()
    for key, confidence in local_tags.items():
        assert remote_tags[key] == pytest.approx(confidence, abs=1e-4), key

    local_quality, remote_quality = _quality(local), _quality(remote)
    assert len(local_quality) == photos and local_quality.keys() == remote_quality.keys()
    for name, (scores, figure, label) in local_quality.items():
        rscores, rfigure, rlabel = remote_quality[name]
        assert rlabel == label and rfigure == pytest.approx(figure, abs=0.01), name
        for detector, value in scores.items():
            if value is not None:
                assert rscores[detector] == pytest.approx(value, rel=1e-5, abs=1e-6)


def _slow_set(tmp_path: Path, faces_set: dict[str, Path], count: int) -> Path:
    """``count`` copies of a 2560x1912 photo with a face: slow enough to act mid-job."""
    photos = tmp_path / "many"
    photos.mkdir()
    source = faces_set["feat/BWPictureHuman.jpg"].read_bytes()
    for number in range(count):
        (photos / f"IMG_{number:04d}.jpg").write_bytes(source)
    return photos


def _job_done(library: Path, kind: str) -> int:
    try:
        rows = _rows(library / "catalog.db",
                     f"SELECT done FROM job WHERE kind = '{kind}' ORDER BY id DESC LIMIT 1")
    except sqlite3.Error:
        return 0
    return rows[0][0] if rows else 0


def _start_job(library: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tui", "--library", str(library), *args],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_done(library: Path, kind: str, at_least: int, job: subprocess.Popen) -> int:
    deadline = time.monotonic() + 240
    while (done := _job_done(library, kind)) < at_least:
        assert job.poll() is None, job.communicate()[1][-2000:]
        assert time.monotonic() < deadline, "the job made no progress"
        time.sleep(0.05)
    return done


def _faces_per_photo(library: Path) -> dict[str, int]:
    return dict(_rows(library / "catalog.db", """SELECT i.name, COUNT(f.id) FROM image i
        LEFT JOIN face f ON f.image_id = i.id GROUP BY i.id"""))


def test_a_worker_killed_mid_job_loses_and_duplicates_nothing(
        cluster: Cluster, faces_set: dict[str, Path], tmp_path: Path) -> None:
    total = 24
    library = _scanned(tmp_path, _slow_set(tmp_path, faces_set, total), "library")
    job = _start_job(library, "run", "faces.detect", "--cluster", cluster.address)
    try:
        _wait_done(library, "faces.detect", 4, job)
        cluster.kill_worker("w2")
        out, err = job.communicate(timeout=300)
    finally:
        if job.poll() is None:
            job.kill()
        cluster.start_worker("w2")
    assert job.returncode == 0, (out + err)[-3000:]
    assert f"{total} images" in out + err and "0 errors" in out + err, out + err
    per_photo = _faces_per_photo(library)
    assert len(per_photo) == total
    assert len(set(per_photo.values())) == 1 and next(iter(per_photo.values())) >= 1
    assert _rows(library / "catalog.db", "SELECT COUNT(*) FROM processing "
                 "WHERE step = 'faces'")[0][0] == total


def test_a_killed_job_leaves_no_task_and_resumes_through_the_cluster(
        cluster: Cluster, faces_set: dict[str, Path], tmp_path: Path) -> None:
    total = 30
    library = _scanned(tmp_path, _slow_set(tmp_path, faces_set, total), "library")
    job = _start_job(library, "run", "faces.detect", "--cluster", cluster.address)
    done = _wait_done(library, "faces.detect", 4, job)
    os.kill(job.pid, signal.SIGKILL)
    job.wait()
    assert done < total, "the kill must land mid-job"
    deadline = time.monotonic() + 30
    while (left := cluster.tasks_left()) != (0, 0):
        assert time.monotonic() < deadline, f"tasks left on the cluster: {left}"
        time.sleep(0.2)

    before = sum(cluster.executed().values())
    remaining = total - _rows(library / "catalog.db", "SELECT COUNT(*) FROM processing "
                              "WHERE step = 'faces'")[0][0]
    assert remaining > 0
    resumed = _run(library, "jobs", "resume")
    assert "faces.detect done" in resumed.stdout + resumed.stderr, resumed.stderr
    assert sum(cluster.executed().values()) - before == remaining  # through the cluster
    per_photo = _faces_per_photo(library)
    assert len(per_photo) == total and len(set(per_photo.values())) == 1
    assert _rows(library / "catalog.db", "SELECT COUNT(*) FROM processing "
                 "WHERE step = 'faces'")[0][0] == total
    jobs = _rows(library / "catalog.db", "SELECT kind, state, options FROM job ORDER BY id")
    detect = [(state, json.loads(options)) for kind, state, options in jobs
              if kind == "faces.detect"]
    assert [state for state, _ in detect] == ["resumed", "done"]
    assert detect[1][1]["cluster"] == cluster.address
