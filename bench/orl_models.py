"""ORL face benchmark for the face models: detection on ORL, FaceNet accuracy, timings.

Every ORL image goes through the real path: pad (tight 92x112 crops need context), detect,
crop, embed. Figures (shared/DATA.md protocol, 5 seeds):
- closed set: k = 1, 2, 5 confirmed images per person, top-1 accuracy mean +- spread;
- open set: 30 known people (k confirmed each), 10 strangers; the cosine-distance thresholds
  at which >= 99 % of known faces are named correctly and >= 98 % of strangers stay unnamed.
``--sweep`` compares crops, margins, flip and ORL padding; ``--timing`` times the models.

    .venv/bin/python bench/orl_models.py [--sweep] [--timing] [--models-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import samples  # noqa: E402
from models.face_align import pad_border  # noqa: E402
from models.face_detect import DetectedFace, FaceDetector, face_detector  # noqa: E402
from models.face_embed import FaceEmbedder, face_embedder, normalise  # noqa: E402

SEEDS = range(5)
KNOWN_OK, STRANGER_OK = 0.99, 0.98
GRID = np.round(np.arange(0.0, 1.2, 0.005), 3)


def orl_images() -> tuple[list[np.ndarray], np.ndarray]:
    """The 400 ORL images as BGR arrays and their person ids (0..39)."""
    files = samples.fetch_set("orl")
    images, people = [], []
    for key, path in files.items():
        grey = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        images.append(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR))
        people.append(int(key.split("/")[1][1:]) - 1)
    return images, np.array(people)


def prepare(image: np.ndarray, pad: float, upscale: int = 1, fill: str = "mean") -> np.ndarray:
    """ORL image with a border of ``pad`` per side (``fill``), then scaled by ``upscale``."""
    padded = pad_border(image, pad, fill)[0] if pad else image
    if upscale > 1:
        padded = cv2.resize(padded, None, fx=upscale, fy=upscale, interpolation=cv2.INTER_CUBIC)
    return padded


def detect_all(detector: FaceDetector, images: list[np.ndarray]) -> list[DetectedFace]:
    """The best face of every image; exits with a message if one has none."""
    best = []
    for index, image in enumerate(images):
        faces = detector.detect(image)
        if not faces:
            raise SystemExit(f"{detector.model_id}: no face in ORL image {index}")
        best.append(faces[0])
    return best


def embed_views(embedder: FaceEmbedder, images: list[np.ndarray],
                faces: list[DetectedFace]) -> tuple[np.ndarray, np.ndarray]:
    """Unit embeddings of each crop and of its mirror image (flip TTA = their mean)."""
    crops = [embedder.crop(image, face) for image, face in zip(images, faces, strict=True)]
    plain = embedder.embed_crops(crops)
    mirror = embedder.embed_crops([crop[:, ::-1] for crop in crops])
    return plain, mirror


def person_scores(sims: np.ndarray, gallery_people: np.ndarray, vote: str) -> np.ndarray:
    """(queries, 40) per-person similarity: best match, or mean of the top 3."""
    scores = np.full((len(sims), 40), -np.inf)
    for person in np.unique(gallery_people):
        cols = np.sort(sims[:, gallery_people == person], axis=1)[:, ::-1]
        scores[:, person] = cols[:, 0] if vote == "best" else cols[:, :3].mean(axis=1)
    return scores


def split(people: np.ndarray, k: int, rng: np.random.Generator,
          persons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of k confirmed images per person in ``persons``, and of their other images."""
    gallery, query = [], []
    for person in persons:
        own = rng.permutation(np.flatnonzero(people == person))
        gallery.extend(own[:k])
        query.extend(own[k:])
    return np.array(gallery), np.array(query)


