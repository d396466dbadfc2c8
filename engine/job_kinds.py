"""The maintenance tools, in the fixed order digiKam runs them: what each is called, its
options and what they mean. The work itself is named by reference and imported only when a
job runs, so listing the tools (``termkam --help``, ``status``, the Maintenance pane) never
loads OpenCV or a model runtime.
"""

from __future__ import annotations

from .jobs import JobKind

FACE_MODES = ("new", "merge", "clear")
TAG_MODES = ("untagged", "update", "replace")
QUALITY_MODES = ("unscored", "all")
WRITE_MODES = ("changed", "all", "pending")
WRITE_TARGETS = ("sidecar", "file")

SCAN = JobKind("scan", "Scan for new items", "engine.scanner:run_scan")
THUMBNAILS = JobKind(
    "thumbnails", "Rebuild thumbnails", "engine.thumbnails_job:run_thumbnails",
    {"mode": ("missing", "all")},
    explain={"missing": "only photos without a thumbnail",
             "all": "every photo's thumbnail made again"})
FACE_DETECT = JobKind(
    "faces.detect", "Detect faces", "engine.faces.detect_job:run_detect", {"mode": FACE_MODES},
    scoped=True, remote=True,
    explain={"new": "only photos these models have not processed yet",
             "merge": "every photo again: keeps faces found before and your decisions, adds "
                      "new faces",
             "clear": "drops the machine's faces (never yours) and detects every photo again"})
FACE_RECOGNIZE = JobKind("faces.recognize", "Recognise faces",
                         "engine.faces.jobs:run_recognize", unit="faces")
FACE_CLUSTER = JobKind("faces.cluster", "Cluster unknown faces", "engine.faces.jobs:run_cluster",
                       unit="faces")
FACE_REBUILD = JobKind("faces.rebuild", "Rebuild face training data",
                       "engine.faces.rebuild_job:run_rebuild")
AUTO_TAGS = JobKind(
    "tags.auto", "Auto-tag objects and scenes", "engine.tagging.job:run_tags",
    {"mode": TAG_MODES}, scoped=True, remote=True, check_options="engine.tagging.job:run_settings",
    explain={"untagged": "only photos with no auto tag that these models have not processed",
             "update": "every photo again: tags found again keep their best confidence, new "
                       "ones are added",
             "replace": "every photo again: earlier auto tags are dropped first (yours stay)"})
QUALITY = JobKind(
    "quality.sort", "Sort images by quality", "engine.quality.job:run_quality",
    {"mode": QUALITY_MODES}, scoped=True, remote=True,
    explain={"unscored": "only photos without scores from the enabled detectors",
             "all": "every photo scored again (pick labels you set by hand stay)"})
WRITE = JobKind(
    "metadata.write", "Write metadata to files", "engine.writeback.job:run_write",
    {"mode": WRITE_MODES, "to": WRITE_TARGETS}, scoped=True,
    explain={"changed": "photos never written, and those with decisions since their last "
                        "write",
             "all": "every photo in scope, written again",
             "pending": "only the photos waiting for the background write-back",
             "sidecar": "into XMP sidecars beside the photos (photo.jpg.xmp); photos untouched",
             "file": "into the photos themselves, atomically (RAW files get a sidecar)"})

JOB_KINDS: dict[str, JobKind] = {
    job.kind: job for job in (SCAN, THUMBNAILS, FACE_DETECT, FACE_RECOGNIZE, FACE_CLUSTER,
                              FACE_REBUILD, AUTO_TAGS, QUALITY, WRITE)}
