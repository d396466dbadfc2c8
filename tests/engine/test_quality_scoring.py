"""Combining detector scores into a 0-100 figure and pick labels, on rules and real photos."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from engine.quality import ACCEPTED, PENDING, REJECTED, QualitySettings, combine, label_for
from models.quality import QualityScores, score_image
from tests import graded

GOOD = QualityScores(blur=0.05, noise=0.05, exposure=0.1, compression=0.02, brisque=0.2)


def test_defaults_and_validation() -> None:
    settings = QualitySettings()
    assert settings.detectors() == {"blur", "noise", "exposure", "compression", "brisque"}
    assert "learned" not in settings.weights()  # no model ships
    assert settings.reject_below < settings.accept_from
    with pytest.raises(ValueError, match="reject_below <= accept_from"):
        QualitySettings(reject_below=70, accept_from=40)
    with pytest.raises(ValueError, match="blur_weight must be between 0 and 5"):
        QualitySettings(blur_weight=-1)
    with pytest.raises(ValueError, match="enable at least one"):
        QualitySettings(detect_blur=False, detect_noise=False, detect_exposure=False,
                        detect_compression=False, detect_brisque=False)
    no_brisque = QualitySettings(brisque_weight=0.0, detect_noise=False)
    assert no_brisque.detectors() == {"blur", "exposure", "compression"}


def test_labels_cut_at_the_thresholds() -> None:
    settings = QualitySettings(reject_below=30, accept_from=60)
    assert label_for(29.99, settings) == REJECTED
    assert label_for(30.0, settings) == PENDING and label_for(59.9, settings) == PENDING
    assert label_for(60.0, settings) == ACCEPTED and label_for(100.0, settings) == ACCEPTED


def test_one_ruinous_defect_sinks_a_photo() -> None:
    settings = QualitySettings()
    good = combine(GOOD, settings)
    assert good.label == ACCEPTED and good.quality > 60
    blurred = combine(dataclasses.replace(GOOD, blur=0.98), settings)
    assert blurred.label == REJECTED and blurred.quality < 5
    assert blurred.defects["blur"] == 0.98
    # without the blur detector the same photo is fine again
    assert combine(dataclasses.replace(GOOD, blur=0.98),
                   QualitySettings(detect_blur=False)).label == ACCEPTED
    half = combine(dataclasses.replace(GOOD, blur=0.75), QualitySettings(blur_weight=0.5))
    full = combine(dataclasses.replace(GOOD, blur=0.75), settings)
    assert full.quality < half.quality and half.quality == pytest.approx(full.quality * 2, rel=0.01)


def test_learned_goodness_and_missing_scores() -> None:
    settings = QualitySettings(detect_learned=True)
    plain = combine(GOOD, settings)
    liked, disliked = combine(GOOD, settings, learned=0.9), combine(GOOD, settings, learned=0.1)
    assert liked.quality == pytest.approx(plain.quality * 0.9, rel=1e-3)
    assert disliked.label == REJECTED and disliked.defects["learned"] == pytest.approx(0.9)
    assert "learned" not in combine(GOOD, QualitySettings(), learned=0.1).defects
    only_blur = QualitySettings(detect_noise=False, detect_exposure=False,
                                detect_compression=False, detect_brisque=False)
    with pytest.raises(ValueError, match="none of the enabled"):
        combine(QualityScores(noise=0.1), only_blur)


def test_default_labels_on_graded_photos(objects_set: dict[str, Path],
                                         faces_set: dict[str, Path]) -> None:
    """Clean photos are not rejected; the strongest distortions of each kind are."""
    files = {**objects_set, **faces_set}
    settings = QualitySettings()
    for key in ("skimage/coffee.png", "feat/single_face.jpg", "feat/45-m7-di-ph.jpg"):
        photo = graded.load(files[key])
        clean = combine(score_image(photo, None, settings.detectors()), settings)
        assert clean.label != REJECTED, (key, clean)
        for kind, strongest in graded.STRONGEST.items():
            for copy in graded.copies(photo, kind, strongest):
                verdict = combine(score_image(copy.pixels, copy.jpeg, settings.detectors()),
                                  settings)
                assert verdict.label == REJECTED, (key, kind, copy.level, verdict)


def test_figures_of_many_photos_equal_combine_photo_by_photo():
    import numpy as np

    from engine.quality.scoring import LABELS, figures, labels_for
    from models.quality import DETECTORS, QualityScores

    names = (*sorted(DETECTORS), "learned")
    rng = np.random.default_rng(7)
    defects = rng.random((300, len(names)))
    defects[rng.random(defects.shape) < 0.2] = np.nan      # detectors not run
    defects[0] = np.nan                                     # nothing scored at all
    settings = QualitySettings(brisque_weight=0.5, noise_weight=2.0, detect_learned=True,
                               learned_model="x.onnx", reject_below=40, accept_from=70)
    quality = figures(defects, names, settings)
    assert np.isnan(quality[0])
    for row in range(1, len(defects)):
        values = {n: (None if np.isnan(v) else float(v))
                  for n, v in zip(names, defects[row], strict=True)}
        scores = QualityScores(**{n: values[n] for n in DETECTORS})
        learned = None if values["learned"] is None else 1.0 - values["learned"]
        try:
            verdict = combine(scores, settings, learned)
        except ValueError:
            assert np.isnan(quality[row])
            continue
        assert quality[row] == pytest.approx(verdict.quality, abs=0.011)
        assert LABELS[labels_for(quality[row:row + 1], settings)[0]] == verdict.label
