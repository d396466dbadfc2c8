"""Learning from the user's verdicts on auto tags: `termkam tags eval` reports them, and a
removed tag asks for more confidence on the next run, never losing a confirmed one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.catalog.tag_verdicts import TagVerdicts
from engine.engine import Engine
from engine.tagging.learning import learnt
from tests.helpers import run_job, scanned, termkam_cli

CAT = ["Animals", "Cat"]


@pytest.fixture
def cats(tmp_path: Path, objects_set) -> Path:
    """Three photos of the same cat: what the models see on one they see on the others."""
    root = tmp_path / "photos"
    root.mkdir()
    for name in ("a.png", "b.png", "c.png"):
        shutil.copy2(objects_set["skimage/chelsea.png"], root / name)
    return root


def ids(engine: Engine) -> dict[str, int]:
    return {Path(record.path).name: record.id for record, _ in engine.tags.tagged_images()}


def cat_on(engine: Engine, name: str) -> str | None:
    """The source of the photo's cat tag, or None."""
    record_id = ids(engine)[name]
    return next((t.source for record, tags in engine.tags.tagged_images()
                 if record.id == record_id for t in tags if list(t.path) == CAT), None)


def tag(engine: Engine, *names: str, mode: str = "update") -> None:
    images = [image_id for name, image_id in ids(engine).items() if name in names]
    assert run_job(engine, "tags.auto", images=images, mode=mode).state == "done"


def test_learnt_minimum_sits_above_removals_and_never_above_a_confirmation() -> None:
    removed_only = TagVerdicts("Clothing/Tie", 0, 2, 5, None, 0.79)
    both = TagVerdicts("Animals/Dog", 3, 1, 0, 0.62, 0.9)
    untouched = TagVerdicts("Animals/Cat", 4, 0, 1, 0.5, None)
    found = {item.tag: item.minimum for item in learnt([removed_only, both, untouched])}
    assert found == {"Clothing/Tie": 0.8, "Animals/Dog": 0.62}
    assert both.precision == 0.75 and untouched.precision == 1.0


def test_a_removed_tag_is_not_given_again_to_the_same_sight(tmp_path: Path, cats: Path) -> None:
    with Engine(tmp_path / "library") as engine:
        scanned(engine, cats)
        tag(engine, "a.png")
        assert cat_on(engine, "a.png") == "auto"
        assert engine.tags.remove(ids(engine)["a.png"], CAT)     # the user says: wrong
        preview = engine.tuning.learning_preview(True)
        assert [(item.tag, item.removed) for item in preview.learnt] == [("Animals/Cat", 1)]
        tag(engine, "b.png")
        assert cat_on(engine, "b.png") is None                    # learnt: not again
        assert engine.tags.set_setting("learn", False) is False
        tag(engine, "b.png")
        assert cat_on(engine, "b.png") == "auto"                  # off: only a.png is spared
        assert cat_on(engine, "a.png") is None


def test_learning_never_costs_a_confirmed_tag(tmp_path: Path, cats: Path) -> None:
    with Engine(tmp_path / "library") as engine:
        scanned(engine, cats)
        tag(engine, "a.png", "c.png")
        assert engine.tags.confirm(ids(engine)["c.png"], CAT)    # right on c
        assert engine.tags.remove(ids(engine)["a.png"], CAT)     # wrong on a, same sight
        tag(engine, "b.png")
        assert cat_on(engine, "b.png") == "auto"      # the confirmation caps the minimum
        assert cat_on(engine, "c.png") == "user"


def test_tags_eval_reports_the_verdicts(tmp_path: Path, cats: Path) -> None:
    lib = ("--library", str(tmp_path / "library"))
    assert termkam_cli(*lib, "scan", str(cats)).returncode == 0
    assert "no auto tag confirmed or removed" in termkam_cli(*lib, "tags", "eval").stdout
    assert termkam_cli(*lib, "run", "tags").returncode == 0
    assert termkam_cli(*lib, "tags", "confirm", str(cats / "c.png"), "Animals/Cat"
                       ).returncode == 0
    assert termkam_cli(*lib, "tags", "remove", str(cats / "a.png"), "Animals/Cat"
                       ).returncode == 0
    shown = termkam_cli(*lib, "tags", "eval")
    assert shown.returncode == 0, shown.stderr
    row = next(line.split() for line in shown.stdout.splitlines()
               if line.startswith("Animals/Cat"))
    assert row[1:5] == ["1", "1", "1", "50%"]
    assert "1 confirmed, 1 removed: precision 50.0%" in shown.stdout
    data = json.loads(termkam_cli(*lib, "tags", "eval", "--json").stdout)
    assert data["schema"] == 1
    cat = next(item for item in data["tag_eval"] if item["tag"] == "Animals/Cat")
    assert (cat["confirmed"], cat["removed"], cat["pending"]) == (1, 1, 1)
    assert cat["learnt_minimum"] == pytest.approx(cat["lowest_confirmed"])
