"""Files from Debian packages, for tests: a pinned .deb fetched without root and read without
dpkg.

The archive comes through apt's own client (``apt-get download``, which needs no root); when
apt cannot resolve the version (package lists never updated), it is taken from the pool of
the Debian mirror configured in apt's sources. Either way its sha256 must match the pin. A
.deb is an ar archive holding ``data.tar.xz``: a few lines read it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .checksums import sha256_of
from .errors import TermkamError

SOURCES = (Path("/etc/apt/sources.list"), Path("/etc/apt/sources.list.d"))


@dataclass(frozen=True)
class DebFile:
    package: str
    version: str      # with its epoch, as apt names it
    pool_path: str    # where Debian's mirrors keep the archive
    sha256: str


PINNED = {
    ("digikam-data", "4:7.9.0-1"): DebFile(
        "digikam-data", "4:7.9.0-1", "pool/main/d/digikam/digikam-data_7.9.0-1_all.deb",
        "a941a504ba7bdf9d276a43ca3c2a0b2b5b74a55420d8c4b4f29d681e96cbf450"),
    ("mate-backgrounds", "1.26.0-1"): DebFile(
        "mate-backgrounds", "1.26.0-1",
        "pool/main/m/mate-backgrounds/mate-backgrounds_1.26.0-1_all.deb",
        "7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04"),
    ("plasma-workspace-wallpapers", "4:5.27.5-2"): DebFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "pool/main/p/plasma-workspace-wallpapers/plasma-workspace-wallpapers_5.27.5-2_all.deb",
        "32cd18b71c8c938a18b3b351f217c02ac590e323caa3cf322fbb875ce8892f8b"),
}


def _apt_download(deb: DebFile, workdir: Path) -> Path:
    apt = shutil.which("apt-get")
    if apt is None:
        raise TermkamError("apt-get is not installed")
    proc = subprocess.run([apt, "download", "-q", f"{deb.package}={deb.version}"], cwd=workdir,
                          capture_output=True, text=True, check=False)
    found = sorted(workdir.glob(f"{deb.package}_*.deb"))
    if proc.returncode != 0 or not found:
        lines = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip().startswith("E:")]
        raise TermkamError(f"apt-get download: {lines[-1] if lines else proc.returncode}")
    return found[0]


def debian_mirrors(sources: tuple[Path, ...] | None = None) -> list[str]:
    """The http(s) URIs of the Debian archives in apt's sources, in the order apt has them."""
    files: list[Path] = []
    for place in SOURCES if sources is None else sources:
        if place.is_dir():
            files += sorted(place.glob("*.list")) + sorted(place.glob("*.sources"))
        elif place.is_file():
            files.append(place)
    uris: list[str] = []
    for file in files:
        for line in file.read_text(errors="replace").splitlines():
            words = line.split("#", 1)[0].split()
            if file.suffix == ".sources" and words[:1] == ["URIs:"]:
                uris += words[1:]
            elif words[:1] == ["deb"]:
                uris += [w for w in words[1:] if "://" in w][:1]
    return list(dict.fromkeys(u for u in uris if u.startswith(("http://", "https://"))))


def _mirror_download(deb: DebFile, workdir: Path) -> Path:
    mirrors = debian_mirrors()
    if not mirrors:
        raise TermkamError("no Debian archive in apt's sources")
    target = workdir / Path(deb.pool_path).name
    reasons = []
    for mirror in mirrors:
        try:
            with urllib.request.urlopen(f"{mirror.rstrip('/')}/{deb.pool_path}",
                                        timeout=120) as response, target.open("wb") as out:
                shutil.copyfileobj(response, out)
            return target
        except (urllib.error.URLError, OSError) as error:
            reasons.append(f"{mirror}: {getattr(error, 'reason', error)}")
    raise TermkamError("; ".join(reasons))


def download(package: str, version: str, workdir: Path) -> Path:
    """The pinned .deb of ``package`` at ``version`` in ``workdir``, its sha256 checked."""
    deb = PINNED.get((package, version))
    if deb is None:
        raise TermkamError(f"no pinned Debian package {package}={version}")
    reasons = []
    for fetch in (_apt_download, _mirror_download):
        try:
            path = fetch(deb, workdir)
        except TermkamError as error:
            reasons.append(str(error))
            continue
        if sha256_of(path) == deb.sha256:
            return path
        reasons.append(f"sha256 mismatch for {path.name}")
        path.unlink()
    raise TermkamError(f"cannot download Debian package {package}={version} "
                       f"(no network?): {'; '.join(reasons)}")


def _ar_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    if not data.startswith(b"!<arch>\n"):
        raise TermkamError("not a Debian package (no ar archive)")
    pos = 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        name, size = header[:16].decode("ascii").strip().rstrip("/"), int(header[48:58])
        yield name, data[pos + 60:pos + 60 + size]
        pos += 60 + size + size % 2


def read_members(deb: Path, members: set[str]) -> dict[str, bytes]:
    """Files of a .deb's data archive by path (e.g. "usr/share/x"); missing ones are absent."""
    body = next((b for n, b in _ar_members(deb.read_bytes()) if n.startswith("data.tar")), None)
    if body is None:
        raise TermkamError(f"{deb.name} has no data archive")
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tf:
        for info in tf:
            name = info.name.removeprefix("./")
            if name in members and info.isfile():
                handle = tf.extractfile(info)
                if handle is not None:
                    found[name] = handle.read()
    return found
