"""Numbered schema migrations, tracked with ``PRAGMA user_version``.

Migrations are explicit SQL so that migration N stays what it was when it shipped; later
issues append to ``MIGRATIONS`` (faces, persons, quality ...) and never edit earlier ones.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import peewee

CATALOG_V1 = """
CREATE TABLE collection (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    path_raw BLOB,
    added_at REAL NOT NULL
);
CREATE TABLE album (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
    relpath TEXT NOT NULL,
    relpath_raw BLOB,
    status TEXT NOT NULL DEFAULT 'ok',
    error TEXT,
    UNIQUE (collection_id, relpath)
);
CREATE TABLE image (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    album_id INTEGER NOT NULL REFERENCES album(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_raw BLOB,
    kind TEXT NOT NULL,
    format TEXT,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT,
    width INTEGER,
    height INTEGER,
    orientation INTEGER NOT NULL DEFAULT 1,
    taken_at TEXT,
    camera_make TEXT,
    camera_model TEXT,
    lens TEXT,
    gps_lat REAL,
    gps_lon REAL,
    gps_alt REAL,
    status TEXT NOT NULL,
    error TEXT,
    added_at REAL NOT NULL,
    scanned_at REAL NOT NULL,
    UNIQUE (album_id, name)
);
CREATE INDEX image_hash ON image (content_hash, size);
CREATE INDEX image_status ON image (status);
CREATE TABLE tag (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES tag(id) ON DELETE CASCADE,
    name TEXT NOT NULL
);
CREATE UNIQUE INDEX tag_parent_name ON tag (ifnull(parent_id, 0), name);
CREATE TABLE image_tag (
    image_id INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('user', 'auto', 'metadata')),
    confidence REAL,
    PRIMARY KEY (image_id, tag_id, source)
) WITHOUT ROWID;
CREATE INDEX image_tag_tag ON image_tag (tag_id);
CREATE TABLE processing (
    image_id INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    model_id TEXT NOT NULL DEFAULT '',
    model_version TEXT NOT NULL DEFAULT '',
    done_at REAL NOT NULL,
    PRIMARY KEY (image_id, step)
) WITHOUT ROWID;
CREATE TABLE job (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    message TEXT,
    pid INTEGER,
    started_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    finished_at REAL
);
CREATE TABLE job_error (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE,
    image_id INTEGER REFERENCES image(id) ON DELETE SET NULL,
    path TEXT NOT NULL,
    reason TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX job_error_job ON job_error (job_id);
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

# Faces, persons, recognition data and the journal of user decisions (issue: faces).
CATALOG_V2 = """
CREATE TABLE person (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at REAL NOT NULL
);
CREATE TABLE face (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    image_id INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
    x REAL NOT NULL,
    y REAL NOT NULL,
    w REAL NOT NULL,
    h REAL NOT NULL,
    landmarks TEXT,
    det_score REAL,
    quality REAL,
    quality_detail TEXT,
    source TEXT NOT NULL CHECK (source IN ('detector', 'metadata', 'user')),
    detector TEXT,
    status TEXT NOT NULL CHECK (status IN ('unconfirmed', 'confirmed', 'ignored', 'not_face')),
    person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
    suggested_person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
    suggested_distance REAL,
    cluster_id INTEGER,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX face_image ON face (image_id);
CREATE INDEX face_person ON face (person_id);
CREATE INDEX face_suggested ON face (suggested_person_id);
CREATE INDEX face_status ON face (status);
CREATE INDEX face_cluster ON face (cluster_id);
CREATE TABLE face_embedding (
    face_id INTEGER PRIMARY KEY REFERENCES face(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL,
    model_version TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE TABLE face_rejection (
    face_id INTEGER NOT NULL REFERENCES face(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    PRIMARY KEY (face_id, person_id)
) WITHOUT ROWID;
CREATE TABLE face_journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL,
    summary TEXT NOT NULL,
    undo TEXT NOT NULL,
    at REAL NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
"""

# Auto tags the user removed, quality scores and pick labels (issues: auto-tags, quality).
CATALOG_V3 = """
CREATE TABLE tag_rejection (
    image_id INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
    at REAL NOT NULL,
    PRIMARY KEY (image_id, tag_id)
) WITHOUT ROWID;
CREATE TABLE image_quality (
    image_id INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
    scores TEXT NOT NULL,
    figure REAL NOT NULL,
    model_version TEXT NOT NULL,
    scored_at REAL NOT NULL
);
CREATE TABLE pick_label (
    image_id INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
    label TEXT NOT NULL CHECK (label IN ('rejected', 'pending', 'accepted')),
    source TEXT NOT NULL CHECK (source IN ('user', 'auto')),
    set_at REAL NOT NULL
);
CREATE INDEX pick_label_label ON pick_label (label);
"""

THUMBS_V1 = """
CREATE TABLE thumb (
    image_id INTEGER PRIMARY KEY,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    jpeg BLOB NOT NULL,
    made_at REAL NOT NULL
);
"""

THUMBS_V2 = """
CREATE TABLE face_thumb (
    face_id INTEGER PRIMARY KEY,
    jpeg BLOB NOT NULL
);
"""

# A picture replaced under the same name (issue: trust): the pixels' fingerprint tells an
# edit of the metadata alone from new pixels; the user's faces on the old pixels are kept
# apart (superseded) instead of being moved onto the new picture.
CATALOG_V4 = """
ALTER TABLE image ADD COLUMN pixel_hash TEXT;
ALTER TABLE face ADD COLUMN superseded_at REAL;
"""

# The metadata round trip (issue: metadata): ratings and colour labels read from files, the
# XMP sidecar seen at the last scan (a changed sidecar is a changed photo), what termkam wrote
# into each file (so it removes only its own values), the photos waiting for a write-back.
# The auto tag for a person leaves People/, which digiKam and Lightroom read as persons.
CATALOG_V5 = """
ALTER TABLE image ADD COLUMN rating INTEGER CHECK (rating BETWEEN -1 AND 5);
ALTER TABLE image ADD COLUMN color_label TEXT;
ALTER TABLE image ADD COLUMN sidecar_size INTEGER;
ALTER TABLE image ADD COLUMN sidecar_mtime_ns INTEGER;
CREATE TABLE metadata_written (
    image_id INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
    target TEXT NOT NULL CHECK (target IN ('sidecar', 'file')),
    path TEXT NOT NULL,
    owned TEXT NOT NULL,
    written_at REAL NOT NULL
);
CREATE TABLE metadata_pending (
    image_id INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
    queued_at REAL NOT NULL
);
INSERT OR IGNORE INTO tag (parent_id, name)
    SELECT NULL, 'Subjects' WHERE EXISTS (
        SELECT 1 FROM tag p JOIN tag c ON c.parent_id = p.id
        WHERE p.parent_id IS NULL AND p.name = 'People' AND c.name = 'Person');
INSERT OR IGNORE INTO tag (parent_id, name)
    SELECT id, 'Person' FROM tag WHERE parent_id IS NULL AND name = 'Subjects';
CREATE TEMP TABLE person_tag_move AS
    SELECT c.id AS old, (SELECT s.id FROM tag s JOIN tag r ON s.parent_id = r.id
                         WHERE r.parent_id IS NULL AND r.name = 'Subjects'
                         AND s.name = 'Person') AS new
    FROM tag p JOIN tag c ON c.parent_id = p.id
    WHERE p.parent_id IS NULL AND p.name = 'People' AND c.name = 'Person';
UPDATE OR IGNORE image_tag SET tag_id = (SELECT new FROM person_tag_move)
    WHERE tag_id = (SELECT old FROM person_tag_move) AND source != 'metadata';
DELETE FROM image_tag WHERE tag_id = (SELECT old FROM person_tag_move) AND source != 'metadata';
UPDATE OR IGNORE tag_rejection SET tag_id = (SELECT new FROM person_tag_move)
    WHERE tag_id = (SELECT old FROM person_tag_move);
DELETE FROM tag WHERE id = (SELECT old FROM person_tag_move)
    AND NOT EXISTS (SELECT 1 FROM image_tag WHERE tag_id = (SELECT old FROM person_tag_move));
DELETE FROM tag WHERE parent_id IS NULL AND name = 'People'
    AND NOT EXISTS (SELECT 1 FROM tag c WHERE c.parent_id = tag.id)
    AND NOT EXISTS (SELECT 1 FROM image_tag WHERE tag_id = tag.id);
DROP TABLE person_tag_move
"""

# What each photo's metadata (file and sidecar) said at the last scan: its pick label, stars,
# colour label and named face regions, so a rescan applies only what a file changed since.
CATALOG_V6 = """
CREATE TABLE metadata_seen (
    image_id INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
    pick_label TEXT,
    rating INTEGER,
    color_label TEXT,
    regions TEXT NOT NULL DEFAULT '[]'
)
"""

# Where the object detector saw what gave an auto tag (issue: the TUI a user lives in), so the
# photo view can draw it: normalised x, y, w, h on the displayed (orientation-applied) photo.
CATALOG_V7 = """
CREATE TABLE object_box (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    score REAL NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    w REAL NOT NULL,
    h REAL NOT NULL,
    model_id TEXT NOT NULL
);
CREATE INDEX object_box_image ON object_box (image_id)
"""

# The confidence an auto tag had when the user removed it (NULL: a tag not made by the
# models), the evidence `termkam tags eval` and the learnt minimums read.
CATALOG_V8 = """
ALTER TABLE tag_rejection ADD COLUMN confidence REAL
"""

MIGRATIONS: tuple[str, ...] = (CATALOG_V1, CATALOG_V2, CATALOG_V3, CATALOG_V4, CATALOG_V5,
                               CATALOG_V6, CATALOG_V7, CATALOG_V8)
THUMB_MIGRATIONS: tuple[str, ...] = (THUMBS_V1, THUMBS_V2)


def schema_version(db: peewee.SqliteDatabase) -> int:
    """The migration number the database is at (0 for a new file)."""
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def migrate(db: peewee.SqliteDatabase, migrations: tuple[str, ...], path: Path | None) -> int:
    """Apply pending migrations in order, each in its own transaction.

    An existing database is copied to ``<name>.v<N>.bak`` first, so a failed upgrade
    never costs the user their catalog. Returns the new version.
    """
    current = schema_version(db)
    if current > len(migrations):
        from engine.errors import CatalogError

        raise CatalogError(
            f"{path} was written by a newer termkam (schema {current}, this one knows "
            f"{len(migrations)}): upgrade termkam"
        )
    if current == len(migrations):
        return current
    if current > 0 and path is not None and path.exists():
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, path.with_name(f"{path.name}.v{current}.{int(time.time())}.bak"))
    for number in range(current + 1, len(migrations) + 1):
        with db.atomic("IMMEDIATE"):
            if schema_version(db) >= number:
                continue  # another process upgraded it meanwhile
            for statement in _statements(migrations[number - 1]):
                db.execute_sql(statement)
            db.execute_sql(f"PRAGMA user_version = {number}")
    return len(migrations)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
