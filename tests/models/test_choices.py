"""The model ids settings offer (models.choices) are exactly the ones the model code runs."""

from __future__ import annotations

from models import choices, classify, face_detect, face_embed, object_detect, quality


def test_choices_match_the_model_code() -> None:
    assert tuple(face_detect.DETECTORS) == choices.FACE_DETECTORS
    assert tuple(object_detect.DETECTORS) == choices.OBJECT_DETECTORS
    assert face_embed.EMBEDDERS == choices.FACE_EMBEDDERS
    assert classify.CLASSIFIERS == choices.CLASSIFIERS
    assert quality.DETECTORS == choices.QUALITY_DETECTORS   # score_image runs these
    # each is a score field of the results (tests/models/test_quality runs them on a photo)
    assert set(quality.QualityScores(**dict.fromkeys(choices.QUALITY_DETECTORS, 0.5)
                                     ).defects()) == choices.QUALITY_DETECTORS
