"""Quality sorter benchmark: detector rankings on graded copies of the sample photos, label
agreement with the default settings, real motion blur, and speed on camera-sized JPEGs.

    .venv/bin/python bench/quality.py [--files 200] [--megapixels 6] [--tree DIR] [--no-speed]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.photos import build_tree  # noqa: E402
from engine import samples  # noqa: E402
from engine.quality import ACCEPTED, PENDING, REJECTED, QualitySettings, combine  # noqa: E402
from models.quality import DETECTORS, QualityScores, score_image  # noqa: E402
from tests import graded  # noqa: E402

# distortion -> (column, how its score is read from the copy's QualityScores)
Reader = Callable[[QualityScores], float | None]
COLUMNS: dict[str, list[tuple[str, Reader]]] = {
    "blur": [("blur", lambda s: s.blur), ("brisque", lambda s: s.brisque)],
    "noise": [("noise", lambda s: s.noise), ("brisque", lambda s: s.brisque)],
    "jpeg": [("compression", lambda s: s.compression), ("brisque", lambda s: s.brisque)],
    "exposure": [("exposure", lambda s: s.exposure)],
}


def photo_set() -> dict[str, Path]:
    return {**samples.fetch_set("objects"), **samples.fetch_set("faces")}


def score_copy(copy: graded.Copy, use_bytes: bool = True) -> QualityScores:
    return score_image(copy.pixels, copy.jpeg if use_bytes else None, DETECTORS)


Labels = dict[tuple[str, float], list[str]]


def ranking_rows(files: dict[str, Path]
                 ) -> tuple[list[list[str]], dict[str, list[float]], Labels]:
    """Per photo: Spearman of each detector against its distortion; also the label checks."""
    rows, worst = [], {}
    settings = QualitySettings()
    agree: list[bool] = []
    labels: Labels = {}
    for key in graded.PHOTOS:
        image = graded.load(files[key])
        row = [Path(key).name]
        for kind, columns in COLUMNS.items():
            copies = list(graded.copies(image, kind))
            scores = [score_copy(c) for c in copies]
            damage = [graded.damage(kind, c.level) for c in copies]
            for name, read in columns:
                rho = graded.spearman(damage, [read(s) or 0.0 for s in scores])
                worst.setdefault(f"{kind}:{name}", []).append(rho)
                row.append(f"{rho:.2f}")
            if kind == "jpeg":
                blocks = [score_copy(c, use_bytes=False).compression or 0.0 for c in copies]
                rho = graded.spearman(damage, blocks)
                worst.setdefault("jpeg:blockiness", []).append(rho)
                row.append(f"{rho:.2f}")
            if kind == "exposure":
                levels = [c.level for c in copies]
                under = graded.spearman([-v for v in levels[:4]], [s.under_exposure or 0.0
                                                                    for s in scores[:4]])
                over = graded.spearman(levels[3:], [s.over_exposure or 0.0 for s in scores[3:]])
                worst.setdefault("exposure:under/over", []).append(min(under, over))
                row.append(f"{under:.2f}/{over:.2f}")
            for copy, score in zip(copies, scores, strict=True):
                verdict = combine(score, settings)
                labels.setdefault((kind, copy.level), []).append(verdict.label)
                if copy.level in graded.STRONGEST[kind]:
                    agree.append(verdict.label == REJECTED)
                    worst.setdefault("strongest quality", []).append(-verdict.quality)
        original = files[key].read_bytes() if key.endswith(".jpg") else None
        clean = combine(score_image(image, original, DETECTORS), settings)
        agree.append(clean.label != REJECTED)
        worst.setdefault("clean quality", []).append(clean.quality)
        row.append(f"{clean.quality:.0f} {clean.label}")
        rows.append(row)
    worst["agreement"] = [float(np.mean(agree))]
    return rows, worst, labels


def print_labels(labels: Labels) -> None:
    """How many photos each level sends to rejected / pending / accepted."""
    print("default labels per level (rejected/pending/accepted):")
    for kind in graded.LEVELS:
        cells = [f"{level:g}: {sum(x == REJECTED for x in found)}/"
                 f"{sum(x == PENDING for x in found)}/{sum(x == ACCEPTED for x in found)}"
                 for (k, level), found in labels.items() if k == kind]
        print(f"  {kind:9s} " + "  ".join(cells))


def print_table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)))


def motion_blur(files: dict[str, Path]) -> None:
    clock = score_image(graded.load(files["skimage/clock_motion.png"]), None, {"blur"})
    sharp = {Path(k).name: score_image(graded.load(files[k]), None, {"blur"}).blur or 0.0
             for k in graded.PHOTOS}
    top = max(sharp, key=lambda k: sharp[k])
    print(f"clock_motion.png blur {clock.blur:.3f} (ratio {clock.blur_ratio:.3f}); sharp photos "
          f"{min(sharp.values()):.3f}..{sharp[top]:.3f} (blurriest: {top}) -> "
          f"{'OK' if (clock.blur or 0) > sharp[top] else 'FAIL'}")


def _load(path: Path) -> tuple[np.ndarray, bytes]:
    data = path.read_bytes()
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_REDUCED_COLOR_2), data


def _decode_and_score(path: Path) -> QualityScores:
    image, data = _load(path)
    return score_image(image, data, DETECTORS, decode_scale=2)


def _rate(work: Callable[[Path], object], paths: list[Path], threads: int,
          repeats: int = 2) -> float:
    """Images/s, the best of ``repeats`` passes (this machine's neighbours are noisy)."""
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(work, paths))
        best = max(best, len(paths) / (time.perf_counter() - start))
    return best