def closed_set(vectors: np.ndarray, people: np.ndarray, k: int, vote: str) -> list[float]:
    """Top-1 accuracy per seed."""
    accuracies = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        gallery, query = split(people, k, rng, np.arange(40))
        scores = person_scores(vectors[query] @ vectors[gallery].T, people[gallery], vote)
        accuracies.append(float((scores.argmax(axis=1) == people[query]).mean()))
    return accuracies


def open_set(vectors: np.ndarray, people: np.ndarray, k: int, vote: str
             ) -> tuple[list[tuple[float, float] | None], np.ndarray, np.ndarray]:
    """Per seed, the distance range meeting both targets (None if empty); and per-seed rates
    (known named correctly, strangers unnamed) on GRID."""
    ranges, known_rates, stranger_rates = [], [], []
    for seed in SEEDS:
        rng = np.random.default_rng(1000 + seed)
        order = rng.permutation(40)
        known, strangers = order[:30], order[30:]
        gallery, query = split(people, k, rng, known)
        others = np.flatnonzero(np.isin(people, strangers))
        best = person_scores(vectors[query] @ vectors[gallery].T, people[gallery], vote)
        right = best.argmax(axis=1) == people[query]
        known_dist = 1.0 - best.max(axis=1)
        stranger_dist = 1.0 - person_scores(
            vectors[others] @ vectors[gallery].T, people[gallery], vote).max(axis=1)
        known_ok = ((known_dist[None] <= GRID[:, None]) & right[None]).mean(axis=1)
        stranger_ok = (stranger_dist[None] > GRID[:, None]).mean(axis=1)
        good = GRID[(known_ok >= KNOWN_OK) & (stranger_ok >= STRANGER_OK)]
        ranges.append((float(good.min()), float(good.max())) if len(good) else None)
        known_rates.append(known_ok)
        stranger_rates.append(stranger_ok)
    return ranges, np.array(known_rates), np.array(stranger_rates)


def report(label: str, vectors: np.ndarray, people: np.ndarray, vote: str = "top3",
           full: bool = True) -> None:
    """Print closed-set accuracy for k = 1, 2, 5 and the open-set threshold margins."""
    parts = []
    for k in (1, 2, 5):
        acc = np.array(closed_set(vectors, people, k, vote)) * 100
        parts.append(f"k={k} {acc.mean():6.2f} +- {acc.std():4.2f} (min {acc.min():6.2f})")
    print(f"{label:34s} " + " | ".join(parts), flush=True)
    if not full:
        return
    for k in (1, 2, 5):
        ranges, known, stranger = open_set(vectors, people, k, vote)
        lows = [r[0] for r in ranges if r]
        highs = [r[1] for r in ranges if r]
        common = (max(lows), min(highs)) if len(lows) == len(ranges) else None
        shown = " ".join(f"[{r[0]:.3f},{r[1]:.3f}]" if r else "[none]" for r in ranges)
        line = f"    open set k={k}: per seed {shown}"
        if common and common[0] <= common[1]:
            mid = round((common[0] + common[1]) / 2 / 0.005) * 0.005
            at = int(np.argmin(np.abs(GRID - mid)))
            line += (f"; all seeds [{common[0]:.3f},{common[1]:.3f}], at {mid:.3f}: known named"
                     f" {known[:, at].mean() * 100:.2f} %, strangers unnamed "
                     f"{stranger[:, at].mean() * 100:.2f} %")
        else:
            best = int(np.argmax(known.mean(0) + stranger.mean(0)))
            line += (f"; no common threshold; best mean at {GRID[best]:.3f}: known "
                     f"{known[:, best].mean() * 100:.2f} %, strangers "
                     f"{stranger[:, best].mean() * 100:.2f} %")
        print(line, flush=True)


