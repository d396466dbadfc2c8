"""One check for every setting: the CLI, the Settings pane and the catalog loader refuse the
same values (out of range, NaN, infinite, the wrong type) with the same one-line message; a
bad value stored in the catalog by hand is refused at load, and can be set right."""

from __future__ import annotations

import math
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from engine.engine import Engine
from engine.errors import TermkamError
from engine.faces.settings import FaceSettings
from engine.setting_specs import GROUPS, THRESHOLDS
from tests.helpers import run_job, scanned, termkam_cli
from tests.tui.settings_pilot import entered, settle
from tui.app import TermkamApp
from tui.panes.settings import SettingsPane

# (tool, setting, a good value other than the default, a value to refuse, why)
REFUSED = [("faces", "detect_score", "0.6", "0", "between 0.05 and 1"),
           ("faces", "knn", "5", "0", "between 1 and 50"),
           ("faces", "knn", "5", "-1", "between 1 and 50"),
           ("faces", "recognition_distance", "0.3", "nan", "a finite number"),
           ("faces", "recognition_distance", "0.3", "inf", "a finite number"),
           ("tags", "threshold", "0.3", "nan", "a finite number"),
           ("quality", "reject_below", "20.0", "nan", "a finite number")]


def stored(library: Path, key: str) -> str | None:
    """A setting's JSON text as the catalog holds it (None if not set)."""
    with sqlite3.connect(f"file:{library / 'catalog.db'}?mode=ro", uri=True) as con:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def store_by_hand(library: Path, key: str, text: str) -> None:
    """Write a setting's JSON text straight into the catalog, as sqlite3 would."""
    with sqlite3.connect(library / "catalog.db") as con:
        con.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, text))


def assert_one_line_error(run, says: str) -> None:
    assert run.returncode != 0, run.stdout
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("termkam: ") and says in lines[0], lines


@pytest.mark.parametrize(("tool", "name", "good", "bad", "why"), REFUSED,
                         ids=[f"{t}.{n}={b}" for t, n, _, b, _ in REFUSED])
def test_the_cli_refuses_a_bad_value_and_keeps_the_stored_one(tmp_path, tool, name, good,
                                                               bad, why):
    lib = ["--library", str(tmp_path / "lib")]
    kept = termkam_cli(*lib, tool, "settings", name, good)
    assert kept.returncode == 0 and kept.stdout.splitlines()[0] == f"{name} = {good}", kept
    before = stored(tmp_path / "lib", f"{tool}.{name}")
    refused = termkam_cli(*lib, tool, "settings", name, bad)
    assert_one_line_error(refused, f"{name} must be {why}, not {bad}")
    assert refused.stdout == "" and stored(tmp_path / "lib", f"{tool}.{name}") == before
    shown = termkam_cli(*lib, tool, "settings", name)
    assert shown.returncode == 0 and shown.stdout.splitlines()[0].split() == [name, good]


def test_every_number_setting_has_a_finite_range_the_pane_shows(engine):
    for group in GROUPS.values():
        for setting in fields(group.defaults):
            default = group.default(setting.name)
            if type(default) not in (int, float) or setting.name in group.choices:
                continue
            low, high = group.bounds(setting.name) or (None, None)
            assert low is not None and high is not None, setting.name
            assert math.isfinite(low) and math.isfinite(high) and low <= default <= high
            assert group.validate(setting.name, str(default)) == default
            for bad in (low - 1, high + 1, "nan", "inf", "-inf", "", "x"):
                with pytest.raises(TermkamError, match=f"^{setting.name} must be "):
                    group.validate(setting.name, bad)
    for spec in THRESHOLDS:
        assert (spec.low, spec.high) == (GROUPS[spec.group].bounds(spec.setting)
                                         or (None, None))


def test_a_value_is_checked_against_the_others_as_stored(engine):
    quality = GROUPS["quality"]
    quality.update(engine.library, "accept_from", 50)
    with pytest.raises(TermkamError, match="reject_below <= accept_from"):
        quality.validate("reject_below", 55)
    assert quality.update(engine.library, "reject_below", 45) == 45.0
    assert quality.load().reject_below == 45.0


@pytest.fixture(scope="module")
def faces_library(tmp_path_factory, faces_set) -> Path:
    """A library with the faces of two photos detected, and two of them named."""
    base = tmp_path_factory.mktemp("faces")
    (base / "photos").mkdir()
    for key in ("feat/multi_face.jpg", "feat/single_face.jpg"):
        shutil.copy2(faces_set[key], base / "photos" / key.split("/")[1])
    with Engine(base / "library") as engine:
        scanned(engine, base / "photos")
        run_job(engine, "faces.detect")
        engine.faces.name([face.id for face in engine.faces.find()][:2], "Ada")
    return base / "library"


@pytest.fixture
def library(faces_library, tmp_path) -> Path:
    shutil.copytree(faces_library, tmp_path / "library")
    return tmp_path / "library"


