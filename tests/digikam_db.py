"""A digiKam database built from digiKam's real schema, for the import tests.

Tables, indices and triggers are the SQLite statements of the CreateDB, CreateIndices and
CreateTriggers actions in ``dbconfig.xml`` of Debian's digikam-data package (fetched and
pinned by engine.samples), which is what digiKam runs for a new database; then the settings
digiKam writes next (schema version: the last UpdateSchemaFromVnToVm of the same file). Rows
go in the way digiKam puts them: tags at pid 0 with TagsTree kept by digiKam's own trigger,
internal tags marked ``internalTag``, persons as tags with the ``person`` property under
People, a face as an ImageTagProperties row holding ``<rect .../>`` (TagRegion::toXml).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

CREATE_ACTIONS = ("CreateDB", "CreateIndices", "CreateTriggers")
INTERNAL = "_Digikam_Internal_Tags_"


def schema(dbconfig: Path) -> tuple[list[str], int]:
    """The statements that create digiKam's SQLite database, and its schema version."""
    database = ET.parse(dbconfig).getroot().find("database[@name='QSQLITE']")
    assert database is not None, "no SQLite section in dbconfig.xml"
    actions = {a.get("name"): a for a in database.iter("dbaction")}
    statements = [(s.text or "").strip() for name in CREATE_ACTIONS
                  for s in actions[name].findall("statement")]
    updates = [re.fullmatch(r"UpdateSchemaFromV\d+ToV(\d+)", name or "") for name in actions]
    return statements, max(int(m.group(1)) for m in updates if m)


def rect(box: tuple[float, float, float, float]) -> str:
    """A region as digiKam's TagRegion::toXml writes it (whole pixels)."""
    x, y, w, h = (round(v) for v in box)
    return f'<rect x="{x}" y="{y}" width="{w}" height="{h}"/>'


def unique_hash(path: Path) -> str:
    """digiKam's uniqueHash of a file, as its scanner stores it (first and last 100 KiB)."""
    data = path.read_bytes()
    edge = min(len(data), 100 * 1024)
    return hashlib.md5(data[:edge] + data[len(data) - edge:]).hexdigest()


class DigikamDb:
    """A new digikam4.db at ``path``, filled through digiKam's own tables."""

    def __init__(self, path: Path, dbconfig: Path) -> None:
        statements, self.version = schema(dbconfig)
        self.path = path
        self.con = sqlite3.connect(path)
        for statement in statements:
            self.con.execute(statement)
        self.con.executemany("INSERT INTO Settings (keyword, value) VALUES (?, ?)", [
            ("DBVersion", str(self.version)), ("DBVersionRequired", str(self.version)),
            ("uniqueHashVersion", "2")])
        self.people = self.tag("People")
        self.unknown = self._special("Unknown", "unknownPerson")
        self.unconfirmed = self._special("Unconfirmed", "unconfirmedPerson")
        self.ignored = self._special("Ignored", "ignoredPerson")

    def _insert(self, sql: str, *args: object) -> int:
        return int(self.con.execute(sql, args).lastrowid or 0)

    def _props(self, tag_id: int, **props: str | None) -> None:
        self.con.executemany("INSERT INTO TagProperties (tagid, property, value) VALUES "
                             "(?, ?, ?)", [(tag_id, k, v) for k, v in props.items()])

    def tag(self, path: str) -> int:
        """The tag at "A/B/C", created level by level as digiKam does (pid 0 at the top)."""
        pid = 0
        for name in path.split("/"):
            row = self.con.execute("SELECT id FROM Tags WHERE pid = ? AND name = ?",
                                   (pid, name)).fetchone()
            pid = row[0] if row else self._insert(
                "INSERT INTO Tags (pid, name) VALUES (?, ?)", pid, name)
            if not row and path.startswith(INTERNAL):
                self._props(pid, internalTag=None)
        return pid

    def _special(self, name: str, prop: str) -> int:
        tid = self.tag(f"People/{name}")
        self._props(tid, person=None, **{prop: None})
        return tid

    def person(self, name: str) -> int:
        tid = self.tag(f"People/{name}")
        self._props(tid, person=name, faceEngineId=name)
        return tid

    def root(self, specific_path: str, identifier: str) -> int:
        return self._insert("INSERT INTO AlbumRoots (label, status, type, identifier, "
                            "specificPath) VALUES (?, 0, 1, ?, ?)", "Pictures", identifier,
                            specific_path)

    def album(self, root_id: int, relative_path: str) -> int:
        return self._insert("INSERT INTO Albums (albumRoot, relativePath, date) VALUES "
                            "(?, ?, '2024-05-01')", root_id, relative_path)

    def image(self, album_id: int, name: str, file: Path | None = None, rating: int = -1,
              orientation: int = 1, category: int = 1) -> int:
        """A scanned file (``file``: its content, for size and hash); rating -1 = none."""
        size = file.stat().st_size if file else 12345
        digest = unique_hash(file) if file else "0" * 32
        iid = self._insert("INSERT INTO Images (album, name, status, category, "
                           "modificationDate, fileSize, uniqueHash) VALUES "
                           "(?, ?, 1, ?, '2024-05-01T10:00:00', ?, ?)", album_id, name,
                           category, size, digest)
        self._insert("INSERT INTO ImageInformation (imageid, rating, orientation, format) "
                     "VALUES (?, ?, ?, 'JPG')", iid, rating, orientation)
        return iid

    def tag_image(self, image_id: int, tag_id: int) -> None:
        self.con.execute("INSERT OR IGNORE INTO ImageTags (imageid, tagid) VALUES (?, ?)",
                         (image_id, tag_id))

    def label(self, image_id: int, name: str) -> None:
        """An internal label tag, e.g. "Pick Label Accepted" or "Color Label Red"."""
        self.tag_image(image_id, self.tag(f"{INTERNAL}/{name}"))

    def face(self, image_id: int, tag_id: int, box: tuple[float, float, float, float],
             prop: str = "tagRegion") -> None:
        """A face region; a confirmed one also tags the image with the person."""
        self.con.execute("INSERT INTO ImageTagProperties (imageid, tagid, property, value) "
                         "VALUES (?, ?, ?, ?)", (image_id, tag_id, prop, rect(box)))
        if prop == "tagRegion":
            self.tag_image(image_id, tag_id)

    def close(self) -> None:
        self.con.commit()
        self.con.close()
