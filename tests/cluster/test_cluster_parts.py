"""The cluster's small rules: which addresses are allowed, how a share is mapped, which
execution providers a worker asks for, which workers may take a job's photos."""

from __future__ import annotations

import pytest

from engine.analysis import Reply
from engine.catalog.records import ImageRecord
from engine.cluster.address import checked_address, parse_address
from engine.cluster.executor import lacking, refusal
from engine.cluster.transfer import PathMap, mismatch
from engine.errors import ItemError, TermkamError
from models.runtimes import execution_providers, provider_preference


@pytest.mark.parametrize("text, expected", [
    ("tls://desktop.lan:8786", "tls://desktop.lan:8786"),
    ("tcp://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("localhost:8786", "tcp://localhost:8786"),
    ("tls://[::1]:9000", "tls://[::1]:9000")])
def test_addresses_are_read_with_their_scheme(text: str, expected: str) -> None:
    assert str(parse_address(text)) == expected


@pytest.mark.parametrize("text", ["http://desktop:8786", "tls://desktop", "tcp://:8786",
                                  "tls://desktop:99999", "desktop"])
def test_malformed_addresses_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="cluster address"):
        parse_address(text)


def test_only_loopback_or_tls_go_without_insecure() -> None:
    assert checked_address("tcp://127.0.0.1:8786", False)[1] is None
    assert checked_address("tcp://[::1]:8786", False)[1] is None
    assert checked_address("tls://10.0.0.5:8786", False)[1] is None
    with pytest.raises(TermkamError, match="unencrypted"):
        checked_address("tcp://10.0.0.5:8786", False)
    with pytest.raises(TermkamError, match="unencrypted"):
        checked_address("desktop:8786", False)
    address, warning = checked_address("tcp://10.0.0.5:8786", True)
    assert str(address) == "tcp://10.0.0.5:8786" and "unencrypted" in (warning or "")


def test_a_path_map_moves_the_prefix_and_refuses_other_folders() -> None:
    mapped = PathMap.parse("/srv/photos/=/mnt/nas photos")
    assert mapped.worker_path("/srv/photos/2024/a b.jpg") == "/mnt/nas photos/2024/a b.jpg"
    with pytest.raises(ItemError, match="not under the mapped folder /srv/photos"):
        mapped.worker_path("/srv/photos-old/x.jpg")
    for text in ("/srv/photos", "=/mnt", "/srv="):
        with pytest.raises(ValueError, match="SERVER_PREFIX=WORKER_PREFIX"):
            PathMap.parse(text)


def _record(size: int, digest: str | None) -> ImageRecord:
    return ImageRecord(1, "/p/a.jpg", 1, "a.jpg", "image", "jpeg", size, 0, digest, 10, 10, 1,
                       None, None, None, None, None, None, None, "ok", None)


def test_the_worker_must_have_read_the_catalogued_bytes() -> None:
    assert mismatch(_record(100, "abc"), Reply(1, "x", None, 100, "abc")) is None
    assert "100 bytes, catalogued 90" in (mismatch(_record(90, "abc"),
                                                   Reply(1, "x", None, 100, "abc")) or "")
    assert "other content" in (mismatch(_record(100, "abd"),
                                        Reply(1, "x", None, 100, "abc")) or "")
    assert mismatch(_record(100, "abc"), Reply(1, None, "unreadable")) is None


def test_provider_preferences_keep_cpu_last(monkeypatch: pytest.MonkeyPatch) -> None:
    assert provider_preference("CUDA, cpu") == ["CUDAExecutionProvider", "CPUExecutionProvider"]
    with pytest.raises(ValueError, match="unknown execution provider gpu"):
        provider_preference("gpu,cpu")
    monkeypatch.setenv("TERMKAM_PROVIDERS", "cuda,cpu")
    # this onnxruntime build has no CUDA: the preference falls back to the CPU
    assert execution_providers() == ["CPUExecutionProvider"]


def test_workers_lacking_a_model_or_termkam_are_named() -> None:
    needed = {"termkam": 1, "model:centerface": 1, "model:facenet": 1}
    full = {"resources": {"termkam": 2, "model:centerface": 2, "model:facenet": 2}}
    assert lacking(full, needed) == []
    partial = {"name": "nas", "resources": {"termkam": 1, "model:centerface": 1}}
    assert lacking(partial, needed) == ["model:facenet"]
    assert refusal("tcp://h:1", partial, ["model:facenet"]).startswith("nas has no facenet")
    plain = {"resources": {}}
    assert "is not a termkam worker" in refusal("tcp://h:1", plain, lacking(plain, needed))
    older = {"resources": {"termkam": 1, "termkam:0.0.9": 1, "model:centerface": 1,
                           "model:facenet": 1}}
    with_version = {**needed, "termkam:0.1.0": 1}
    assert lacking(older, with_version) == ["termkam:0.1.0"]
    assert "runs another termkam version (this job's is 0.1.0)" in refusal(
        "tcp://h:1", older, lacking(older, with_version))
