"""The auto-tag job with the real models on the DATA.md photos: tags, modes, the user's
verdicts, class selection, a corrupt file; and the CLI a user scripts against."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.engine import Engine
from tests.helpers import run_job, scanned, termkam_cli

PHOTOS = {"skimage/chelsea.png", "skimage/coffee.png", "skimage/motorcycle_left.png",
          "skimage/astronaut.png", "feat/multi_face.jpg", "feat/free-mountain-vector-01.jpg"}


@pytest.fixture
def tag_tree(tmp_path: Path, objects_set, faces_set) -> Path:
    root = tmp_path / "photos"
    root.mkdir()
    for key, path in {**objects_set, **faces_set}.items():
        if key in PHOTOS:
            shutil.copy2(path, root / Path(key).name)
    return root


@pytest.fixture
def eng(tmp_path: Path, tag_tree: Path):
    with Engine(tmp_path / "library") as engine:
        yield scanned(engine, tag_tree)


def run(engine: Engine, **options):
    return run_job(engine, "tags.auto", **options)


def tags_of(engine: Engine, source: str | None = None) -> dict[str, set[str]]:
    return {Path(record.path).name: {"/".join(t.path) for t in tags if source in (None, t.source)}
            for record, tags in engine.tags.tagged_images()}


def test_the_photos_get_the_right_tags(eng):
    run(eng)
    tags = tags_of(eng, "auto")
    assert "Animals/Cat" in tags["chelsea.png"]
    assert tags["coffee.png"] & {"Food & drink/Coffee", "Food & drink/Cup"}
    assert "Vehicles/Motorcycle" in tags["motorcycle_left.png"]
    assert "Subjects/Person" in tags["astronaut.png"]
    assert "Subjects/Person" in tags["multi_face.jpg"]
    assert not tags["free-mountain-vector-01.jpg"] - {"Places/Mountain", "Places/Landscape",
                                                      "Places/Valley"}
    assert "Animals/Cat" not in tags["motorcycle_left.png"] | tags["coffee.png"]
    confidences = [t.confidence for _, ts in eng.tags.tagged_images() for t in ts]
    assert confidences and all(0 < c <= 1 for c in confidences)


def test_class_selection_limits_the_tags_and_untagged_mode_skips_tagged_images(eng):
    run(eng, classes="Animals")
    assert {name for name, tags in tags_of(eng).items() if tags} == {"chelsea.png"}
    result = run(eng, mode="untagged")
    assert result.total == len(PHOTOS) - 1          # chelsea already has an auto tag
    tags = tags_of(eng)
    assert tags["chelsea.png"] == {"Animals/Cat"}    # not re-tagged with the other classes
    assert "Vehicles/Motorcycle" in tags["motorcycle_left.png"]
    assert run(eng, mode="untagged").total == 0      # done by these models: nothing to do


def test_replace_drops_old_auto_tags_but_never_user_tags(eng):
    run(eng)
    cat = eng.find_image(str(next(r.path for r, _ in eng.tags.tagged_images()
                                  if r.path.endswith("chelsea.png"))))
    eng.tags.add(cat.id, ["Trips", "Lisbon"])
    run(eng, mode="replace", classes="Vehicles")
    tags = tags_of(eng)
    assert tags["chelsea.png"] == {"Trips/Lisbon"}
    assert tags["motorcycle_left.png"] == {"Vehicles/Motorcycle"}


def test_a_removed_auto_tag_is_not_added_again_and_a_confirmed_one_is_the_users(eng):
    run(eng)
    records = {Path(r.path).name: r for r, _ in eng.tags.tagged_images()}
    assert eng.tags.remove(records["chelsea.png"].id, ["Animals", "Cat"])
    assert eng.tags.confirm(records["motorcycle_left.png"].id, ["Vehicles", "Motorcycle"])
    for mode in ("update", "replace"):
        run(eng, mode=mode)
        assert "Animals/Cat" not in tags_of(eng)["chelsea.png"]
        assert tags_of(eng, "user")["motorcycle_left.png"] == {"Vehicles/Motorcycle"}
        assert "Vehicles/Motorcycle" not in tags_of(eng, "auto")["motorcycle_left.png"]
    eng.tags.add(records["chelsea.png"].id, ["Animals", "Cat"])  # the user changes their mind
    assert tags_of(eng, "user")["chelsea.png"] == {"Animals/Cat"}


def test_a_photo_damaged_after_the_scan_is_an_item_error_and_the_job_completes(eng, tag_tree):
    damaged = tag_tree / "coffee.png"
    damaged.write_bytes(damaged.read_bytes()[:2000])  # changed on disk since the scan
    result = run(eng)
    assert (result.errors, result.done) == (1, len(PHOTOS))
    errors = eng.job_errors(result.job_id)
    assert [Path(e.path).name for e in errors] == ["coffee.png"]
    assert "\n" not in errors[0].reason and "Traceback" not in errors[0].reason
    tags = tags_of(eng)
    assert "Animals/Cat" in tags["chelsea.png"] and not tags["coffee.png"]


def test_cli_runs_the_job_and_lists_tags_as_json(tmp_path, tag_tree):
    lib = ("--library", str(tmp_path / "cli-library"))
    assert termkam_cli(*lib, "scan", str(tag_tree)).returncode == 0
    ran = termkam_cli(*lib, "run", "tags", "--model", "detector", "--batch", "8",
                      "--classes", "Subjects, Vehicles")
    assert ran.returncode == 0, ran.stderr
    assert "tags.auto done" in ran.stdout and ran.stderr == ""
    listed = json.loads(termkam_cli(*lib, "tags", "list", "--json").stdout)["tags"]
    tags = {Path(row["path"]).name: {t["tag"]: t for t in row["tags"]} for row in listed}
    assert set(tags) == {"astronaut.png", "multi_face.jpg", "motorcycle_left.png"}
    person = tags["multi_face.jpg"]["Subjects/Person"]
    assert person["source"] == "auto" and 0.3 <= person["confidence"] <= 1
    bad = termkam_cli(*lib, "run", "tags", "--classes", "Dinosaurs")
    assert bad.returncode == 2 and "unknown tag or group: Dinosaurs" in bad.stderr
    history = termkam_cli(*lib, "jobs").stdout
    assert history.count("tags.auto") == 1  # refused before a job was recorded
    assert "Traceback" not in bad.stdout + bad.stderr
