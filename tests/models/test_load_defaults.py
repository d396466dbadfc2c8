"""Every model loads with its runtime and one forward pass gives the documented shapes.

Optional models are installed from the mirror into a tmp dir.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from models import registry, runtimes
from models.base import InferenceModel, collect
from models.errors import ModelMissing

DEFAULTS = [
    spec for spec in registry.REGISTRY.values()
    if spec.default and spec.runtime in ("cv2.dnn", "onnxruntime")
]


@pytest.mark.parametrize("spec", DEFAULTS, ids=lambda spec: spec.id)
def test_default_model_loads(spec: registry.ModelSpec, tmp_path: Path) -> None:
    loaded, seconds = runtimes.load_timed(spec, tmp_path)
    assert loaded["model"] is not None and seconds < 30


def test_centerface_forward(tmp_path: Path) -> None:
    (session,) = runtimes.load_timed(registry.get("centerface"), tmp_path)[0].values()
    image = np.zeros((480, 640, 3), np.uint8)
    blob = cv2.dnn.blobFromImage(image, 1.0, (640, 480), swapRB=True)
    heatmap, scale, offset, landmarks = session.run(None, {"input.1": blob})
    assert heatmap.shape == (1, 1, 120, 160)
    assert scale.shape == offset.shape == (1, 2, 120, 160)
    assert landmarks.shape == (1, 10, 120, 160)
    assert heatmap.min() >= 0.0 and heatmap.max() < 0.5  # no face in a black image


def test_facenet_forward(tmp_path: Path) -> None:
    (session,) = runtimes.load_timed(registry.get("facenet"), tmp_path)[0].values()
    faces = np.random.default_rng(0).normal(size=(3, 3, 160, 160)).astype(np.float32)
    embeddings = session.run(None, {"input": faces})[0]
    assert embeddings.shape == (3, 512)
    np.testing.assert_allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-3)


def test_ssd_forward(tmp_path: Path) -> None:
    (net,) = runtimes.load_timed(registry.get("ssd_mobilenet_v2_coco"), tmp_path)[0].values()
    image = np.zeros((300, 300, 3), np.uint8)
    net.setInput(cv2.dnn.blobFromImage(image, size=(300, 300), swapRB=True))
    detections = net.forward()
    assert detections.ndim == 4 and detections.shape[:2] == (1, 1) and detections.shape[3] == 7


def test_mtcnn_backup_forward(tmp_path: Path) -> None:
    nets = runtimes.load_timed(registry.get("mtcnn"), tmp_path)[0]
    assert set(nets) == {"pnet", "rnet", "onet"}
    nets["pnet"].setInput(np.zeros((1, 120, 100, 3), np.float32))
    boxes, scores = nets["pnet"].forward(nets["pnet"].getUnconnectedOutLayersNames())
    assert boxes.shape == (1, 55, 45, 4) and scores.shape == (1, 55, 45, 2)


def test_brisque_weights(tmp_path: Path) -> None:
    weights = runtimes.load_timed(registry.get("brisque"), tmp_path)[0]
    assert weights["svm"]["sv"].shape == (774, 36)
    assert weights["alpha"]["gamma"].shape == (9801,)


def test_yunet_from_mirror(optional_dir: Path) -> None:
    spec = registry.get("yunet")
    (detector,) = runtimes.load_timed(spec, optional_dir)[0].values()
    assert isinstance(detector, cv2.FaceDetectorYN)
    detector.setInputSize((320, 240))
    _, faces = detector.detect(np.zeros((240, 320, 3), np.uint8))
    assert faces is None or faces.shape[1:] == (15,)


def test_yolox_from_mirror(optional_dir: Path) -> None:
    (session,) = runtimes.load_timed(registry.get("yolox_nano"), optional_dir)[0].values()
    assert session.get_providers() == ["CPUExecutionProvider"]
    (name,) = [i.name for i in session.get_inputs()]
    (output,) = session.run(None, {name: np.full((1, 3, 416, 416), 114, np.float32)})
    assert output.shape == (1, 3549, 85)


def test_efficientnet_needs_litert(tmp_path: Path) -> None:
    spec = registry.get("efficientnet_lite3")
    if importlib.util.find_spec("ai_edge_litert") is None:
        with pytest.raises(ModelMissing, match="`pip install ai-edge-litert`"):
            runtimes.load_timed(spec, tmp_path)
        return
    interpreter = runtimes.load_timed(spec, tmp_path)[0]["model"]
    (inp,), (out,) = interpreter.get_input_details(), interpreter.get_output_details()
    assert list(inp["shape"]) == [1, 280, 280, 3] and list(out["shape"]) == [1, 1000]
    interpreter.set_tensor(inp["index"], np.zeros((1, 280, 280, 3), np.uint8))
    interpreter.invoke()
    assert interpreter.get_tensor(out["index"]).shape == (1, 1000)


def test_corrupt_weights_are_one_line_model_errors(tmp_path: Path) -> None:
    spec = registry.get("yolox_nano")
    (tmp_path / "yolox_nano.onnx").write_bytes(b"\0" * spec.size_bytes)
    with pytest.raises(registry.ModelError) as error:
        runtimes.load_timed(spec, tmp_path)
    assert str(error.value).startswith("object detector 'yolox_nano' could not be loaded by")
    assert "\n" not in str(error.value)


class _RNetScores(InferenceModel):
    """MTCNN's refine net run through onnxruntime; face probability per 24x24 crop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loads = 0
        self.chunks: list[int] = []

    def _load(self, paths: Any) -> None:
        self.loads += 1
        time.sleep(0.05)  # widen the window for racing loaders
        super()._load({"rnet": paths["rnet"]})

    def _predict_batch(self, items: list[np.ndarray]) -> np.ndarray:
        self.chunks.append(len(items))
        session = self.runtimes["rnet"]
        _, probs = session.run(None, {session.get_inputs()[0].name: np.stack(items)})
        return probs


