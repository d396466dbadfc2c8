"""Migrations of older catalogs keep the user's data and move only what they must."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from engine.catalog import Library, migrations


def _tags(con: sqlite3.Connection) -> set[tuple[str, str]]:
    return set(con.execute(
        "SELECT COALESCE(p.name || '/', '') || t.name, it.source FROM image_tag it "
        "JOIN tag t ON t.id = it.tag_id LEFT JOIN tag p ON p.id = t.parent_id"))


def test_the_detected_person_tag_leaves_people_but_a_persons_name_stays(tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    with monkeypatch.context() as patch:  # a catalog as termkam left it before migration 5
        patch.setattr("engine.catalog.database.MIGRATIONS", migrations.MIGRATIONS[:4])
        with Library(folder):
            pass
    with closing(sqlite3.connect(folder / "catalog.db")) as con:
        con.executescript("""
            INSERT INTO collection (id, path, added_at) VALUES (1, '/photos', 0);
            INSERT INTO album (id, collection_id, relpath) VALUES (1, 1, '');
            INSERT INTO image (id, album_id, name, kind, size, mtime_ns, status, added_at,
                               scanned_at) VALUES (1, 1, 'a.jpg', 'image', 1, 1, 'ok', 0, 0),
                                                  (2, 1, 'b.jpg', 'image', 1, 1, 'ok', 0, 0);
            INSERT INTO tag (id, parent_id, name) VALUES (1, NULL, 'People'), (2, 1, 'Person'),
                                                         (3, 1, 'Alice');
            INSERT INTO image_tag VALUES (1, 2, 'auto', 0.9), (2, 2, 'user', NULL),
                                         (1, 3, 'metadata', NULL);
            INSERT INTO tag_rejection VALUES (2, 2, 0);
        """)
    with Library(folder):
        pass
    with closing(sqlite3.connect(folder / "catalog.db")) as con:
        assert _tags(con) == {("Subjects/Person", "auto"), ("Subjects/Person", "user"),
                              ("People/Alice", "metadata")}
        rejected = con.execute("SELECT p.name, t.name FROM tag_rejection r JOIN tag t ON "
                               "t.id = r.tag_id JOIN tag p ON p.id = t.parent_id").fetchall()
        assert rejected == [("Subjects", "Person")]
        assert con.execute("SELECT COUNT(*) FROM tag WHERE name = 'Person'").fetchone() == (1,)


def test_a_catalog_without_the_person_tag_gets_no_new_tags(tmp_path):
    folder = tmp_path / "lib"
    with Library(folder):
        pass
    with closing(sqlite3.connect(folder / "catalog.db")) as con:
        assert con.execute("SELECT COUNT(*) FROM tag").fetchone() == (0,)
