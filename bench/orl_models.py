"""ORL benchmark of the face models (DATA.md protocol, 5 seeds, best-match vote): each ORL
image is padded, detected, cropped, embedded. Closed set: k = 1, 2, 5 confirmed images per
person, top-1 mean +- spread [worst seed]. Open set: 30 known people, 10 strangers; cosine
distances naming >= 99 % of known faces right and leaving >= 98 % of strangers' unnamed.
``--sweep``: crops, margins, flip, padding, YuNet. ``--timing``: speed on real photos.

    .venv/bin/python bench/orl_models.py [--sweep] [--timing] [--models-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import config, samples  # noqa: E402
from engine.faces.settings import FaceSettings  # noqa: E402
from models.face_align import pad_border  # noqa: E402
from models.face_detect import DETECTORS, DetectedFace, FaceDetector, face_detector  # noqa: E402
from models.face_embed import face_embedder, normalise  # noqa: E402

SEEDS = range(5)
ORL_PREP = (0.5, 2, "replicate")  # border per side, upscale, fill: all 400 found at 0.5
KNOWN_OK, STRANGER_OK = 0.99, 0.98
GRID = np.round(np.arange(0.0, 1.2, 0.005), 3)


def read(path: Path) -> np.ndarray:
    """An image as BGR (grey files too); exits naming the file if it cannot be read."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert image is not None, f"cannot read {path}"
    return image


def orl_images() -> tuple[list[np.ndarray], np.ndarray]:
    """The 400 ORL images as BGR arrays and their person ids (0..39)."""
    files = samples.fetch_set("orl")
    images = [read(path) for path in files.values()]
    return images, np.array([int(key.split("/")[1][1:]) - 1 for key in files])


def prepare(image: np.ndarray, pad: float, upscale: int = 1, fill: str = "replicate"
            ) -> np.ndarray:
    """ORL image with a border of ``pad`` per side (``fill``), then scaled by ``upscale``."""
    padded = pad_border(image, pad, fill)[0] if pad else image
    return cv2.resize(padded, None, fx=upscale, fy=upscale, interpolation=cv2.INTER_CUBIC)


def detect_all(detector: FaceDetector, images: list[np.ndarray]
               ) -> tuple[list[DetectedFace], str]:
    """The best face of every image, searched down to score 0.1, and a line saying how many
    score at least the detector's own threshold; ValueError if an image has no face at all."""
    best = []
    for index, image in enumerate(images):
        faces = detector.detect(image, min_score=0.1)
        if not faces:
            raise ValueError(f"{detector.model_id}: no face in ORL image {index}")
        best.append(faces[0])
    found = sum(face.score >= detector.min_score for face in best)
    return best, (f"{detector.model_id} found {found}/{len(best)} at score >= "
                  f"{detector.min_score:g} (lowest {min(f.score for f in best):.3f})")


