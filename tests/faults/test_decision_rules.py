"""The rules that keep the user's decisions: undo only what is asked, `clear` clears only
the machine's results, a picture replaced under its name gets fresh results without taking
the user's decisions along, and names and ids that cannot be right are refused."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bench.tmux_check import NAMED
from engine.engine import Engine
from engine.errors import TermkamError
from tests.helpers import run_job, termkam_cli

ANN = NAMED[1]


@pytest.fixture
def library(people_library, tmp_path) -> Iterator[Path]:
    """A copy of the library; its photos (shared, named in the catalog by absolute path)
    are put back as they were after the test."""
    photos = people_library.parent / "photos"
    shutil.copytree(photos, tmp_path / "photos-as-they-were")
    shutil.copytree(people_library, tmp_path / "library")
    yield tmp_path / "library"
    shutil.rmtree(photos)
    shutil.copytree(tmp_path / "photos-as-they-were", photos)


def cli(library: Path, *args: str):
    return termkam_cli("--library", str(library), *args)


def _count(library: Path, sql: str) -> int:
    with closing(sqlite3.connect(library / "catalog.db")) as con:
        return con.execute(sql).fetchone()[0]


@pytest.mark.parametrize("steps", ["-1", "0", "-5"])
def test_undo_refuses_counts_below_one_and_keeps_every_decision(library, steps):
    journal = _count(library, "SELECT COUNT(*) FROM face_journal WHERE undone = 0")
    persons = _count(library, "SELECT COUNT(*) FROM person")
    run = cli(library, "faces", "undo", steps)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "not a whole number from 1" in run.stderr
    assert _count(library, "SELECT COUNT(*) FROM face_journal WHERE undone = 0") == journal
    assert _count(library, "SELECT COUNT(*) FROM person") == persons == len(NAMED)
    with Engine(library) as engine, pytest.raises(TermkamError, match="1 or more"):
        engine.faces.undo(int(steps))


def test_clear_keeps_a_rejected_face_and_never_suggests_that_name_again(library):
    with Engine(library) as engine:
        ann = next(p for p in engine.faces.persons() if p.name == ANN)
        face = next(f for f in engine.faces.find(status="unconfirmed")
                    if f.suggested_person_id == ann.id)
        engine.faces.reject([face.id])
        run_job(engine, "faces.detect", mode="clear")
        run_job(engine, "faces.recognize")
        kept = engine.faces.get(face.id)
        assert kept is not None and kept.suggested_person_id != ann.id
        same_place = [f for f in engine.faces.find(image_id=face.image_id)]
        assert [f.id for f in same_place] == [face.id]  # not detected again beside it
        face_ids = {f.id for f in engine.faces.find(include_not_faces=True)}
    with closing(sqlite3.connect(library / "thumbs.db")) as con:
        crops = {fid for (fid,) in con.execute("SELECT face_id FROM face_thumb")}
    assert crops == face_ids                           # no crop of a deleted face is left
    assert _count(library, f"SELECT COUNT(*) FROM face_rejection WHERE face_id = {face.id} "
                           f"AND person_id = {ann.id}") == 1


def test_a_replaced_picture_gets_fresh_results_and_the_decisions_are_reported(library):
    with Engine(library) as engine:
        named = next(f for f in engine.faces.find(status="confirmed") if f.person == ANN)
        engine.browse.set_pick([named.image_id], "rejected")
        engine.tags.add(named.image_id, ["Trips", "Paris"])
        run_job(engine, "quality.sort")
        run_job(engine, "tags.auto")
        photo = Path(named.image_path)
        stranger = next(p for p in photo.parent.parent.glob("s*/*.png")
                        if p.parent != photo.parent)
    shutil.copy(stranger, photo)                       # same name, another picture
    scan = cli(library, "scan")
    assert scan.returncode == 0, scan.stderr
    assert "1 changed, 1 of them with a new picture" in scan.stdout
    assert (f"note: {photo}: picture replaced under the same name: named faces kept apart "
            f"from the new picture ({ANN}); your tags kept on it: Trips/Paris; your pick "
            "label kept on it: rejected") in scan.stderr
    with Engine(library) as engine:
        old = engine.faces.get(named.id)
        assert (old.status, old.person, old.superseded) == ("confirmed", ANN, True)
        assert engine.faces.find(image_id=named.image_id) == []  # not on the new picture
        assert engine.quality.rows() and named.image_id not in {
            r.record.id for r in engine.quality.rows()}           # the old score is gone
        tags = {("/".join(t.path), t.source) for t in engine.image_tags(named.image_id)}
        assert ("Trips/Paris", "user") in tags and not any(s == "auto" for _, s in tags)
        assert run_job(engine, "faces.detect").done == 1   # only the new picture
        fresh = engine.faces.find(image_id=named.image_id)
        assert len(fresh) == 1 and fresh[0].status == "unconfirmed"
        assert run_job(engine, "tags.auto").done == 1
        assert run_job(engine, "quality.sort").done == 1
        assert engine.browse.details(named.image_id).pick == "rejected (by you)"
    listing = cli(library, "faces", "list", "--person", ANN)
    assert "(on the picture this file held before)" in listing.stdout


def test_an_edit_of_the_metadata_alone_keeps_every_result(library):
    with Engine(library) as engine:
        named = next(f for f in engine.faces.find(status="confirmed"))
        run_job(engine, "quality.sort")
    photo = Path(named.image_path)
    data = photo.read_bytes()
    end = data.index(b"IEND") - 4                      # a text chunk before the PNG's end
    photo.write_bytes(data[:end] + _png_text_chunk(b"Comment", b"edited elsewhere")
                      + data[end:])
    scan = cli(library, "scan")
    assert "1 changed" in scan.stdout and "new picture" not in scan.stdout
    with Engine(library) as engine:
        assert engine.faces.get(named.id).superseded is False
        assert [f.id for f in engine.faces.find(image_id=named.image_id)] == [named.id]
        assert named.image_id in {r.record.id for r in engine.quality.rows()}


def _png_text_chunk(key: bytes, text: bytes) -> bytes:
    import struct
    import zlib

    body = key + b"\0" + text
    return (struct.pack(">I", len(body)) + b"tEXt" + body
            + struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF))


@pytest.mark.parametrize("args, reason", [
    (("faces", "confirm", "99999999999999999999999"), "is not an id"),
    (("faces", "confirm", "0"), "is not an id"),
    (("faces", "name", "x" * 20000, "1"), "too long"),
    (("faces", "name", "Ann\nerror: fake", "1"), "control characters"),
    (("faces", "name", "   ", "1"), "cannot be empty"),
    (("faces", "rename", ANN, "A\x1b[2J"), "control characters"),
])
def test_ids_and_names_that_cannot_be_right_are_refused_in_one_line(library, args, reason):
    persons = _count(library, "SELECT COUNT(*) FROM person")
    run = cli(library, *args)
    assert run.returncode in (1, 2) and "Traceback" not in run.stderr
    assert reason in run.stderr and len(run.stderr.strip().splitlines()) <= 3
    assert _count(library, "SELECT COUNT(*) FROM person") == persons


@pytest.mark.parametrize("tag", ["", "/", "Places//", "Places/\n"])
def test_empty_or_broken_tags_are_refused(library, tag):
    with Engine(library) as engine:
        photo = engine.images()[0].path
    run = cli(library, "tags", "add", photo, tag)
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith("termkam: a tag") and "Traceback" not in run.stderr
