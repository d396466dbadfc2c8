"""The catalog file: pragmas, migrations, schema matching the models, clear open errors."""

from __future__ import annotations

import sqlite3

import pytest

from engine.catalog import Library, migrations
from engine.catalog.schema import CATALOG_MODELS, THUMB_MODELS
from engine.errors import CatalogError


def test_new_library_has_wal_pragmas_and_current_schema(tmp_path):
    with Library(tmp_path / "lib") as library:
        pragma = lambda name: library.db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("busy_timeout") == 5000
        assert pragma("user_version") == len(migrations.MIGRATIONS)


def test_every_model_field_is_a_column_of_the_migrated_schema(tmp_path):
    with Library(tmp_path / "lib") as library:
        for models, db in ((CATALOG_MODELS, library.db), (THUMB_MODELS, library.thumbs_db)):
            for model in models:
                columns = {c.name for c in db.get_columns(model._meta.table_name)}
                fields = {f.column_name for f in model._meta.sorted_fields}
                assert fields <= columns, (model.__name__, fields - columns)


def test_pending_migration_backs_up_the_catalog_first(tmp_path, monkeypatch):
    with Library(tmp_path / "lib"):
        pass
    extra = "CREATE TABLE later_issue (id INTEGER PRIMARY KEY)"
    monkeypatch.setattr("engine.catalog.database.MIGRATIONS", (*migrations.MIGRATIONS, extra))
    shipped = len(migrations.MIGRATIONS)
    with Library(tmp_path / "lib") as library:
        assert library.db.execute_sql("PRAGMA user_version").fetchone()[0] == shipped + 1
        assert library.db.table_exists("later_issue")
    backups = list((tmp_path / "lib").glob(f"catalog.db.v{shipped}.*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == shipped


def test_catalog_from_a_newer_termkam_is_refused(tmp_path):
    with Library(tmp_path / "lib"):
        pass
    with sqlite3.connect(tmp_path / "lib" / "catalog.db") as con:
        con.execute("PRAGMA user_version = 99")
    with pytest.raises(CatalogError, match="newer termkam"):
        Library(tmp_path / "lib")


def test_a_file_that_is_not_a_database_gives_one_line(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "catalog.db").write_text("not sqlite at all " * 100)
    with pytest.raises(CatalogError) as error:
        Library(tmp_path / "lib")
    assert "cannot be opened" in str(error.value) and "\n" not in str(error.value)


def test_two_libraries_cannot_be_open_at_once(tmp_path):
    with Library(tmp_path / "a"), pytest.raises(CatalogError, match="another library"):
        Library(tmp_path / "b")
