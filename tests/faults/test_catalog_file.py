"""The catalog file under attack: emptied, deleted while open, read-only, on a full disk.
Nothing the user did may vanish without a word, and every failure is one line."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from engine.catalog import Library
from engine.engine import Engine
from engine.errors import CatalogError, CatalogLost, StorageError
from tests.helpers import termkam_cli, until
from tui.app import TermkamApp
from tui.widgets.face_grid import FaceGrid

# root writes anywhere: drop the capabilities that let it, to see a read-only library.
AS_USER = ("setpriv", "--inh-caps=-dac_override,-dac_read_search",
           "--bounding-set=-dac_override,-dac_read_search") if os.geteuid() == 0 else ()


def _one_line_error(run) -> str:
    output = run.stdout + run.stderr
    assert "Traceback" not in output and "Logging error" not in output, output
    lines = [line for line in run.stderr.splitlines() if line.startswith("termkam:")]
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.fixture
def library(people_copy) -> Path:
    return people_copy


def _faces(catalog: Path) -> dict[int, tuple[str, int | None]]:
    with closing(sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)) as con:
        return {fid: (status, pid) for fid, status, pid in
                con.execute("SELECT id, status, person_id FROM face")}


def test_an_empty_catalog_file_is_refused_not_replaced(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    (library / "catalog.db").write_bytes(b"")
    run = termkam_cli("--library", str(library), "status")
    assert run.returncode == 1
    assert "is empty (0 bytes)" in _one_line_error(run)
    assert (library / "catalog.db").stat().st_size == 0  # left for the user to inspect
    with pytest.raises(CatalogError, match="empty"):
        Library(library)


def test_a_foreign_sqlite_file_is_not_migrated_into_a_catalog(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    with closing(sqlite3.connect(library / "catalog.db")) as con:
        con.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(CatalogError, match="not a termkam catalog"):
        Library(library)
    with closing(sqlite3.connect(library / "catalog.db")) as con:
        assert [t for (t,) in con.execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_a_catalog_deleted_while_open_refuses_writes_and_keeps_a_copy(library):
    with Engine(library) as engine:
        face = engine.faces.find(status="unconfirmed")[0]
        engine.faces.ignore([face.id])
        (library / "catalog.db").unlink()
        assert "was deleted" in engine.library.problem()
        with pytest.raises(CatalogLost):
            engine.faces.name([face.id], "Somebody")
        with pytest.raises(CatalogLost):
            engine.scan()                      # a rescan creates no new, empty catalog
        assert not (library / "catalog.db").exists()
        rescued = engine.library.rescue()
    assert _faces(rescued)[face.id] == ("ignored", None)  # what the session did is kept


async def test_the_tui_says_the_catalog_is_gone_and_decisions_fail_loudly(library):
    before = _faces(library / "catalog.db")
    with Engine(library) as engine:
        app = TermkamApp(engine, image_protocol="halfcell")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("3")
            await until(lambda: app.query_one(FaceGrid).faces)
            (library / "catalog.db").unlink()
            await until(lambda: app.catalog_problem is not None, timeout=10)
            await pilot.press("y")              # confirm: must not pretend it worked
            await pilot.pause()
            assert "was deleted" in app.catalog_problem
            assert any("was deleted" in str(n.message) for n in app._notifications)
            assert not any("confirmed" in str(n.message) for n in app._notifications)
        rescued = sorted(library.glob("catalog.db.recovered-*"))
    assert len(rescued) == 1 and _faces(rescued[0]) == before


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"),
                    reason="needs setpriv to run as a user without root's file access")
def test_a_read_only_library_answers_queries_and_refuses_jobs(library, tmp_path):
    for path in [library, *library.iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        status = termkam_cli("--library", str(library), "status", prefix=AS_USER)
        assert status.returncode == 0, status.stderr
        assert "images" in status.stdout and "Traceback" not in status.stderr
        assert "library is read-only: the lists work" in status.stdout
        listing = termkam_cli("--library", str(library), "faces", "list", prefix=AS_USER)
        assert listing.returncode == 0 and "faces" in listing.stdout
        scan = termkam_cli("--library", str(library), "scan", prefix=AS_USER)
        assert scan.returncode == 1
        assert "library is read-only" in _one_line_error(scan)
    finally:
        for path in [library, *library.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def _tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return os.system(f"mount -t tmpfs -o size={size} tmpfs {where} 2>/dev/null") == 0


def test_disk_full_interrupts_the_job_resumably_with_one_line(tmp_path, faces_set):
    """A scan into a library on a 1 MB tmpfs (root may mount one)."""
    photos = tmp_path / "photos"
    photos.mkdir()
    source = faces_set["feat/multi_face.jpg"].read_bytes()
    for number in range(150):
        (photos / f"IMG_{number:04d}.jpg").write_bytes(source + number.to_bytes(4, "big"))
    disk = tmp_path / "disk"
    mounted = _tmpfs(disk, "1m")
    library = disk / "library"
    try:
        if not mounted:
            pytest.skip("cannot mount a tmpfs here (not root): the engine side is covered by "
                        "test_storage_errors_are_named_whatever_masks_them")
        scan = termkam_cli("--library", str(library), "scan", str(photos))
        assert scan.returncode == 1, scan.stdout + scan.stderr
        assert "scan interrupted: disk full" in scan.stdout, scan.stdout
        assert "Traceback" not in scan.stderr and "Logging error" not in scan.stderr
        with closing(sqlite3.connect(library / "catalog.db")) as con:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            saved = con.execute("SELECT COUNT(*) FROM image").fetchone()[0]
        assert 0 < saved < 150
        status = termkam_cli("--library", str(library), "status")
        assert status.returncode == 0, status.stderr       # reads still work on a full disk
        assert f"images       {saved} " in status.stdout
        os.system(f"mount -o remount,size=64m {disk}")
        resumed = termkam_cli("--library", str(library), "jobs", "resume")
        assert resumed.returncode == 0, resumed.stderr
        assert f"{150 - saved} new" in resumed.stdout
        with closing(sqlite3.connect(library / "catalog.db")) as con:
            assert con.execute("SELECT COUNT(*) FROM image WHERE status = 'ok'"
                               ).fetchone() == (150,)
            assert con.execute("SELECT state FROM job ORDER BY id").fetchall() == [
                ("resumed",), ("done",)]
    finally:
        if mounted:
            os.system(f"umount {disk}")


def test_storage_errors_are_named_whatever_masks_them(tmp_path):
    """A write past SQLite's page limit raises the same SQLITE_FULL a full disk raises;
    the write transaction names it, even when the failed rollback masks it."""
    with Engine(tmp_path / "library") as engine:
        engine.library.db.execute_sql("PRAGMA max_page_count = 12")
        with pytest.raises(StorageError, match="disk full"), engine.library.writing():
            engine.library.db.execute_sql("CREATE TABLE filler (x BLOB)")
            for _ in range(200):
                engine.library.db.execute_sql("INSERT INTO filler VALUES (zeroblob(4000))")
        assert engine.jobs() == []                 # the catalog is untouched and readable