def test_a_bad_value_stored_by_hand_is_refused_at_load_and_can_be_set_right(library):
    lib = ["--library", str(library)]
    with Engine(library) as engine:
        face = str(engine.faces.find(status="unconfirmed")[0].id)
    store_by_hand(library, "faces.knn", "0")
    line = ("termkam: stored setting faces.knn = 0 is invalid (must be between 1 and 50): "
            "set it with `termkam faces settings knn VALUE`")
    evaluation = termkam_cli(*lib, "faces", "eval")
    assert_one_line_error(evaluation, line)
    assert evaluation.stderr.strip() == line
    assert_one_line_error(termkam_cli(*lib, "faces", "confirm", face), line)
    recognize = termkam_cli(*lib, "run", "faces.recognize")
    assert recognize.returncode != 0 and "Traceback" not in recognize.stdout + recognize.stderr
    assert line.removeprefix("termkam: ") in recognize.stdout
    listing = termkam_cli(*lib, "faces", "settings")
    assert listing.returncode != 0 and listing.stderr.strip() == line
    assert "knn                    0  (invalid)" in listing.stdout.splitlines()
    default = f"recognition_distance   {FaceSettings().recognition_distance:g}"
    assert default in listing.stdout.splitlines()
    # another setting can still be changed (its neighbours are checked with the default)
    other = termkam_cli(*lib, "faces", "settings", "recognition_distance", "0.4")
    assert other.stdout.strip() == "recognition_distance = 0.4" and other.stderr.strip() == line
    assert stored(library, "faces.recognition_distance") == "0.4"
    repaired = termkam_cli(*lib, "faces", "settings", "knn", "3")
    assert repaired.returncode == 0 and repaired.stdout.strip() == "knn = 3", repaired.stderr
    evaluation = termkam_cli(*lib, "faces", "eval")
    assert evaluation.returncode == 0 and evaluation.stderr == "", evaluation.stderr
    recognize = termkam_cli(*lib, "run", "faces.recognize")
    assert recognize.returncode == 0 and "faces.recognize done" in recognize.stdout


@pytest.mark.parametrize(("key", "text", "why"), [
    ("tags.threshold", "NaN", "must be a finite number"),
    ("quality.working_side", "10", "must be between 64 and 8192"),
    ("faces.min_face_size", "\"big\"", "must be an integer"),
    ("faces.face_size", "\"huge\"", "must be one of large, medium, small")])
def test_every_kind_of_bad_stored_value_is_named_with_its_fix(engine, key, text, why):
    tool, name = key.split(".")
    store_by_hand(engine.library.folder, key, text)
    with pytest.raises(TermkamError) as error:
        GROUPS[tool].load()
    assert str(error.value) == (f"stored setting {key} = {text} is invalid ({why}): set it "
                                f"with `termkam {tool} settings {name} VALUE`")


def test_stored_values_that_do_not_go_together_are_refused_and_can_be_set_right(engine):
    store_by_hand(engine.library.folder, "quality.accept_from", "20")
    with pytest.raises(TermkamError, match="^stored quality settings do not go together "
                       r"\(need reject_below <= accept_from, got 30 and 20\)"):
        engine.quality.settings()
    engine.quality.set_setting("reject_below", 10)
    assert engine.quality.settings().accept_from == 20.0


# -- the Settings pane --------------------------------------------------------------------
@pytest.fixture
def eng(tmp_path) -> Iterator[Engine]:
    with Engine(tmp_path / "library") as engine:
        yield engine


async def test_the_pane_refuses_what_the_cli_refuses_with_the_same_message(eng, tmp_path):
    cli = ["--library", str(tmp_path / "cli-library")]
    app = TermkamApp(eng, image_protocol="halfcell")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("4")
        await settle(app, pilot)
        pane = app.query_one(SettingsPane)
        pane.DEBOUNCE = 30.0  # only enter saves: nothing typed on the way is kept
        for row, (tool, name), text in (("detect_score", ("faces", "detect_score"), "0"),
                                        ("recognition_distance",
                                         ("faces", "recognition_distance"), "1e999"),
                                        ("tags_threshold", ("tags", "threshold"), "0"),
                                        ("min_face_size", ("faces", "min_face_size"), "-1")):
            line = await entered(app, pilot, row, text)
            refused = termkam_cli(*cli, tool, "settings", name, text)
            assert_one_line_error(refused, line)
            assert refused.stderr.strip() == f"termkam: {line}"
            assert line.startswith(f"{name} must be "), line
    assert eng.faces.settings() == GROUPS["faces"].defaults
    assert eng.tags.settings() == GROUPS["tags"].defaults


async def test_the_pane_opens_on_a_bad_stored_value_and_sets_it_right(eng):
    store_by_hand(eng.library.folder, "faces.detect_score", "0")
    app = TermkamApp(eng, image_protocol="halfcell")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("4")
        await settle(app, pilot)
        problems = app.query_one("#settings-problems", Static)
        assert problems.display and str(problems.render()) == (
            "stored setting faces.detect_score = 0 is invalid (must be between 0.05 and 1): "
            "set it with `termkam faces settings detect_score VALUE`")
        assert app.query_one("#setting-detect_score-input", Input).value == "0.5"
        await entered(app, pilot, "detect_score", "0.6")
        assert not problems.display
    assert eng.faces.settings().detect_score == 0.6