def test_inference_model_loads_once_and_batches(tmp_path: Path) -> None:
    spec = dataclasses.replace(registry.get("mtcnn"), runtime="onnxruntime")
    model = _RNetScores(spec, tmp_path, batch_size=2, threads=1)
    crops = [np.random.default_rng(i).random((24, 24, 3), np.float32) for i in range(5)]
    threads = [threading.Thread(target=model.load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert model.loads == 1 and model.loaded and model.load_seconds
    probs = model.predict(crops)
    assert probs.shape == (5, 2) and model.chunks == [2, 2, 1]
    one_by_one = np.concatenate([model.predict([crop]) for crop in crops])
    np.testing.assert_allclose(probs, one_by_one, atol=1e-5)
    assert model.predict([]) == []
    assert collect([[1], [2, 3]]) == [1, 2, 3]


def test_inference_model_missing_weights_stays_unloaded(tmp_path: Path) -> None:
    model = _RNetScores(registry.get("yunet"), tmp_path)
    with pytest.raises(ModelMissing, match="termkam models install yunet"):
        model.predict([np.zeros((24, 24, 3), np.float32)])
    assert not model.loaded


def test_real_photos_default_models(
    tmp_path: Path, faces_set: dict[str, Path], objects_set: dict[str, Path]
) -> None:
    """The default runtimes see what is in real photos: 5 faces in a group photo, a cat."""
    group = cv2.imread(str(faces_set["feat/multi_face.jpg"]))
    assert group is not None
    (session,) = runtimes.load_timed(registry.get("centerface"), tmp_path)[0].values()
    h, w = (side // 32 * 32 for side in group.shape[:2])
    blob = cv2.dnn.blobFromImage(cv2.resize(group, (w, h)), 1.0, (w, h), swapRB=True)
    heatmap = session.run(None, {"input.1": blob})[0][0, 0]
    peaks = (heatmap == cv2.dilate(heatmap, np.ones((3, 3)))) & (heatmap > 0.5)
    assert peaks.sum() == 5  # multi_face.jpg has 5 faces
    cat = cv2.imread(str(objects_set["skimage/chelsea.png"]))
    assert cat is not None
    (net,) = runtimes.load_timed(registry.get("ssd_mobilenet_v2_coco"), tmp_path)[0].values()
    net.setInput(cv2.dnn.blobFromImage(cat, size=(300, 300), swapRB=True))
    detections = net.forward()[0, 0]
    best = detections[detections[:, 2].argmax()]
    assert int(best[1]) == 17 and best[2] > 0.5  # COCO-90 id 17 = cat


def test_yunet_real_photo(optional_dir: Path, faces_set: dict[str, Path]) -> None:
    group = cv2.imread(str(faces_set["feat/multi_face.jpg"]))
    assert group is not None
    (detector,) = runtimes.load_timed(registry.get("yunet"), optional_dir)[0].values()
    detector.setInputSize((group.shape[1], group.shape[0]))
    _, faces = detector.detect(group)
    assert faces is not None and len(faces) == 5