def per_detector_ms(paths: list[Path]) -> str:
    images = [_load(p) for p in paths[:20]]
    parts = []
    for name in sorted(DETECTORS):
        start = time.perf_counter()
        for image, data in images:
            score_image(image, data, {name}, decode_scale=2)
        parts.append(f"{name} {1000 * (time.perf_counter() - start) / len(images):.0f}")
    return ", ".join(parts)


def speed(tree: Path, files: int) -> None:
    paths = sorted(tree.rglob("*.JPG"))[:files]
    shape = _load(paths[0])[0].shape
    print(f"{len(paths)} camera JPEGs ({shape[1] * 2}x{shape[0] * 2}), reduced decode 1/2 -> "
          f"{shape[1]}x{shape[0]}, detectors at 1024 px (BRISQUE 512)")
    print(f"  (best of 2 passes; load average before: {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")
    default = cv2.getNumThreads()
    for cv2_threads, threads in ((default, 1), (1, 1), (1, 2)):
        cv2.setNumThreads(cv2_threads)
        decode = _rate(_load, paths, threads)
        full = _rate(_decode_and_score, paths, threads)
        print(f"  cv2 threads {cv2_threads}, {threads} worker thread(s): decode only "
              f"{decode:5.1f} images/s, decode + all 5 detectors {full:5.1f} images/s")
    print(f"  ms/image per detector alone (incl. grey + shrink to 1024, cv2 threads 1): "
          f"{per_detector_ms(paths)}")
    cv2.setNumThreads(default)
    job_rate = job_speed(tree)
    print(f"  the quality.sort job (scan first, catalog writes included): {job_rate:5.1f} "
          f"images/s = {job_rate / full:.2f} x the decode + detectors loop, "
          f"{job_rate / decode:.2f} x decode only")


def job_speed(tree: Path) -> float:
    """images/s of the real job over the tree, in a throw-away library."""
    from engine.engine import Engine

    library = Path(tempfile.mkdtemp(prefix="termkam-bench-quality-lib-"))
    try:
        with Engine(library) as engine:
            engine.scan([str(tree)]).wait()
            start = time.perf_counter()
            result = engine.start("quality.sort").wait()
            elapsed = time.perf_counter() - start
            assert result is not None and result.state == "done", result
            return result.done / elapsed
    finally:
        shutil.rmtree(library, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--megapixels", type=float, default=6.0)
    parser.add_argument("--tree", type=Path, default=None,
                        help="keep the camera-sized JPEGs here (default: a temp dir)")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    files = photo_set()
    rows, worst, labels = ranking_rows(files)
    header = ["photo", "blur", "brisq", "noise", "brisq", "jpeg", "brisq", "blocks",
              "exposure", "under/over", "clean quality"]
    print("Spearman of each score against its distortion's strength, per photo:")
    print_table(rows, header)
    print("minimum over photos: " + ", ".join(
        f"{k} {min(v):.2f}" for k, v in worst.items() if ":" in k))
    print(f"label agreement (clean not rejected, strongest rejected): "
          f"{100 * worst['agreement'][0]:.0f} %; clean photos' quality >= "
          f"{min(worst['clean quality']):.0f}, strongest copies' <= "
          f"{-min(worst['strongest quality']):.0f} (reject_below "
          f"{QualitySettings().reject_below:g})")
    print_labels(labels)
    motion_blur(files)
    if not args.no_speed:
        tree = args.tree or Path(tempfile.mkdtemp(prefix="termkam-bench-quality-"))
        try:
            build_tree(tree, args.files, args.megapixels)
            speed(tree, args.files)
        finally:
            if args.tree is None:
                shutil.rmtree(tree, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
