"""Face job benchmark, for each face size: decode-only, detection-only, embedding-only and
the job's times measured in one run over 12 MP scenes with real faces of 80-400 px
(``bench/photos.face_scenes``); name suggestion against 100,000 embeddings; and the
suggestion pass (direct, then through similar faces) over a 100,000-face library.
Against another commit, interleaved: ``bench/faces_vs.py``.

    .venv/bin/python bench/faces.py [--files 60] [--megapixels 12] [--face-sizes medium]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.photos import face_scenes  # noqa: E402
from engine import config  # noqa: E402
from engine.analysis import photo_of  # noqa: E402
from engine.engine import Engine  # noqa: E402
from engine.faces import support  # noqa: E402
from engine.faces.detect_job import FaceFinder, _load  # noqa: E402
from engine.faces.loaders import detector_for, embedder_for  # noqa: E402
from engine.faces.recognition import References, best_persons  # noqa: E402
from engine.faces.settings import FACE_SIZES  # noqa: E402


def job_figures(tree: Path, workers: int, face_size: str = "medium") -> None:
    """One face size: decode only, detection only, embedding only and the job, in one run."""
    library = Path(tempfile.mkdtemp(prefix="termkam-bench-faces-"))
    try:
        with Engine(library) as engine:
            engine.scan([str(tree)]).wait()
            engine.faces.set_setting("face_size", face_size)
            settings = engine.faces.settings()
            records = engine.images()
            # decode only: the pipeline's own load step, same pool size
            start = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                loaded = list(pool.map(lambda r: _load(photo_of(r), settings.decode_side), records))
            decode_s = time.perf_counter() - start
            # models only, as the job calls them: detection (pass + second looks), embedding
            detector, embedder = detector_for(settings), embedder_for(settings)
            start = time.perf_counter()
            detector.load()
            embedder.load()
            load_s = time.perf_counter() - start   # the job loads its own models too
            finder = FaceFinder(detector, embedder, settings)
            finder.detect(loaded[:1])
            embedder.embed_crops([np.zeros((160, 160, 3), np.uint8)])
            start = time.perf_counter()
            found = [[f for f in finder.detect([item])[0]
                      if min(f.box[2], f.box[3]) * item.scale >= settings.min_face_size]
                     for item in loaded]
            detect_s = time.perf_counter() - start
            crops = [embedder.crop(item.pixels, face)
                     for item, faces in zip(loaded, found, strict=True) for face in faces]
            start = time.perf_counter()
            for first in range(0, len(crops), 32):   # the job embeds a batch's faces at once
                embedder.embed_crops(crops[first:first + 32])
            embed_s = time.perf_counter() - start
            del loaded
            start = time.perf_counter()
            result = engine.start("faces.detect").wait()
            wall_s = time.perf_counter() - start
            stored = len(engine.faces.find())
        n, models_s = len(records), detect_s + embed_s
        print(f"face size {face_size} (decode side {settings.decode_side} px), {n} photos, "
              f"{settings.detector} + {settings.embedder}"
              f"{' (mirror)' if settings.mirror else ''}, {workers} decode threads")
        print(f"  decode only:    {decode_s:5.1f} s ({n / decode_s:.1f} images/s)")
        print(f"  detection only: {detect_s:5.1f} s ({1000 * detect_s / n:.0f} ms/image)")
        print(f"  embedding only: {embed_s:5.1f} s ({1000 * embed_s / max(1, len(crops)):.1f} "
              f"ms/face, {len(crops)} faces)")
        print(f"  job:            {wall_s:5.1f} s ({n / wall_s:.2f} images/s, "
              f"{stored / wall_s:.1f} faces/s, {stored} faces) - {result.summary}")
        print(f"  model loading:  {load_s:5.1f} s (part of the job)")
        print(f"  job / (decode + models + loading) = "
              f"{wall_s / (decode_s + models_s + load_s):.2f} (target <= 1.15); "
              f"job / (models + loading) = {wall_s / (models_s + load_s):.2f}")
    finally:
        shutil.rmtree(library, ignore_errors=True)


def suggestion_figures(count: int = 100_000, persons: int = 1000, dim: int = 512) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(count, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    refs = References.build(np.arange(count), rng.integers(0, persons, count), vectors)
    query = vectors[:1] + 0.05 * rng.normal(size=(1, dim)).astype(np.float32)
    query /= np.linalg.norm(query)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        best_persons(query, refs, 3, [set()])
        times.append(time.perf_counter() - start)
    print(f"suggestion for one face against {count:,} embeddings of {persons} persons: "
          f"median {1000 * np.median(times):.1f} ms, max {1000 * max(times):.1f} ms "
          f"(target < 50 ms)")


def library_figures(persons: int = 2000, faces_each: int = 50, known: int = 1000,
                    dim: int = 512, threshold: float = 0.44) -> None:
    """A synthetic library shaped like a real one: each person's faces scattered around
    their own centre (same-person cosine ~0.6), two confirmed faces for half the people."""
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(persons, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    owner = np.repeat(np.arange(persons), faces_each)
    vectors = centres[owner] + 0.8 * rng.normal(size=(len(owner), dim)).astype(
        np.float32) / np.sqrt(dim)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    confirmed = np.zeros(len(owner), bool)
    for person in range(known):
        confirmed[person * faces_each:person * faces_each + 2] = True
    refs = References.build(np.flatnonzero(confirmed), owner[confirmed], vectors[confirmed])
    queries, truth = vectors[~confirmed], owner[~confirmed]
    none: list[set[int]] = [set()] * len(queries)
    start = time.perf_counter()
    best, nearest = best_persons(queries, refs, 3, none)
    person, distance = support.direct(best, nearest, threshold)
    direct = person >= 0
    direct_s = time.perf_counter() - start
    start = time.perf_counter()
    named, _ = support.extend(queries, person, distance, refs, 3, threshold, none,
                              nearest=nearest)
    support_s = time.perf_counter() - start
    start = time.perf_counter()
    support.extend(queries, person, distance, refs, 3, threshold, none, only={7})
    one_s = time.perf_counter() - start
    is_known = truth < known
    print(f"suggestion pass over {len(queries):,} unconfirmed faces, {len(refs):,} references: "
          f"direct {direct_s:.2f} s, through similar faces {support_s:.2f} s "
          f"(after a decision about one person: {1000 * one_s:.0f} ms); known faces named "
          f"right {100 * np.mean(named[is_known] == truth[is_known]):.1f} % "
          f"({100 * direct[is_known].mean():.1f} % directly), strangers unnamed "
          f"{100 * np.mean(named[~is_known] < 0):.1f} %")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--megapixels", type=float, default=12.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tree", type=Path, default=config.cache_home() / "bench-face-scenes",
                        help="where the scenes are built (kept for the next run)")
    parser.add_argument("--face-sizes", default=",".join(FACE_SIZES))
    args = parser.parse_args()
    face_scenes(args.tree, args.files, args.megapixels)
    for face_size in args.face_sizes.split(","):
        job_figures(args.tree, args.workers, face_size)
    suggestion_figures()
    library_figures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
