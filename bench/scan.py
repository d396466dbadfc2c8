"""Scan benchmark: first scan (with thumbnails) and unchanged rescan of >= 10,000 real JPEGs.

The tree is made once from the DATA.md photos: re-encodes at camera-like sizes (crops, scales
and JPEG qualities of each photo), then copied until the tree holds --files files. Figures:
decode-only throughput (the floor a first scan can reach), first scan, unchanged rescan.

    .venv/bin/python bench/scan.py [--files 10000] [--megapixels 6] [--tree DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import config, decode, samples  # noqa: E402
from engine.engine import Engine  # noqa: E402
from engine.thumbnails import THUMB_SIDE  # noqa: E402

SOURCES = ("feat/BWPictureHuman.jpg", "feat/multi_face.jpg", "feat/single_face.jpg",
           "feat/free-mountain-vector-01.jpg", "skimage/astronaut.png", "skimage/chelsea.png",
           "skimage/coffee.png", "skimage/rocket.jpg", "skimage/motorcycle_left.png")


def masters(megapixels: float, out: Path) -> list[Path]:
    """Distinct camera-sized JPEGs: every source at 3 crops x 2 qualities, 4:3 and 3:2."""
    files = {**samples.fetch_set("faces"), **samples.fetch_set("objects")}
    made = []
    for key in SOURCES:
        image = cv2.imread(str(files[key]), cv2.IMREAD_COLOR)
        for variant, (crop, quality, aspect) in enumerate(
                [(1.0, 92, 4 / 3), (0.8, 85, 3 / 2), (0.6, 95, 4 / 3), (0.9, 80, 3 / 2)]):
            h, w = image.shape[:2]
            ch, cw = int(h * crop), int(w * crop)
            part = image[(h - ch) // 2:(h - ch) // 2 + ch, (w - cw) // 2:(w - cw) // 2 + cw]
            width = int((megapixels * 1e6 * aspect) ** 0.5)
            height = int(width / aspect)
            big = cv2.resize(part, (width, height), interpolation=cv2.INTER_CUBIC)
            noise = np.random.default_rng(variant).normal(0, 3, big.shape)  # sensor-like grain
            big = np.clip(big + noise, 0, 255).astype(np.uint8)
            path = out / f"master_{Path(key).stem}_{variant}.jpg"
            cv2.imwrite(str(path), big, [cv2.IMWRITE_JPEG_QUALITY, quality])
            made.append(path)
    return made


def build_tree(root: Path, count: int, megapixels: float) -> int:
    """Albums of 250 photos, camera-style names; reused when already built."""
    stamp = root / f".built-{count}-{megapixels}"
    if stamp.exists():
        return count
    shutil.rmtree(root, ignore_errors=True)
    work = root / ".masters"
    work.mkdir(parents=True)
    sources = masters(megapixels, work)
    for number in range(count):
        album = root / f"{2020 + number // 2500}" / f"{number // 250 % 10 + 1:02d}-event"
        album.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[number % len(sources)], album / f"IMG_{number:05d}.JPG")
    shutil.rmtree(work)
    stamp.touch()
    return count


def decode_only(paths: list[Path], workers: int) -> float:
    """Files/s for read + reduced JPEG decode to thumbnail scale, nothing else."""
    def one(path: Path) -> None:
        data = path.read_bytes()
        decode.decode(data, decode.probe(data), 1, THUMB_SIDE)

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, paths))
    return len(paths) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--megapixels", type=float, default=6.0)
    parser.add_argument("--tree", type=Path, default=config.cache_home() / "bench-tree")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    t0 = time.perf_counter()
    build_tree(args.tree, args.files, args.megapixels)
    files = sorted(args.tree.rglob("*.JPG"))
    size = sum(p.stat().st_size for p in files[:200]) / min(200, len(files))
    print(f"tree: {len(files)} JPEGs of {args.megapixels:.0f} MP, {size / 1e6:.1f} MB each "
          f"(built or reused in {time.perf_counter() - t0:.0f}s) at {args.tree}")

    sample = random.Random(0).sample(files, min(1000, len(files)))  # all masters, unbiased
    decode_rate = decode_only(sample, args.workers)
    print(f"decode only (read + 1/8-scale JPEG decode + resize, {args.workers} threads, "
          f"{len(sample)} files): {decode_rate:.1f} files/s")

    library = Path(tempfile.mkdtemp(prefix="termkam-bench-lib-"))
    try:
        with Engine(library) as engine:
            start = time.perf_counter()
            first = engine.scan([str(args.tree)], workers=args.workers).wait()
            first_s = time.perf_counter() - start
            print(f"first scan: {first.done} files in {first_s:.1f}s = "
                  f"{first.done / first_s:.1f} files/s ({first.summary}); "
                  f"{first.done / first_s / decode_rate:.2f}x the decode-only rate")
            rates = []
            for _ in range(3):
                start = time.perf_counter()
                again = engine.scan().wait()
                rates.append(len(files) / (time.perf_counter() - start))
            assert again.done == 0, again.summary
            print(f"unchanged rescan: {max(rates):,.0f} files/s (best of 3: "
                  f"{', '.join(f'{r:,.0f}' for r in rates)}); {again.summary}")
        catalog_mb = (library / "catalog.db").stat().st_size / 1e6
        thumbs_mb = (library / "thumbs.db").stat().st_size / 1e6
        print(f"catalog.db {catalog_mb:.1f} MB, thumbs.db {thumbs_mb:.1f} MB, peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        shutil.rmtree(library, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
