"""The face maintenance tools, in digiKam's order: detect, recognise, cluster, rebuild."""

from __future__ import annotations

from engine.jobs import JobContext, JobKind

from . import clustering, recognition
from . import settings as face_settings
from .detect_job import DETECT_JOB
from .loaders import embedder_key
from .planned_write import write_planned
from .rebuild import run_rebuild


def run_recognize(ctx: JobContext) -> str:
    settings = face_settings.load()
    ctx.progress("matching faces")
    stats = write_planned(ctx.library, lambda: recognition.plan_suggestions(
        settings, *embedder_key(settings)), recognition.write_plan).stats
    ctx.done = ctx.total = stats.faces
    return (f"{stats.suggested} of {stats.faces} unconfirmed faces have a suggestion "
            f"({stats.changed} changed)")


def run_cluster(ctx: JobContext) -> str:
    settings = face_settings.load()
    ctx.progress("clustering unknown faces")
    stats = write_planned(ctx.library, lambda: clustering.plan_clusters(
        settings, *embedder_key(settings)), clustering.write_plan).stats
    ctx.done = ctx.total = stats.faces
    return (f"{stats.clustered} of {stats.faces} unknown faces in {stats.clusters} clusters")


FACE_JOBS = (
    DETECT_JOB,
    JobKind("faces.recognize", "Recognise faces", run_recognize, unit="faces"),
    JobKind("faces.cluster", "Cluster unknown faces", run_cluster, unit="faces"),
    JobKind("faces.rebuild", "Rebuild face training data", run_rebuild),
)