def embed_views(models_dir: Path, images: list[np.ndarray], faces: list[DetectedFace],
                mode: str, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """Unit embeddings of each crop and of its mirror image (flip TTA = their mean)."""
    embedder = face_embedder("facenet", models_dir, crop_mode=mode, margin=margin, flip=False)
    crops = [embedder.crop(image, face) for image, face in zip(images, faces, strict=True)]
    plain = embedder.embed_crops(crops)
    mirror = embedder.embed_crops([np.ascontiguousarray(crop[:, ::-1]) for crop in crops])
    return plain, mirror


def person_scores(sims: np.ndarray, gallery_people: np.ndarray) -> np.ndarray:
    """(queries, 40) per-person similarity: the best match among that person's images."""
    scores = np.full((len(sims), 40), -np.inf)
    for person in np.unique(gallery_people):
        scores[:, person] = sims[:, gallery_people == person].max(axis=1)
    return scores


def split(people: np.ndarray, k: int, rng: np.random.Generator,
          persons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of k confirmed images per person in ``persons``, and of their other images."""
    shuffled = np.array([rng.permutation(np.flatnonzero(people == p)) for p in persons])
    return shuffled[:, :k].ravel(), shuffled[:, k:].ravel()


def closed_set(vectors: np.ndarray, people: np.ndarray, k: int) -> list[float]:
    """Top-1 accuracy per seed."""
    accuracies = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        gallery, query = split(people, k, rng, np.arange(40))
        scores = person_scores(vectors[query] @ vectors[gallery].T, people[gallery])
        accuracies.append(float((scores.argmax(axis=1) == people[query]).mean()))
    return accuracies


def open_set(vectors: np.ndarray, people: np.ndarray, k: int
             ) -> tuple[list[tuple[float, float] | None], np.ndarray, np.ndarray]:
    """Per seed, the distance range meeting both targets (None if empty); and per-seed rates
    (known named correctly, strangers unnamed) on GRID."""
    ranges, known_rates, stranger_rates = [], [], []  # known: named right; strangers: not
    for seed in SEEDS:
        rng = np.random.default_rng(1000 + seed)
        order = rng.permutation(40)
        known, strangers = order[:30], order[30:]
        gallery, query = split(people, k, rng, known)
        others = np.flatnonzero(np.isin(people, strangers))
        best = person_scores(vectors[query] @ vectors[gallery].T, people[gallery])
        right = best.argmax(axis=1) == people[query]
        known_dist = 1.0 - best.max(axis=1)
        stranger_dist = 1.0 - person_scores(
            vectors[others] @ vectors[gallery].T, people[gallery]).max(axis=1)
        known_ok = ((known_dist[None] <= GRID[:, None]) & right[None]).mean(axis=1)
        stranger_ok = (stranger_dist[None] > GRID[:, None]).mean(axis=1)
        good = GRID[(known_ok >= KNOWN_OK) & (stranger_ok >= STRANGER_OK)]
        ranges.append((float(good.min()), float(good.max())) if len(good) else None)
        known_rates.append(known_ok)
        stranger_rates.append(stranger_ok)
    return ranges, np.array(known_rates), np.array(stranger_rates)


def open_line(vectors: np.ndarray, people: np.ndarray, k: int, at: float | None = None) -> str:
    """Open-set summary: per-seed threshold ranges, the range common to all seeds, and the
    rates there (or at the distance ``at``; else at the best worst-seed threshold)."""
    ranges, known, stranger = open_set(vectors, people, k)
    lows, highs = [r[0] for r in ranges if r], [r[1] for r in ranges if r]
    common = len(lows) == len(ranges) and max(lows) <= min(highs)
    slack = np.minimum(known - KNOWN_OK, stranger - STRANGER_OK).min(axis=0)
    i = (int(np.argmin(np.abs(GRID - at))) if at is not None else
         int(np.argmin(np.abs(GRID - (max(lows) + min(highs)) / 2))) if common else
         int(np.argmax(slack)))
    where = (f"at the engine's distance {at:g}" if at is not None else
             f"common [{max(lows):.3f},{min(highs):.3f}], at {GRID[i]:.3f}" if common else
             f"no common threshold; best worst-seed at {GRID[i]:.3f}")
    shown = " ".join(f"[{r[0]:.3f},{r[1]:.3f}]" if r else "[none]" for r in ranges)
    return (f"open k={k}: seeds ok {len(lows)}/5 {shown}; {where}: known named "
            f"{known[:, i].mean() * 100:.2f} % (worst {known[:, i].min() * 100:.1f}), "
            f"strangers unnamed {stranger[:, i].mean() * 100:.2f} % "
            f"(worst {stranger[:, i].min() * 100:.1f})")


def report(label: str, vectors: np.ndarray, people: np.ndarray,
           opens: tuple[int, ...] = (1, 2, 5), at: float | None = None) -> None:
    """Closed-set accuracy for k = 1, 2, 5, open-set lines for ``opens`` and for k=2 at the
    distance ``at``."""
    parts = []
    for k in (1, 2, 5):
        acc = np.array(closed_set(vectors, people, k)) * 100
        parts.append(f"k={k} {acc.mean():6.2f} +- {acc.std():4.2f} [{acc.min():6.2f}]")
    print(f"{label:30s} " + " | ".join(parts), flush=True)
    for k in opens:
        print("    " + open_line(vectors, people, k), flush=True)
    if at is not None:
        print("    " + open_line(vectors, people, 2, at), flush=True)


def variant(models_dir: Path, images: list[np.ndarray], people: np.ndarray, detector_id: str,
            prep: tuple[float, int, str], crops: tuple[tuple[str, float], ...]) -> None:
    """Closed set (and open set k=2) for each crop of one detector + ORL preparation."""
    pad, upscale, fill = prep
    prepared = [prepare(image, pad, upscale, fill) for image in images]
    try:  # the optional model may be absent
        faces, found = detect_all(face_detector(detector_id, models_dir), prepared)
    except Exception as error:
        faces, found = [], str(error)
    print(f"pad {pad:g} {fill} x{upscale}: {found}")
    for mode, margin in crops if faces else ():
        plain, mirror = embed_views(models_dir, prepared, faces, mode, margin)
        name = f"{detector_id} pad {pad:g} {fill} x{upscale} {mode} {margin:g}"
        report(name, plain, people, opens=(2,))
        report(name + " flip", normalise(plain + mirror), people, opens=(2,))


def sweep(models_dir: Path, images: list[np.ndarray], people: np.ndarray) -> None:
    """Compare ORL preparations, crops and margins, flip TTA, and YuNet."""
    print("\n# sweep")
    crops = tuple((mode, m) for mode in ("box", "align") for m in (0.0, 0.05, 0.1, 0.15))
    variant(models_dir, images, people, "centerface", (0.5, 2, "replicate"), crops)
    for prep in ((0.5, 1, "replicate"), (0.5, 2, "mean"), (0.0, 1, "none")):
        variant(models_dir, images, people, "centerface", prep, (("box", 0.05),))
    variant(models_dir, images, people, "yunet", (0.5, 2, "replicate"),
            (("box", 0.05), ("align", 0.05)))


def _median_ms(run: Callable[[Any], object], items: list[Any]) -> float:
    """Median milliseconds of ``run(item)`` over 3 rounds of ``items`` (after one warm-up)."""
    run(items[0])
    times = [(time.perf_counter(), run(item), time.perf_counter()) for item in items * 3]
    return float(np.median([end - start for start, _, end in times])) * 1000


def timing(models_dir: Path) -> None:
    """Detection ms per image at 640 and 1280 px long side (OpenCV's default threads); FaceNet
    ms per face with 2 and 1 threads; on the group, soldier, single-face and mountain photos."""
    names = ("multi_face", "BWPictureHuman", "single_face", "free-mountain-vector-01")
    originals = [read(samples.fetch_set("faces")[f"feat/{name}.jpg"]) for name in names]
    for model_id, side in ((m, s) for m in DETECTORS for s in (640, 1280)):
        detector = face_detector(model_id, models_dir, max_side=4096)
        scaled = [cv2.resize(o, None, fx=side / max(o.shape[:2]), fy=side / max(o.shape[:2]),
                             interpolation=cv2.INTER_AREA) for o in originals]
        print(f"{model_id} at {side} px long side: "
              f"{_median_ms(detector.detect, scaled):6.1f} ms per image", flush=True)
    faces = face_detector("centerface", models_dir).detect(originals[0])
    for threads, flip in ((2, False), (2, True), (1, False), (1, True)):
        cv2.setNumThreads(threads)
        embedder = face_embedder("facenet", models_dir, flip=flip)
        crops = [[embedder.crop(originals[0], face)] for face in faces]
        print(f"facenet {threads} thread(s){' + flip' if flip else ''}: "
              f"{_median_ms(embedder.embed_crops, crops):6.1f} ms a face", flush=True)
    cv2.setNumThreads(-1)


def main() -> None:
    """The default pipeline's figures; timing and the sweep when asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=config.models_dir())
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--timing", action="store_true")
    args = parser.parse_args()
    if args.timing:
        timing(args.models_dir)
    images, people = orl_images()
    prepared = [prepare(image, *ORL_PREP) for image in images]
    faces, found = detect_all(face_detector("centerface", args.models_dir), prepared)
    embedder = face_embedder("facenet", args.models_dir)
    plain, mirror = embed_views(args.models_dir, prepared, faces, embedder.crop_mode,
                                embedder.margin)
    default = normalise(plain + mirror) if embedder.flip else plain
    print(f"ORL + {ORL_PREP[0]:g} border ({ORL_PREP[2]}) x{ORL_PREP[1]}: {found}; "
          f"embedder {embedder.version}")
    report("default", default, people, at=FaceSettings().recognition_distance)
    report("without flip", plain, people, opens=(2,))
    report("minus the mean embedding", normalise(default - default.mean(axis=0)), people)
    if args.sweep:
        sweep(args.models_dir, images, people)


if __name__ == "__main__":
    main()