def sweep(models_dir: Path, images: list[np.ndarray], people: np.ndarray) -> None:
    """Compare detectors, ORL padding, crop modes and margins, with and without flip TTA."""
    centerface = face_detector("centerface", models_dir)
    for pad, upscale in ((0.0, 1), (0.25, 1), (0.5, 1), (0.5, 2)):
        prepared = [prepare(image, pad, upscale) for image in images]
        faces = detect_all(centerface, prepared)
        for mode, margins in (("box", (0.0, 0.1, 0.2)), ("align", (0.0, 0.15, 0.25))):
            for margin in margins:
                embedder = face_embedder("facenet", models_dir, crop_mode=mode, margin=margin)
                plain, mirror = embed_views(embedder, prepared, faces)
                name = f"pad {pad:g} x{upscale} {mode} {margin:g}"
                report(name, plain, people, full=False)
                report(name + " flip", normalise(plain + mirror), people, full=False)
    try:
        yunet = face_detector("yunet", models_dir)
        prepared = [prepare(image, 0.5, 1) for image in images]
        faces = detect_all(yunet, prepared)
    except Exception as error:  # the optional model may be absent: say so and go on
        print(f"yunet skipped: {error}")
        return
    for mode in ("box", "align"):
        embedder = face_embedder("facenet", models_dir, crop_mode=mode)
        plain, mirror = embed_views(embedder, prepared, faces)
        report(f"yunet pad 0.5 {mode}", plain, people, full=False)
        report(f"yunet pad 0.5 {mode} flip", normalise(plain + mirror), people, full=False)


def timing(models_dir: Path) -> None:
    """Detection ms per image at 640 and 1280 px long side; FaceNet ms per face, 1 and 2 threads."""
    photos = samples.fetch_set("faces")
    names = ("feat/multi_face.jpg", "feat/BWPictureHuman.jpg", "feat/single_face.jpg",
             "feat/free-mountain-vector-01.jpg")
    originals = [cv2.imread(str(photos[name])) for name in names]
    for model_id in ("centerface", "yunet"):
        try:
            detector = face_detector(model_id, models_dir, max_side=4096)
            detector.load()
        except Exception as error:
            print(f"{model_id}: {error}")
            continue
        for side in (640, 1280):
            scaled = [cv2.resize(o, None, fx=side / max(o.shape[:2]), fy=side / max(o.shape[:2]),
                                 interpolation=cv2.INTER_AREA) for o in originals]
            detector.detect(scaled[0])
            start = time.perf_counter()
            for _ in range(3):
                for image in scaled:
                    detector.detect(image)
            ms = (time.perf_counter() - start) / (3 * len(scaled)) * 1000
            print(f"{model_id} at {side} px long side: {ms:6.1f} ms per image")
    group = originals[0]
    faces = face_detector("centerface", models_dir).detect(group)
    for threads in (1, 2):
        cv2.setNumThreads(threads)
        embedder = face_embedder("facenet", models_dir)
        crops = [embedder.crop(group, face) for face in faces] * 4
        embedder.embed_crops(crops[:1])
        start = time.perf_counter()
        embedder.embed_crops(crops)
        ms = (time.perf_counter() - start) / len(crops) * 1000
        print(f"facenet {threads} thread(s): {ms:6.1f} ms per face ({len(crops)} faces)")
    cv2.setNumThreads(-1)


def main() -> None:
    """Run the default pipeline report, then the sweep and timing when asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=Path("/nonexistent"))
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--timing", action="store_true")
    args = parser.parse_args()
    images, people = orl_images()
    prepared = [prepare(image, 0.5, 1) for image in images]
    faces = detect_all(face_detector("centerface", args.models_dir), prepared)
    embedder = face_embedder("facenet", args.models_dir)
    plain, mirror = embed_views(embedder, prepared, faces)
    print(f"default: centerface, ORL padded 50 % replicate, facenet {embedder.version}")
    for vote in ("best", "top3"):
        report(f"{vote} match", plain, people, vote)
        report(f"{vote} match + flip", normalise(plain + mirror), people, vote)
    if args.sweep:
        sweep(args.models_dir, images, people)
    if args.timing:
        timing(args.models_dir)


if __name__ == "__main__":
    main()
