"""The kill campaign's harness, shared by bench/faults.py (the long campaign, a table) and
tests/faults/test_kill_campaign.py (one seeded kill per job kind).

A collection of real photos (camera-sized variants of the sample photos) is scanned into a
base library; faces, auto tags and quality run on half of its albums, then every kind of user
decision is taken through the real command line. For each job kind/mode (``CASES``) the real
``termkam`` process runs on a copy of that library and is killed with SIGKILL at a random point
(when its job's ``done`` counter, polled read-only, reaches a random share of its total, or
after a random share of its duration for the steps that write once). Then:

1. integrity: ``PRAGMA integrity_check`` and ``foreign_key_check`` on catalog.db and thumbs.db,
   and ``termkam status`` opens the library;
2. decisions kept: every user decision taken before the job is there after the kill and after
   ``termkam jobs resume`` (and no job acts against one: no suggestion of a rejected name, no
   suggestion or cluster for an ignored face, no auto tag the user removed);
3. duplicates: no image path twice, no two faces of a picture overlapping (IoU >= 0.7), no
   auto tag twice on a picture;
4. resume = clean run: ``termkam jobs resume`` exits 0 and leaves the machine results a clean,
   unkilled run of the same command leaves on an identical copy of the library.

The cases run with small batches (many commits to land between). The first scan adds a new
folder to the decided library; `faces rebuild` runs on embeddings marked as made by an older
model version (else it has nothing to re-embed and writes once in a few milliseconds); one
case kills `run faces` the instant one of its jobs is recorded done, before the next.

The package, one job a module: ``photos`` builds the collection, ``cli`` runs the real
``termkam``, ``catalog`` and ``state`` read a library with sqlite3 (decisions, results, their
differences), ``decisions`` prepares the base library, ``jobs`` and ``kills`` watch the job
table and kill, ``cases`` holds the job kinds and the changes before them, ``checks`` the
checks above, ``reports`` what they found, and ``campaign`` runs a case (clean run, kill,
resume, compare).
"""

from __future__ import annotations

from bench.fault_campaign.campaign import Campaign, case_rng, run_case
from bench.fault_campaign.cases import CASES, Case
from bench.fault_campaign.catalog import current_path
from bench.fault_campaign.checks import check, duplicate_problems
from bench.fault_campaign.cli import termkam_args
from bench.fault_campaign.decisions import prepare_library
from bench.fault_campaign.photos import build_photos
from bench.fault_campaign.reports import CaseReport, Findings
from bench.fault_campaign.state import Decisions, read_decisions

__all__ = [
    "termkam_args",
    "CASES",
    "Campaign",
    "Case",
    "CaseReport",
    "Decisions",
    "Findings",
    "build_photos",
    "case_rng",
    "check",
    "current_path",
    "duplicate_problems",
    "prepare_library",
    "read_decisions",
    "run_case",
]
