"""The checks after a kill and after a resume: integrity, decisions kept and not acted
against, duplicates, the scan's "missing" count, unfinished jobs."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

from bench.fault_campaign.catalog import (
    FaceRow,
    PathKey,
    face_rows,
    image_paths,
    read_only,
    tag_paths,
)
from bench.fault_campaign.cli import termkam
from bench.fault_campaign.jobs import job_rows
from bench.fault_campaign.reports import Findings
from bench.fault_campaign.state import Decisions, differences, read_decisions
from engine.faces.geometry import iou

DUPLICATE_IOU = 0.7
FINISHED_OK = ("done", "resumed")


def sqlite_problems(library: Path) -> list[str]:
    """``integrity_check`` and ``foreign_key_check`` of catalog.db and thumbs.db."""
    problems = []
    for name in ("catalog.db", "thumbs.db"):
        try:
            with read_only(library / name) as con:
                check = con.execute("PRAGMA integrity_check").fetchall()
                keys = con.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.Error as error:
            problems.append(f"{name}: {error}")
            continue
        if check != [("ok",)]:
            problems.append(f"{name}: integrity_check says {check[:3]}")
        if keys:
            problems.append(f"{name}: {len(keys)} foreign keys broken, e.g. {keys[:3]}")
    return problems


def opens_problems(library: Path) -> list[str]:
    """``termkam status`` must open the library."""
    status = termkam(library, "status")
    if status.returncode == 0:
        return []
    return [f"`termkam status` exited {status.returncode}: {status.stderr.strip()[-300:]}"]


def duplicate_problems(library: Path) -> list[str]:
    """Image paths twice, overlapping faces on a picture, an auto tag twice on a picture."""
    with read_only(library / "catalog.db") as con:
        paths, tags = image_paths(con), tag_paths(con)
        faces = [f for f in face_rows(con) if not f.superseded]
        auto = Counter((paths[i], tags[t]) for i, t in con.execute(
            "SELECT image_id, tag_id FROM image_tag WHERE source = 'auto'"))
    problems = [f"image path twice: {p}" for p, n in Counter(paths.values()).items() if n > 1]
    problems += overlapping_faces(faces)
    problems += [f"auto tag {tag} {n} times on {path}" for (path, tag), n in auto.items()
                 if n > 1]
    return problems


def overlapping_faces(faces: list[FaceRow]) -> list[str]:
    """Pairs of faces on one picture with IoU >= DUPLICATE_IOU."""
    by_image: dict[int, list[FaceRow]] = defaultdict(list)
    for face in faces:
        by_image[face.image_id].append(face)
    return [f"faces {a.key} ({a.status}) and {b.key} ({b.status}) overlap: "
            f"IoU {iou(a.box, b.box):.2f}"
            for group in by_image.values() for n, a in enumerate(group) for b in group[n + 1:]
            if iou(a.box, b.box) >= DUPLICATE_IOU]


def summary_missing(stdout: str) -> int:
    """The "N missing" count of a scan's summary line (0 when it names none)."""
    found = re.search(r"(\d+) missing", stdout)
    return int(found.group(1)) if found else 0


def decisions_acted_against(catalog: Path) -> list[str]:
    """Machine results that go against a decision still on record."""
    with read_only(catalog) as con:
        faces = face_rows(con)
        paths, tags = image_paths(con), tag_paths(con)
        rejected = {(fid, name) for fid, name in con.execute(
            "SELECT face_id, person.name FROM face_rejection "
            "JOIN person ON person.id = face_rejection.person_id")}
        removed = set(con.execute(
            "SELECT image_tag.image_id, image_tag.tag_id FROM image_tag JOIN tag_rejection "
            "USING (image_id, tag_id) WHERE image_tag.source = 'auto'"))
    problems = [f"{f.status} face {f.key} has a suggestion or a cluster"
                for f in faces if f.status in ("ignored", "not_face")
                and (f.suggested is not None or f.cluster is not None)]
    problems += [f"face {f.key} is suggested as {f.suggested}, a name the user rejected for it"
                 for f in faces if (f.id, f.suggested) in rejected]
    problems += [f"auto tag {tags[t]} is back on {paths[i]} though the user removed it"
                 for i, t in sorted(removed)]
    return problems


def check(findings: Findings, when: str, library: Path, before: Decisions,
          path_of: PathKey) -> None:
    """Integrity (sqlite), decisions kept (images keyed by ``path_of``) and not acted
    against, duplicates."""
    findings.add(when, "integrity", sqlite_problems(library))
    catalog = library / "catalog.db"
    try:
        findings.add_differences(when, "decisions", differences(
            before, read_decisions(catalog, path_of), "lost", "appeared"))
        findings.add(when, "decisions", decisions_acted_against(catalog))
        findings.add(when, "duplicates", duplicate_problems(library))
    except sqlite3.Error as error:
        findings.add(when, "integrity", [f"the catalog cannot be read: {error}"])


def unfinished_jobs(catalog: Path, after: int) -> list[str]:
    """Jobs of the run that the resume left neither done nor resumed."""
    return [f"job #{jid} {kind} left {state} ({done}/{total})"
            for jid, kind, state, done, total, *_ in job_rows(catalog, after)
            if state not in FINISHED_OK]
