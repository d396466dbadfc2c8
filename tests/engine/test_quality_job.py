"""The image quality sorter as a job on real photos: labels, the user's labels, the preview
of other thresholds, modes, a damaged file; and the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import pytest

from engine.engine import Engine
from tests.helpers import run_job, scanned, termkam_cli

SHARP = ("chelsea.png", "coffee.png", "motorcycle_left.png", "astronaut.png")


@pytest.fixture
def quality_tree(tmp_path: Path, objects_set) -> Path:
    """The skimage photos, plus a strongly blurred and a badly compressed copy of one."""
    root = tmp_path / "photos"
    root.mkdir()
    for key, path in objects_set.items():
        shutil.copy2(path, root / Path(key).name)
    coffee = cv2.imread(str(root / "coffee.png"))
    cv2.imwrite(str(root / "coffee-blurred.png"), cv2.GaussianBlur(coffee, (0, 0), 6))
    cv2.imwrite(str(root / "coffee-q5.jpg"), coffee, [cv2.IMWRITE_JPEG_QUALITY, 5])
    return root


@pytest.fixture
def eng(tmp_path: Path, quality_tree: Path):
    with Engine(tmp_path / "library") as engine:
        yield scanned(engine, quality_tree)


def run(engine: Engine, **options):
    return run_job(engine, "quality.sort", **options)


def by_name(engine: Engine) -> dict[str, object]:
    return {Path(row.record.path).name: row for row in engine.quality.rows()}


def test_sharp_photos_pass_and_ruined_copies_are_rejected(eng):
    run(eng)
    rows = by_name(eng)
    assert len(rows) == 8
    for name in SHARP:
        assert rows[name].label != "rejected", (name, rows[name].figure, rows[name].scores)
    assert rows["coffee-blurred.png"].label == "rejected"
    assert rows["coffee-q5.jpg"].label == "rejected"
    assert rows["coffee-q5.jpg"].scores["jpeg_quality"] <= 10
    motion = rows["clock_motion.png"].scores["blur"]
    assert all(motion > rows[name].scores["blur"] for name in SHARP)
    assert all(row.label_source == "auto" for row in rows.values())


def test_a_label_set_by_hand_survives_every_rerun(eng):
    run(eng)
    blurred = by_name(eng)["coffee-blurred.png"]
    eng.browse.set_pick([blurred.record.id], "accepted")
    for mode in ("all", "unscored"):
        run(eng, mode=mode)
        row = by_name(eng)["coffee-blurred.png"]
        assert (row.label, row.label_source) == ("accepted", "user")


def test_new_thresholds_label_photos_as_the_preview_said(eng):
    run(eng)
    before = eng.quality.preview()
    figures = sorted(row.figure for row in eng.quality.rows())
    cut = (figures[3] + figures[4]) / 2              # half the photos under it
    predicted = eng.quality.preview(reject_below=cut, accept_from=max(cut, 60.0))
    assert predicted.counts != before.counts
    assert predicted.counts["rejected"] == 4
    eng.quality.set_setting("accept_from", max(cut, 60.0))  # raise the top first: low <= high
    eng.quality.set_setting("reject_below", cut)
    run(eng, mode="all")
    labels = [row.label for row in eng.quality.rows()]
    assert {label: labels.count(label) for label in predicted.counts} == predicted.counts
    assert eng.quality.preview().changed == 0


def test_unscored_mode_skips_scored_photos_and_a_damaged_file_is_an_item_error(eng,
                                                                               quality_tree):
    assert run(eng).total == 8
    assert run(eng).total == 0                         # nothing new
    (quality_tree / "rocket.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a jpeg any more")
    result = run(eng, mode="all")
    assert (result.done, result.errors) == (8, 1)
    errors = eng.job_errors(result.job_id)
    assert [Path(e.path).name for e in errors] == ["rocket.jpg"]
    assert "\n" not in errors[0].reason


def test_a_learned_model_of_the_users_joins_the_figure(eng, tmp_path):
    import numpy as np

    from tests.tiny_onnx import tiny_model

    run(eng)
    before = {name: row.figure for name, row in by_name(eng).items()}
    # three classes bad / normal / good from the mean brightness: bright photos are "good"
    model = tiny_model(tmp_path / "aesthetic.onnx", np.array([[-10.0, 0.0, 10.0]] * 3) / 3,
                       np.array([5.0, 0.0, -5.0]), shape=["N", 3, 32, 32])
    eng.quality.set_setting("learned_model", str(model))
    eng.quality.set_setting("detect_learned", "on")
    run(eng, mode="all")
    rows = by_name(eng)
    for name, row in rows.items():
        goodness = 1.0 - row.scores["learned"]
        assert 0.0 <= goodness <= 1.0
        assert row.figure <= before[name] + 1e-6       # a goodness below 1 can only lower it
    learned = {name: row.scores["learned"] for name, row in rows.items()}
    brightness = {name: float(cv2.imread(row.record.path).mean()) for name, row in rows.items()}
    assert min(learned, key=learned.get) == max(brightness, key=brightness.get)
    assert max(learned, key=learned.get) == min(brightness, key=brightness.get)
    eng.quality.set_setting("learned_model", str(tmp_path / "missing.onnx"))
    failed = eng.start("quality.sort", {"mode": "all"}).wait(60)
    assert failed.state == "failed" and "missing.onnx" in failed.summary


def test_cli_runs_the_sorter_and_lists_scores_as_json(tmp_path, quality_tree):
    lib = ("--library", str(tmp_path / "cli-library"))
    assert termkam_cli(*lib, "scan", str(quality_tree)).returncode == 0
    ran = termkam_cli(*lib, "run", "quality")
    assert ran.returncode == 0 and "quality.sort done: 8 photos scored" in ran.stdout, ran
    rows = {Path(r["path"]).name: r for r in
            json.loads(termkam_cli(*lib, "quality", "list", "--json").stdout)["quality"]}
    assert set(rows) == {*(p.name for p in quality_tree.iterdir())}
    blurred = rows["coffee-blurred.png"]
    assert blurred["label"] == "rejected" and 0 <= blurred["quality"] < 30
    assert set(blurred["scores"]) >= {"blur", "noise", "exposure", "compression", "brisque"}
    marked = termkam_cli(*lib, "quality", "label", "accepted", str(quality_tree / "coffee.png"))
    assert marked.returncode == 0
    listed = termkam_cli(*lib, "quality", "list", "--label", "accepted").stdout
    assert "coffee.png" in listed and "(yours)" in listed
    bad = termkam_cli(*lib, "quality", "settings", "reject_below", "90")
    assert bad.returncode == 1 and "reject_below" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr
