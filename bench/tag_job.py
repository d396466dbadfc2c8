"""Auto-tag job benchmark: the job's wall time over camera-sized JPEGs against the decode-only
and model-only times measured in the same run (target: wall <= 1.15 x their sum), for each
batch size. ``bench/tag_models.py`` has each model's ms/image by batch size.

    .venv/bin/python bench/tag_job.py [--files 200] [--megapixels 6] [--batch 1 8 16]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.photos import build_tree  # noqa: E402
from engine import config  # noqa: E402
from engine.analysis import photo_of  # noqa: E402
from engine.engine import Engine  # noqa: E402
from engine.tagging.job import Tagger, run_settings  # noqa: E402

TAG_PHOTOS = ("skimage/chelsea.png", "skimage/coffee.png", "skimage/motorcycle_left.png",
              "skimage/astronaut.png", "feat/multi_face.jpg", "feat/free-mountain-vector-01.jpg")


def job_figures(tree: Path, batch: int, workers: int, use: str) -> None:
    library = Path(tempfile.mkdtemp(prefix="termkam-bench-tags-"))
    try:
        with Engine(library) as engine:
            engine.scan([str(tree)]).wait()
            records = engine.images()
            options = {"batch_size": batch, "use": use}
            settings = run_settings(options)
            tagger = Tagger(settings, os.cpu_count() or 2)
            tagger.load_models()
            side = tagger.decode_side
            start = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                loaded = list(pool.map(lambda r: tagger.load(photo_of(r)), records))
            decode_s = time.perf_counter() - start
            tagger.infer(loaded[:1])  # warm up
            start = time.perf_counter()
            for first in range(0, len(loaded), batch):
                tagger.infer(loaded[first:first + batch])
            model_s = time.perf_counter() - start
            del loaded
            start = time.perf_counter()
            result = engine.start("tags.auto", {**options, "mode": "replace"}).wait()
            wall_s = time.perf_counter() - start
        n = len(records)
        print(f"batch {batch}: {n} photos decoded at {side} px, models {settings.model_ids}")
        print(f"  decode only: {decode_s:.1f} s ({n / decode_s:.1f} images/s)")
        print(f"  model only:  {model_s:.1f} s ({n / model_s:.1f} images/s, "
              f"{1000 * model_s / n:.0f} ms/image)")
        print(f"  job:         {wall_s:.1f} s ({n / wall_s:.1f} images/s) - {result.summary}")
        print(f"  job wall / (decode + model) = {wall_s / (decode_s + model_s):.2f} "
              "(target <= 1.15)")
    finally:
        shutil.rmtree(library, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--megapixels", type=float, default=6.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 8, 16])
    parser.add_argument("--use", default="both", choices=("both", "detector", "classifier"))
    parser.add_argument("--tree", type=Path, default=config.cache_home() / "bench-tags-tree")
    args = parser.parse_args()
    build_tree(args.tree, args.files, args.megapixels, TAG_PHOTOS)
    for batch in args.batch:
        job_figures(args.tree, batch, args.workers, args.use)
    return 0


if __name__ == "__main__":
    sys.exit(main())
