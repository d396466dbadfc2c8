"""The learned-score adapter on tiny ONNX models written here byte by byte (no ``onnx`` package).

Each model is ReduceMean over the spatial axes -> MatMul -> Add (-> Softmax): its output
depends only on the mean of each input channel, so the test can work out the expected
score by hand and prove that the adapter reads layout, size, channel order and outputs right.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.errors import ModelError, ModelMissing
from models.quality_learned import LearnedOptions, LearnedQuality, expected_score
from tests.tiny_onnx import tiny_model

# three classes bad / normal / good from the channel means (R, G, B in model order)
BRIGHT_IS_GOOD = np.array([[-10.0, 0.0, 10.0]] * 3) / 3
BRIGHT_BIAS = np.array([5.0, 0.0, -5.0])


def _expected(channel_means: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> float:
    logits = channel_means @ weights + bias
    p = np.exp(logits - logits.max())
    return float((p / p.sum()) @ np.linspace(0, 1, len(p)))


def _flat(bgr: tuple[int, int, int], size: tuple[int, int] = (40, 30)) -> np.ndarray:
    return np.full((size[1], size[0], 3), bgr, np.uint8)


def test_three_classes_bright_scores_higher(tmp_path: Path) -> None:
    path = tiny_model(tmp_path / "aesthetic.onnx", BRIGHT_IS_GOOD, BRIGHT_BIAS,
                      shape=["N", 3, 24, 32])
    model = LearnedQuality(path)
    bright, dark = model.score(_flat((230, 230, 230))), model.score(_flat((25, 25, 25)))
    assert model.layout == "NCHW" and model.input_size == (32, 24)
    assert bright.score > 0.9 > 0.1 > dark.score and len(bright.outputs) == 3
    assert sum(bright.outputs) == pytest.approx(1.0, abs=1e-5)
    for grey in (25, 128, 200):
        means = np.full(3, grey / 255)
        assert model.score(_flat((grey,) * 3)).score == pytest.approx(
            _expected(means, BRIGHT_IS_GOOD, BRIGHT_BIAS), abs=1e-4)
    batch = model.score_batch([_flat((25,) * 3), _flat((230,) * 3), _flat((128,) * 3)])
    assert [round(s.score, 5) for s in batch] == [round(s.score, 5) for s in (
        dark, bright, model.score(_flat((128,) * 3)))]


def test_nima_distribution_nhwc_and_channel_order(tmp_path: Path) -> None:
    """Ten buckets driven by the red channel only; an NHWC input with a fixed batch of 1."""
    weights = np.zeros((3, 10))
    weights[0] = np.linspace(-6, 6, 10)  # model channel 0 = red when rgb=True
    path = tiny_model(tmp_path / "nima.onnx", weights, np.zeros(10), shape=[1, 20, 28, 3])
    model = LearnedQuality(path)
    red, blue = model.score(_flat((0, 0, 255))), model.score(_flat((255, 0, 0)))
    assert model.layout == "NHWC" and model.input_size == (28, 20) and model.batch_size == 1
    assert red.score == pytest.approx(_expected(np.array([1.0, 0, 0]), weights, np.zeros(10)),
                                      abs=1e-4)
    assert blue.score == pytest.approx(0.5, abs=1e-4) and red.score > 0.8
    as_bgr = LearnedQuality(path, LearnedOptions(rgb=False)).score(_flat((255, 0, 0)))
    assert as_bgr.score == pytest.approx(red.score, abs=1e-4)  # blue fed as channel 0
    assert len(model.score_batch([_flat((0, 0, 255))] * 3)) == 3


def test_scalar_output_and_normalisation(tmp_path: Path) -> None:
    weights = np.array([[1.0], [1.0], [1.0]]) / 3  # mean brightness, dynamic spatial size
    path = tiny_model(tmp_path / "scalar.onnx", weights, np.array([0.0]),
                      shape=["N", 3, "H", "W"], softmax=False)
    model = LearnedQuality(path, LearnedOptions(size=16))
    assert model.score(_flat((51, 51, 51))).score == pytest.approx(0.2, abs=1e-4)
    assert model.input_size == (16, 16)
    centred = LearnedQuality(path, LearnedOptions(mean=(0.5,) * 3, std=(0.25,) * 3,
                                                  scalar_range=(-2.0, 2.0)))
    assert centred.score(_flat((51, 51, 51))).score == pytest.approx((-1.2 + 2) / 4, abs=1e-4)


def test_expected_score_forms() -> None:
    assert expected_score(np.array([0.0, 0.0, 1.0])) == 1.0
    assert expected_score(np.array([0.0, 0.0, 0.0])) == pytest.approx(0.5)  # softmax: uniform
    nima = np.zeros(10)
    nima[6] = 1.0  # all mass on score 7
    assert expected_score(nima) == pytest.approx(6 / 9)
    assert expected_score(np.array([7.0]), (1.0, 10.0)) == pytest.approx(6 / 9)
    assert expected_score(np.array([12.0]), (1.0, 10.0)) == 1.0


def test_missing_and_broken_models(tmp_path: Path) -> None:
    missing = LearnedQuality(tmp_path / "nope.onnx")
    with pytest.raises(ModelMissing) as error:
        missing.score(_flat((1, 2, 3)))
    assert "nope.onnx is missing" in str(error.value) and "\n" not in str(error.value)
    (tmp_path / "garbage.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelError) as error:
        LearnedQuality(tmp_path / "garbage.onnx").load()
    assert "could not be loaded by onnxruntime" in str(error.value)
    assert "\n" not in str(error.value)
    four = tiny_model(tmp_path / "four.onnx", np.ones((4, 3)), BRIGHT_BIAS, shape=["N", 5, 5, 4])
    with pytest.raises(ModelError, match="expected an image input"):
        LearnedQuality(four).load()
