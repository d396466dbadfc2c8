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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.photos import build_tree  # noqa: E402
from engine import config, decode  # noqa: E402
from engine.engine import Engine  # noqa: E402
from engine.thumbnails import THUMB_SIDE  # noqa: E402


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
