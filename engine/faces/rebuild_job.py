"""Rebuild the recognition data from confirmed faces only (digiKam bug 497491's fix).

Faces embedded by an older model are re-embedded with the current one (their photos are
decoded again through the pipeline); confirmed faces under the quality cut stay named but are
left out of the reference set; every suggestion is then recomputed from scratch.
"""

from __future__ import annotations

import numpy as np

from engine.analysis import photo_of
from engine.catalog import faces as face_db
from engine.catalog import images
from engine.catalog.records import FaceRecord, ImageRecord
from engine.errors import ItemError
from engine.jobs import JobContext
from engine.pipeline import Outcome, Step, run_pipeline
from models.face_detect import DetectedFace
from models.face_embed import FaceEmbedder
from models.runtimes import default_threads

from . import recognition
from . import settings as face_settings
from .detect_job import Loaded, _load
from .geometry import scaled
from .loaders import embedder_for
from .planned_write import write_planned
from .rebuild import RebuildReport, reference_report, stale_faces

PHASE = "re-embedding faces"


def _reembed_step(embedder: FaceEmbedder, settings: face_settings.FaceSettings,
                  counter: RebuildReport) -> Step:
    def load(group: tuple[int, list[FaceRecord]]) -> tuple[Loaded, list[FaceRecord]]:
        return _load(photo_of(_image(group[0])), settings.decode_side), group[1]

    def infer(batch: list[tuple[Loaded, list[FaceRecord]]]) -> list[list[tuple[int, np.ndarray]]]:
        results = []
        for loaded, faces in batch:
            crops = []
            for face in faces:
                box = scaled(face.box, 1 / loaded.scale)
                marks = tuple((x / loaded.scale, y / loaded.scale)
                              for x, y in (face.landmarks or ()))
                crops.append(embedder.crop(loaded.pixels, DetectedFace(box, marks, 1.0)))
            vectors = embedder.embed_crops(crops)
            results.append([(f.id, v) for f, v in zip(faces, vectors, strict=True)])
        return results

    def write(outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            for fid, vector in outcome.result or []:
                face_db.set_embedding(fid, embedder.model_id, embedder.version, vector)
                counter.reembedded += 1

    return Step("faces.reembed", load, write, infer, describe=lambda g: f"image #{g[0]}",
                image_id=lambda g: g[0], batch_size=4)


def _image(image_id: int) -> ImageRecord:
    record = images.get_image(image_id)
    if record is None:
        raise ItemError(f"image #{image_id} is no longer in the catalog")
    return record


def run_rebuild(ctx: JobContext) -> str:
    settings = face_settings.load()
    threads = int(ctx.options.get("threads") or default_threads())
    embedder = embedder_for(settings, threads)
    report = RebuildReport()
    groups: dict[int, list[FaceRecord]] = {}
    for face in stale_faces(embedder.model_id, embedder.version):
        groups.setdefault(face.image_id, []).append(face)
    ctx.total = len(groups)
    if groups:
        ctx.load_models((embedder,), then=PHASE)
    run_pipeline(ctx, _reembed_step(embedder, settings, report), list(groups.items()), PHASE)
    if ctx.cancelled:
        return f"cancelled after re-embedding {report.reembedded} faces"
    write_planned(ctx.library, lambda: recognition.plan_suggestions(
        settings, embedder.model_id, embedder.version), recognition.write_plan)
    final = reference_report(settings)
    final.reembedded = report.reembedded
    return final.summary()
