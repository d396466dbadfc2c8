"""Shared fixtures: real sample photos (fetched once by engine.samples), throw-away libraries,
and an environment that keeps tests away from the user's own data dir."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import samples

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def _shared_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One models dir for the session: FaceNet's translation is made once, not per test."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                   _shared_models_dir: Path) -> None:
    """No test writes into the real XDG data dir; sample downloads stay cached. Optional
    models are installed by tests into their own dirs only, so this one holds none."""
    data = tmp_path_factory.mktemp("xdg-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    for variable in ("TERMKAM_THREADS", "TERMKAM_LOG_LEVEL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.delenv("TERMKAM_LIBRARY", raising=False)
    monkeypatch.setenv("TERMKAM_MODELS_DIR", str(_shared_models_dir))


@pytest.fixture(scope="session")
def faces_set() -> dict[str, Path]:
    return samples.fetch_set("faces")


@pytest.fixture(scope="session")
def objects_set() -> dict[str, Path]:
    return samples.fetch_set("objects")


@pytest.fixture(scope="session")
def metadata_set() -> dict[str, Path]:
    return samples.fetch_set("metadata")


@pytest.fixture
def photo_tree(tmp_path: Path, faces_set: dict[str, Path],
               objects_set: dict[str, Path]) -> Path:
    """A small collection of real photos in albums: people/, things/, things/animals/."""
    root = tmp_path / "photos"
    layout = {"people": [k for k in faces_set if "face" in k or "ph.jpg" in k],
              "things": ["skimage/coffee.png", "skimage/rocket.jpg"],
              "things/animals": ["skimage/chelsea.png"],
              "landscapes": ["feat/free-mountain-vector-01.jpg"]}
    everything = {**faces_set, **objects_set}
    for album, keys in layout.items():
        (root / album).mkdir(parents=True, exist_ok=True)
        for key in keys:
            shutil.copy2(everything[key], root / album / Path(key).name)
    return root


@pytest.fixture
def face_photos(tmp_path: Path, faces_set: dict[str, Path]) -> Path:
    """A folder of two real photos with faces: a group of five people and a portrait."""
    folder = tmp_path / "face-photos"
    folder.mkdir()
    for key in ("feat/multi_face.jpg", "feat/single_face.jpg"):
        shutil.copy2(faces_set[key], folder / Path(key).name)
    return folder


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[object]:
    from engine.engine import Engine

    eng = Engine(tmp_path / "library")
    try:
        yield eng
    finally:
        eng.close()


@pytest.fixture(scope="module")
def people_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of ORL faces and a group photo, faces detected, two people named, built
    once per test module (bench.tmux_check.build_people_library)."""
    from bench.tmux_check import build_people_library

    return build_people_library(tmp_path_factory.mktemp("people"))


@pytest.fixture
def people_copy(people_library: Path, tmp_path: Path) -> Path:
    """A copy of the module's people library for one test (its photos are shared)."""
    shutil.copytree(people_library, tmp_path / "library")
    return tmp_path / "library"
