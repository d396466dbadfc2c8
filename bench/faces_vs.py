"""The face job against another commit's, interleaved in one run, on camera photos with known
faces: images/s of each, their ratio, and which true faces each finds.

The photos are ``bench/photos.face_scenes``: 12 MP scenes with real face photos pasted at
80-400 px, so every true face's box is known. The other commit is checked out in a git
worktree under the cache dir; each run is a fresh process and a fresh library.

    .venv/bin/python bench/faces_vs.py --ref 40bcf91 [--rounds 3] [--files 60]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAME_FACE = 0.4


def child(repo: str, tree: str) -> None:
    """Run the face job of ``repo`` on ``tree`` in a fresh library; print JSON figures
    (``repo``'s own code: nothing of this tree is imported before)."""
    sys.path.insert(0, repo)
    from engine.engine import Engine

    library = Path(tempfile.mkdtemp(prefix="termkam-faces-vs-"))
    try:
        with Engine(library) as engine:
            engine.scan([tree]).wait()
            start, cpu = time.perf_counter(), time.process_time()
            engine.start("faces.detect").wait()
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            faces: dict[str, list] = {}
            for face in engine.faces.find():
                faces.setdefault(Path(face.image_path).name, []).append(list(face.box))
            images = len(engine.images())
        print(json.dumps({"seconds": seconds, "cpu": cpu, "images": images, "faces": faces}))
    finally:
        shutil.rmtree(library, ignore_errors=True)


def worktree(ref: str, cache: Path) -> Path:
    path = cache / f"bench-worktree-{ref}"
    if not path.exists():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-f", str(path),
                        ref], check=True, capture_output=True)
    return path


def run(repo: Path, tree: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(repo), str(tree)],
                         check=True, capture_output=True, text=True, cwd=repo)
    return json.loads(out.stdout.strip().splitlines()[-1])


def matched(truth: list[list[float]], found: list[list[float]]) -> int:
    from engine.faces.geometry import iou

    return sum(any(iou(t, f) >= SAME_FACE for f in found) for t in truth)


def report(name: str, result: dict, truth: dict[str, list]) -> str:
    found = result["faces"]
    hits = sum(matched(boxes, found.get(file, [])) for file, boxes in truth.items())
    extra = sum(len(boxes) - matched(boxes, truth.get(file, [])) for file, boxes in found.items())
    total = sum(len(boxes) for boxes in truth.values())
    busy = result["cpu"] / result["seconds"] / (os.cpu_count() or 1)
    return (f"{name}: {result['images'] / result['seconds']:.2f} images/s, "
            f"cores {100 * busy:.0f} % busy, {hits}/{total} true faces, {extra} other boxes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="40bcf91", help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--megapixels", type=float, default=12.0)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    sys.path.insert(0, str(REPO))
    from bench.photos import face_scenes
    from engine import config

    tree = config.cache_home() / "bench-face-scenes"
    photos = face_scenes(tree, args.files, args.megapixels)
    truth = {p["file"]: p["faces"] for p in photos}
    other = worktree(args.ref, config.cache_home())
    print(f"{args.files} scenes of {args.megapixels:g} MP, "
          f"{sum(len(v) for v in truth.values())} true faces of 80-400 px; "
          f"this tree vs {args.ref}, {args.rounds} interleaved rounds")
    ratios, last = [], {}
    for round_number in range(1, args.rounds + 1):
        last = {"ref": run(other, tree), "new": run(REPO, tree)}
        ratio = (last["new"]["images"] / last["new"]["seconds"]) / (
            last["ref"]["images"] / last["ref"]["seconds"])
        ratios.append(ratio)
        print(f"round {round_number}: {report(args.ref, last['ref'], truth)} | "
              f"{report('this tree', last['new'], truth)} | ratio {ratio:.2f}")
    print(f"ratio median {statistics.median(ratios):.2f} (range {min(ratios):.2f}-"
          f"{max(ratios):.2f})")
    from engine.faces.geometry import iou

    for file, boxes in sorted(last["ref"]["faces"].items()):
        mine = last["new"]["faces"].get(file, [])
        for box in boxes:
            if not any(iou(box, other) >= SAME_FACE for other in mine):
                overlap = max((iou(box, t) for t in truth.get(file, [])), default=0.0)
                print(f"  a box of {args.ref} this tree does not find: {file} "
                      f"{[round(v) for v in box]} (overlap with a true face {overlap:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
