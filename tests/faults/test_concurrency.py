"""Jobs and decisions at the same time, two processes on one library, and resuming a job
more than once: nothing is lost, duplicated or done twice."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from engine.engine import Engine
from engine.faces import recognition
from tests.helpers import REPO, run_job, termkam_cli


def _query(catalog: Path, sql: str) -> list[tuple]:
    try:
        with closing(sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5)) as con:
            return con.execute(sql).fetchall()
    except sqlite3.Error:
        return []


def test_two_first_scans_at_once_both_finish_without_duplicates(tmp_path, faces_set):
    photos = tmp_path / "photos"
    for album in range(4):
        (photos / f"a{album}").mkdir(parents=True)
        for number in range(15):
            shutil.copy(faces_set["feat/single_face.jpg"], photos / f"a{album}" / f"{number}.jpg")
    library = tmp_path / "library"
    command = [sys.executable, "-m", "tui", "--library", str(library), "scan", str(photos)]
    runs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out + err
        assert "Traceback" not in err and "IntegrityError" not in out + err
    catalog = library / "catalog.db"
    assert _query(catalog, "SELECT COUNT(*), COUNT(DISTINCT album_id || '/' || name) "
                           "FROM image WHERE status = 'ok'") == [(60, 60)]
    assert _query(catalog, "SELECT COUNT(*) FROM album") == [(5,)]
    assert _query(catalog, "PRAGMA integrity_check") == [("ok",)]


@pytest.fixture
def library(people_copy) -> Path:
    return people_copy


def test_a_decision_during_recognition_waits_for_no_step(library, monkeypatch):
    """Recognition computes its suggestions without the write lock: a decision taken while
    it computes goes through at once, and the job then writes what a run after the
    decision gives."""
    computing, release = threading.Event(), threading.Event()
    plan = recognition.plan_suggestions

    def slow_plan(*args, **kwargs):
        if threading.current_thread().name == "termkam-jobs":  # the job, not the decision
            computing.set()
            release.wait(30)
        return plan(*args, **kwargs)

    monkeypatch.setattr(recognition, "plan_suggestions", slow_plan)
    with Engine(library) as engine:
        face = next(f for f in engine.faces.find(status="unconfirmed") if f.suggested)
        handle = engine.start("faces.recognize")
        assert computing.wait(30)
        started = time.monotonic()
        engine.faces.confirm([face.id])            # would block on the lock before
        waited = time.monotonic() - started
        release.set()
        assert handle.wait(60).state == "done"
        assert waited < 5                           # not held until the step ends (30 s)
        assert engine.faces.get(face.id).status == "confirmed"
        after_job = {f.id: (f.suggested_person_id, f.suggested_distance)
                     for f in engine.faces.find(status="unconfirmed")}
        monkeypatch.setattr(recognition, "plan_suggestions", plan)
        run_job(engine, "faces.recognize")
        clean = {f.id: (f.suggested_person_id, f.suggested_distance)
                 for f in engine.faces.find(status="unconfirmed")}
    assert after_job == clean


def test_resuming_a_killed_all_run_scores_each_photo_once_and_only_once(library):
    catalog = library / "catalog.db"
    command = [sys.executable, "-m", "tui", "--library", str(library), "run", "quality",
               "--mode", "all", "--batch", "2"]
    run = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if (_query(catalog, "SELECT done FROM job WHERE kind = 'quality.sort'") or [(0,)]
                )[0][0] >= 6:
            break
        time.sleep(0.01)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    before = dict(_query(catalog, "SELECT image_id, scored_at FROM image_quality"))
    total = _query(catalog, "SELECT COUNT(*) FROM image WHERE status = 'ok'")[0][0]
    assert 0 < len(before) < total, "the kill must land half-way"
    first = termkam_cli("--library", str(library), "jobs", "resume")
    assert first.returncode == 0, first.stderr
    assert f"{total - len(before)} photos scored" in first.stdout
    after = dict(_query(catalog, "SELECT image_id, scored_at FROM image_quality"))
    assert len(after) == total
    assert all(after[image] == when for image, when in before.items())  # not scored again
    again = termkam_cli("--library", str(library), "jobs", "resume")
    assert again.returncode == 0 and "nothing to resume" in again.stdout
    states = _query(catalog, "SELECT state, message, id FROM job WHERE kind = 'quality.sort' "
                             "ORDER BY id")
    assert [state for state, _, _ in states] == ["resumed", "done"]
    assert states[0][1] == f"resumed as job #{states[1][2]}"


def test_a_killed_run_faces_resumes_into_recognition_and_clustering(library, tmp_path):
    catalog = library / "catalog.db"
    last = _query(catalog, "SELECT MAX(id) FROM job")[0][0]
    run = subprocess.Popen([sys.executable, "-m", "tui", "--library", str(library), "run",
                            "faces", "--mode", "clear", "--batch", "2"], cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if (_query(catalog, f"SELECT done FROM job WHERE id > {last}") or [(0,)])[0][0] >= 6:
            break
        time.sleep(0.01)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    with closing(sqlite3.connect(catalog)) as con:  # what recognition and clustering give
        con.execute("UPDATE face SET suggested_person_id = NULL, cluster_id = NULL")
        con.commit()
    resumed = termkam_cli("--library", str(library), "jobs", "resume")
    assert resumed.returncode == 0, resumed.stderr
    kinds = [line.split()[0] for line in resumed.stdout.splitlines()]
    assert kinds == ["faces.detect", "faces.recognize", "faces.cluster"]
    assert _query(catalog, "SELECT COUNT(*) FROM face WHERE suggested_person_id IS NOT NULL"
                  )[0][0] > 0
    assert _query(catalog, "SELECT COUNT(*) FROM face WHERE cluster_id IS NOT NULL")[0][0] > 0
