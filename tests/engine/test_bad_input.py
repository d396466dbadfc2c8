"""The bad-input corpus: every bad file is an item error with a one-line reason, good files
beside them are catalogued, and nothing reaches the user as a traceback."""

from __future__ import annotations

import os
import sqlite3
import struct
import zlib
from pathlib import Path

import pytest

from tests.helpers import termkam_cli

# root reads a chmod-000 file anyway: run the scan without the capabilities that allow it.
AS_USER = ("setpriv", "--inh-caps=-dac_override,-dac_read_search",
           "--bounding-set=-dac_override,-dac_read_search") if os.geteuid() == 0 else ()


def _png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


@pytest.fixture
def corpus(tmp_path, faces_set) -> Path:
    root = tmp_path / "photos"
    (root / "x.jpg").mkdir(parents=True)              # a directory named like a photo
    (root / "deeper").mkdir()
    good = faces_set["feat/single_face.jpg"].read_bytes()
    (root / "good.jpg").write_bytes(good)
    (root / "x.jpg" / "inside.jpg").write_bytes(faces_set["feat/multi_face.jpg"].read_bytes())
    (root / "empty.jpg").write_bytes(b"")
    (root / "truncated.jpg").write_bytes(faces_set["feat/multi_face.jpg"].read_bytes()[:30000])
    (root / "notes.jpg").write_text("this is not a photo\n")
    (root / "locked.jpg").write_bytes(good)
    os.chmod(root / "locked.jpg", 0)
    (root / "bomb.png").write_bytes(_png_declaring(100_000, 100_000))
    with open(os.path.join(os.fsencode(root), b"caf\xe9-latin1.jpg"), "wb") as handle:
        handle.write(good)                            # a valid photo, name not UTF-8
    os.symlink(root, root / "deeper" / "loop")        # a symlink loop
    os.symlink("/", root / "deeper" / "escape")       # a way out of the root
    return root


def test_scan_of_bad_corpus_records_each_reason_and_keeps_the_good(corpus):
    library = corpus.parent / "library"
    run = termkam_cli("--library", str(library), "scan", str(corpus), prefix=AS_USER)
    output = run.stdout + run.stderr
    assert run.returncode == 3, output   # done, but some items failed
    assert "Traceback" not in output
    with sqlite3.connect(library / "catalog.db") as con:
        rows = {name: (status, error) for name, status, error in
                con.execute("SELECT name, status, error FROM image")}
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert rows["good.jpg"] == ("ok", None)
    assert rows["inside.jpg"] == ("ok", None)
    assert rows["caf\\xe9-latin1.jpg"] == ("ok", None)
    expected = {"empty.jpg": "empty file", "truncated.jpg": "truncated",
                "notes.jpg": "not an image", "locked.jpg": "Permission denied",
                "bomb.png": "too large"}
    for name, reason in expected.items():
        status, error = rows[name]
        assert status == "error" and reason in error and "\n" not in error, (name, error)
        assert f"{name}: {error}" in run.stderr  # each failure is told as one line
    assert len(rows) == 8  # nothing through the symlinks, nothing outside the root
    assert "2 symlinks not followed" in run.stdout


def test_rescan_keeps_errors_without_rewriting_rows(corpus):
    library = corpus.parent / "library"
    first = termkam_cli("--library", str(library), "scan", str(corpus))
    assert first.returncode == 3
    con = sqlite3.connect(library / "catalog.db")
    before = con.execute("SELECT * FROM image ORDER BY id").fetchall()
    con.close()
    second = termkam_cli("--library", str(library), "scan")
    assert second.returncode == 3 and "Traceback" not in second.stderr
    con = sqlite3.connect(library / "catalog.db")
    assert con.execute("SELECT * FROM image ORDER BY id").fetchall() == before
    con.close()
