"""FaceNet's TF graph translated for onnxruntime (models/tf_to_onnx.py, models/translated.py):
the embeddings cv2.dnn gives on the carried file, in batches, made once and kept."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from engine import samples
from models import registry
from models.errors import ModelError
from models.face_embed import blob
from models.protobuf import field
from models.runtimes import ort_session
from models.tf_to_onnx import translate
from models.translated import translated_model, translated_path

FACENET = registry.get("facenet")


@pytest.fixture(scope="module")
def carried(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return registry.locate(FACENET, tmp_path_factory.mktemp("m"))["model"]


@pytest.fixture(scope="module")
def orl_faces() -> np.ndarray:
    """Twelve ORL faces of six people as FaceNet inputs (N x 3 x 160 x 160)."""
    files = samples.fetch_set("orl")
    keys = [f"orl/s{person}/{shot}.pgm" for person in range(1, 7) for shot in (1, 2)]
    crops = [cv2.cvtColor(cv2.imread(str(files[key]), cv2.IMREAD_GRAYSCALE),
                          cv2.COLOR_GRAY2BGR) for key in keys]
    return np.concatenate([blob(crop) for crop in crops])


def test_translation_gives_cv2_dnn_s_embeddings_in_one_batch(carried, orl_faces, tmp_path):
    net = cv2.dnn.readNetFromTensorflow(str(carried))
    expected = []
    for face in orl_faces:
        net.setInput(face[None])
        expected.append(net.forward().reshape(-1))
    session = ort_session(translated_model(FACENET, carried, tmp_path), threads=2)
    got = session.run(None, {"input": orl_faces})[0]
    np.testing.assert_allclose(got, np.array(expected), atol=1e-5)
    assert (got @ got.T).min() < 0.7                   # faces differ: a real comparison


def test_translation_is_kept_and_reused(carried, tmp_path):
    kept = translated_model(FACENET, carried, tmp_path)
    assert kept == translated_path(FACENET, tmp_path) and kept.stat().st_size == \
        FACENET.translation.size
    before = kept.stat().st_mtime_ns
    assert translated_model(FACENET, carried, tmp_path) == kept
    assert kept.stat().st_mtime_ns == before            # not translated again
    kept.write_bytes(b"\0" * FACENET.translation.size)  # damaged: made again
    assert translated_model(FACENET, carried, tmp_path) == kept
    assert kept.read_bytes()[:4] != b"\0\0\0\0"
    assert [p.name for p in tmp_path.iterdir()] == [kept.name]  # no temporary file left


def test_a_models_dir_that_cannot_be_made_translates_in_memory(carried, tmp_path):
    (tmp_path / "a file").write_text("")
    model = translated_model(FACENET, carried, tmp_path / "a file" / "models")
    assert isinstance(model, bytes) and len(model) == FACENET.translation.size


def test_a_changed_carried_file_is_refused(carried, tmp_path):
    changed = tmp_path / "graph_final.pb"
    data = bytearray(carried.read_bytes())
    data[-1] ^= 1
    changed.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="not the file its package carries"):
        translated_model(FACENET, changed, tmp_path / "models")


def _node(name: str, op: str, *inputs: str) -> bytes:
    return field(1, field(1, name) + field(2, op) + b"".join(field(3, i) for i in inputs))


def test_an_unknown_operation_is_one_model_error():
    graph = _node("input", "Placeholder") + _node("out", "Softmax", "input")
    with pytest.raises(ModelError, match="operation Softmax .out. is not supported"):
        translate(graph, "input", "out", (8, 8))
    with pytest.raises(ModelError, match="no input placeholder 'image'"):
        translate(graph, "image", "out", (8, 8))
