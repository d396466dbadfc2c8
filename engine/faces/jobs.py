"""The work of the face tools that follow detection: recognise and cluster."""

from __future__ import annotations

from engine.jobs import JobContext

from . import clustering, recognition
from . import settings as face_settings
from .loaders import embedder_key
from .planned_write import write_planned


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

