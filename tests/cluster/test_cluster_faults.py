"""What can go wrong around a cluster run: bad and changed files, a share mounted elsewhere,
a worker without the job's models, a cancelled job, an unencrypted address."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from engine.engine import Engine
from tests.helpers import termkam_cli

from .conftest import Cluster


def _errors(library: Path) -> dict[str, str]:
    with Engine(library) as engine:
        job = engine.jobs(1)[0]
        return {e.path if e.path.startswith("worker ") else Path(e.path).name: e.reason
                for e in engine.job_errors(job.id)}


def _library(tmp_path: Path, photos: Path) -> Path:
    library = tmp_path / "library"
    scanned = termkam_cli("--library", str(library), "scan", str(photos))
    assert scanned.returncode == 0, scanned.stderr
    return library


def test_missing_and_changed_files_are_item_errors_as_in_a_local_run(
        cluster: Cluster, photo_tree: Path, tmp_path: Path) -> None:
    library = _library(tmp_path, photo_tree)
    local = tmp_path / "local"
    shutil.copytree(library, local)
    people = sorted((photo_tree / "people").glob("*.jpg"))
    gone, changed = people[0], people[1]
    gone.unlink()                                      # deleted after the scan
    changed.write_bytes(people[2].read_bytes())        # replaced after the scan

    remote = termkam_cli("--library", str(library), "run", "quality", "--cluster",
                         cluster.address)
    assert remote.returncode == 3, remote.stderr       # done, with item errors
    errors = _errors(library)
    assert "the worker read another file" in errors.pop(changed.name)
    termkam_cli("--library", str(local), "run", "quality", "--cluster", "local",
                "--image", str(gone))
    assert errors == _errors(local) and list(errors) == [gone.name]  # the same reason
    with sqlite3.connect(library / "catalog.db") as con:
        scored = con.execute("SELECT COUNT(*) FROM image_quality").fetchone()[0]
        photos = con.execute("SELECT COUNT(*) FROM image").fetchone()[0]
    assert scored == photos - 2


def test_workers_read_a_mapped_share_and_its_changed_files_are_refused(
        cluster: Cluster, photo_tree: Path, tmp_path: Path) -> None:
    library = _library(tmp_path, photo_tree)
    mount = tmp_path / "mounted"            # the same photos where the workers see them
    shutil.copytree(photo_tree, mount)
    stale = sorted((mount / "people").glob("*.jpg"))[0]
    stale.write_bytes(stale.read_bytes()[:-10] + b"0123456789")

    run = termkam_cli("--library", str(library), "run", "quality", "--cluster",
                      cluster.address, "--path-map", f"{photo_tree}={mount}")
    assert run.returncode == 3, run.stderr
    errors = _errors(library)
    assert list(errors) == [stale.name]
    assert "other content" in errors[stale.name] and "path map" in errors[stale.name]
    shutil.rmtree(mount)                    # scored from the mount, not from the originals
    again = termkam_cli("--library", str(library), "run", "quality", "--mode", "all",
                        "--cluster", cluster.address, "--path-map", f"{photo_tree}={mount}")
    assert "No such file" in " ".join(_errors(library).values()), again.stderr


def test_a_worker_without_the_models_is_named_and_takes_no_photo(
        cluster: Cluster, photo_tree: Path, tmp_path: Path) -> None:
    library = _library(tmp_path, photo_tree)
    cluster.start_worker("faceless", "--models", "yolox_nano,efficientnet_lite3")
    try:
        before = cluster.executed()["faceless"]
        run = termkam_cli("--library", str(library), "run", "faces.detect", "--cluster",
                          cluster.address)
        after = cluster.executed()["faceless"]
    finally:
        cluster.kill_worker("faceless")
    assert run.returncode == 0, run.stderr
    assert "faceless" in run.stderr and "has no centerface, facenet" in run.stderr
    refusals = [reason for where, reason in _errors(library).items() if "worker" in where]
    assert len(refusals) == 1 and "has no centerface, facenet" in refusals[0]
    assert after == before


def test_a_cancelled_job_takes_its_tasks_off_the_cluster(
        cluster: Cluster, faces_set: dict[str, Path], tmp_path: Path) -> None:
    photos = tmp_path / "many"
    photos.mkdir()
    for number in range(20):
        shutil.copy(faces_set["feat/BWPictureHuman.jpg"], photos / f"IMG_{number:03d}.jpg")
    with Engine(tmp_path / "library") as engine:
        engine.scan([str(photos)]).wait()
        handle = engine.start("faces.detect", {"cluster": cluster.address})
        deadline = time.monotonic() + 120
        while (job := engine.job(handle.job_id)) is None or job.done < 2:
            assert time.monotonic() < deadline and not handle.finished
            time.sleep(0.05)
        handle.cancel()
        finished = handle.wait(60)
        assert finished is not None and finished.state == "cancelled"
        assert 2 <= finished.done < 20
        deadline = time.monotonic() + 30
        while (left := cluster.tasks_left()) != (0, 0):
            assert time.monotonic() < deadline, f"tasks left: {left}"
            time.sleep(0.2)
        resumed = engine.resume()
        assert [h.wait(300).state for h in resumed] == ["done"]
        assert len(engine.images()) == 20


@pytest.mark.parametrize("address", ["tcp://192.0.2.7:8786", "192.0.2.7:8786"])
def test_plain_tcp_to_another_machine_is_refused_before_any_job(
        tmp_path: Path, photo_tree: Path, address: str) -> None:
    library = _library(tmp_path, photo_tree)
    run = termkam_cli("--library", str(library), "run", "faces", "--cluster", address)
    assert run.returncode == 2
    assert "unencrypted" in run.stderr and "tls://" in run.stderr and "--insecure" in run.stderr
    assert "Traceback" not in run.stderr
    with Engine(library) as engine:
        assert [j.kind for j in engine.jobs()] == ["scan"]


def test_the_compute_setting_sends_every_run_there_and_local_overrides_it(
        cluster: Cluster, photo_tree: Path, tmp_path: Path) -> None:
    library = _library(tmp_path, photo_tree)
    photos = len(list(photo_tree.rglob("*.*")))
    setting = termkam_cli("--library", str(library), "compute", "settings", "cluster",
                          cluster.address)
    assert setting.returncode == 0 and f"cluster = {cluster.address}" in setting.stdout
    checked = termkam_cli("--library", str(library), "compute", "check")
    assert checked.returncode == 0, checked.stderr
    assert "2 workers" in checked.stdout and "w1" in checked.stdout and "w2" in checked.stdout
    assert "facenet" in checked.stdout and "CPUExecutionProvider" in checked.stdout

    before = sum(cluster.executed().values())
    assert termkam_cli("--library", str(library), "run", "quality").returncode == 0
    assert sum(cluster.executed().values()) - before == photos
    assert termkam_cli("--library", str(library), "run", "quality", "--mode", "all",
                       "--cluster", "local").returncode == 0
    assert sum(cluster.executed().values()) - before == photos    # that one ran here
    rebuilt = termkam_cli("--library", str(library), "run", "faces.rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr                # a local-only tool runs
    refused = termkam_cli("--library", str(library), "compute", "settings", "cluster",
                          "ftp://nas:21")
    assert refused.returncode != 0 and "tls://HOST:PORT" in refused.stderr


def test_the_users_learned_model_reaches_the_workers_and_scores_as_at_home(
        cluster: Cluster, photo_tree: Path, tmp_path: Path) -> None:
    import numpy as np

    from tests.tiny_onnx import tiny_model

    model = tiny_model(tmp_path / "aesthetic.onnx", np.array([[-10.0, 0.0, 10.0]] * 3) / 3,
                       np.array([5.0, 0.0, -5.0]), shape=["N", 3, 32, 32])
    scores = {}
    for where in ("local", cluster.address):
        with Engine(tmp_path / f"library-{len(scores)}") as engine:
            engine.scan([str(photo_tree)]).wait()
            engine.quality.set_setting("learned_model", str(model))
            engine.quality.set_setting("detect_learned", "on")
            done = engine.start("quality.sort", {"cluster": where}).wait(300)
            assert done is not None and (done.state, done.errors) == ("done", 0), done
            scores[where] = {Path(row.record.path).name: row.scores["learned"]
                             for row in engine.quality.rows()}
    local, remote = scores["local"], scores[cluster.address]
    assert local.keys() == remote.keys() and len(set(local.values())) > 1
    for name, value in local.items():
        assert remote[name] == pytest.approx(value, abs=1e-6), name


def test_a_job_with_nothing_to_do_does_not_need_the_cluster(
        photo_tree: Path, tmp_path: Path) -> None:
    library = _library(tmp_path, photo_tree)
    assert termkam_cli("--library", str(library), "run", "quality", "--cluster",
                       "local").returncode == 0
    again = termkam_cli("--library", str(library), "run", "quality", "--cluster",
                        "tcp://127.0.0.1:9")                  # nothing listens there
    assert again.returncode == 0, again.stderr
    assert "0 photos scored" in again.stdout + again.stderr
