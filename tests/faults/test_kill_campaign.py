"""The kill campaign, short and seeded: for every job kind/mode, the real `termkam` killed with
SIGKILL once at a random point (fixed seed), then resumed. After the kill and after the
resume the catalog is sound and opens, every user decision taken before the job is still
there and respected, nothing is duplicated; and the resume leaves what a clean run leaves.

The harness is the package bench/fault_campaign/; bench/faults.py runs the long campaign.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from bench.fault_campaign import (
    CASES,
    Campaign,
    Case,
    Decisions,
    build_photos,
    case_rng,
    check,
    current_path,
    duplicate_problems,
    prepare_library,
    read_decisions,
    run_case,
)
from bench.fault_campaign import Findings as CheckFindings

SEED = 20240611
PHOTOS, MEGAPIXELS = 24, 2.0


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[Campaign, Decisions]:
    """The collection and its base library with every kind of decision, built once."""
    work = tmp_path_factory.mktemp("kill-campaign")
    photos = build_photos(work, PHOTOS, MEGAPIXELS)
    decisions = prepare_library(photos, work / "base")
    (work / "runs").mkdir()
    return Campaign(photos, work / "base", work / "runs"), decisions


def test_base_library_holds_every_kind_of_decision(campaign):
    _, decisions = campaign
    assert decisions.missing_kinds() == []
    assert decisions.persons == {"Ann", "Ben", "Cid", "Eileen", "Sam"}   # renamed, merged
    assert {label for _, label in decisions.user_labels} == {"rejected", "pending", "accepted"}


def test_the_checks_see_a_lost_decision_and_a_duplicate(campaign, tmp_path: Path):
    """The harness itself: a user tag dropped and a face detected twice are reported."""
    base, decisions = campaign[0].base, campaign[1]
    library = tmp_path / "library"
    shutil.copytree(base, library)
    with contextlib.closing(sqlite3.connect(library / "catalog.db")) as con, con:
        con.execute("DELETE FROM image_tag WHERE source = 'user' AND (image_id, tag_id) IN "
                    "(SELECT image_id, tag_id FROM image_tag WHERE source = 'user' LIMIT 1)")
        con.execute("INSERT INTO face (image_id, x, y, w, h, source, status, created_at, "
                    "updated_at) SELECT image_id, x + 1, y, w, h, 'detector', 'unconfirmed', "
                    "0, 0 FROM face WHERE status = 'confirmed' LIMIT 1")
    found = CheckFindings()
    check(found, "now", library, decisions, current_path)
    assert len(found.decisions) == 1 and "1 user_tags lost" in found.decisions[0]
    assert +found.items == Counter(decisions=1, duplicates=1)
    assert len(found.duplicates) == 1 and "overlap" in found.duplicates[0]
    assert found.integrity == []
    assert len(duplicate_problems(base)) == 0
    assert read_decisions(base / "catalog.db") == decisions


@pytest.mark.parametrize("case", CASES, ids=[case.slug for case in CASES])
def test_kill_then_resume(campaign, case: Case):
    report = run_case(campaign[0], case, kills=1, rng=case_rng(SEED, case))
    assert report.landed == 1, [a.point for a in report.attempts]
    assert report.clean is not None and report.clean.problems == []
    for attempt in report.attempts:
        findings, where = attempt.findings, f"killed {attempt.point}; left {attempt.left}"
        assert findings.integrity == [], where
        assert findings.decisions == [], where
        assert findings.duplicates == [], where
        assert findings.resume == [], where
