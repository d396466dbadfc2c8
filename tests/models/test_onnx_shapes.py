"""CenterFace's graph with free sizes (models/onnx_shapes.py): onnxruntime runs it at a
photo's own size and gives what cv2.dnn gives on the file as carried."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import pytest

from models import registry
from models.errors import ModelError
from models.onnx_shapes import with_free_sizes


@pytest.fixture(scope="module")
def carried(tmp_path_factory) -> Path:
    return registry.locate(registry.get("centerface"), tmp_path_factory.mktemp("m"))["model"]


def blob_of(path: Path, width: int) -> np.ndarray:
    """A photo scaled to ``width`` and padded to multiples of 32, as CenterFace takes it."""
    image = cv2.imread(str(path))
    image = cv2.resize(image, (width, round(image.shape[0] * width / image.shape[1])))
    h, w = image.shape[:2]
    padded = cv2.copyMakeBorder(image, 0, -h % 32, 0, -w % 32, cv2.BORDER_CONSTANT)
    return cv2.dnn.blobFromImage(padded, 1.0, padded.shape[1::-1], swapRB=True)


def test_onnxruntime_refuses_the_carried_graph_at_another_size(carried, faces_set):
    session = ort.InferenceSession(str(carried), providers=["CPUExecutionProvider"])
    with pytest.raises(Exception, match="(?i)dimension"):
        session.run(None, {"input.1": blob_of(faces_set["feat/multi_face.jpg"], 640)})


@pytest.mark.parametrize("width", [640, 1000])
def test_free_sizes_give_cv2_dnn_s_outputs_on_a_real_photo(carried, faces_set, width):
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(with_free_sizes(carried.read_bytes()), options,
                                   providers=["CPUExecutionProvider"])
    assert [i.shape[1] for i in session.get_inputs()] == [3]
    assert all(isinstance(d, str) for d in session.get_inputs()[0].shape[2:])
    # no weight is left among the inputs (they keep onnxruntime from folding constants)
    assert [i.name for i in session.get_inputs()] == ["input.1"]
    blob = blob_of(faces_set["feat/multi_face.jpg"], width)
    net = cv2.dnn.readNetFromONNX(str(carried))
    net.setInput(blob)
    expected = net.forward(net.getUnconnectedOutLayersNames())
    got = session.run(None, {"input.1": blob})
    assert [g.shape for g in got] == [e.shape for e in expected]
    assert expected[0].shape[2:] == (blob.shape[2] // 4, blob.shape[3] // 4)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, atol=1e-4)
    assert expected[0].max() > 0.5                  # the photo has faces: a real comparison


def test_what_is_not_an_onnx_model_is_one_model_error():
    with pytest.raises(ModelError, match="not an ONNX model|truncated protobuf"):
        with_free_sizes(b"\x3a\xff")
