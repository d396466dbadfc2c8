"""The face detection job: decode at the face-size setting, detect, crop, score quality and
embed every face once, in batches on the generic pipeline.

Modes: "new" (images not yet processed by these models), "merge" (rescan all; keep every
face the user decided about and any face already found, add new ones), "clear" (drop the
machine's faces, keep the user's, detect again). Named face regions in the files (MWG or
Microsoft, turned upright by the metadata reader) become confirmed faces of those persons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import decode, metadata
from engine.analysis import Photo, photo_of
from engine.catalog import faces as face_db
from engine.catalog import state, thumbs
from engine.catalog.records import ImageRecord
from engine.errors import TermkamError
from engine.jobs import JobContext
from engine.pipeline import Outcome, Step, run_pipeline
from engine.printable import counted
from engine.scope import not_redone, scoped_images
from models.face_detect import DetectedFace, FaceDetector
from models.face_embed import FaceEmbedder
from models.runtimes import default_threads

from . import settings as face_settings
from .crops import face_thumbnail
from .geometry import Box, displayed_size, iou, scaled
from .loaders import detector_for, embedder_for
from .passes import PASS_SCALE, SAME_FACE_IOU, find_faces
from .quality import face_quality
from .regions import apply_regions

STEP = "faces"
PHASE = "detecting faces"


@dataclass
class Loaded:
    pixels: np.ndarray
    scale: float                       # full-size displayed pixels per decoded pixel
    regions: tuple[metadata.FaceRegion, ...]
    size: tuple[int, int]              # displayed full size


@dataclass
class FoundFace:
    box: Box                           # full-size displayed pixels
    landmarks: tuple[tuple[float, float], ...] | None
    det_score: float | None
    quality: float
    quality_detail: dict[str, float]
    vector: np.ndarray
    thumb: bytes
    source: str = "detector"


@dataclass
class Found:
    faces: list[FoundFace] = field(default_factory=list)
    regions: list[tuple[Box, str]] = field(default_factory=list)  # named, full-size pixels


def model_key(detector: FaceDetector, embedder: FaceEmbedder) -> tuple[str, str]:
    return (f"{detector.model_id}+{embedder.model_id}",
            f"{detector.version}+{embedder.version}")


def _load(photo: Photo, side: int) -> Loaded:
    data = photo.read()
    info = decode.probe(data)
    pixels = decode.decode(data, info, photo.orientation, max_side=side)
    size = displayed_size(info.width, info.height, photo.orientation)
    try:
        regions = metadata.read_metadata(data, photo.read_sidecar()).face_regions
    except TermkamError:
        regions = ()
    return Loaded(pixels, size[0] / pixels.shape[1], regions, size)


@dataclass(frozen=True)
class FaceWork:
    """The detect job's analysis (decode, detect, crop, score, embed) as a picklable value."""

    settings: face_settings.FaceSettings
    uses_sidecar = True   # named face regions

    @property
    def models(self) -> tuple[str, ...]:
        return (self.settings.detector, self.settings.embedder)

    def open(self, threads: int | None) -> FaceAnalysis:
        return FaceAnalysis(FaceFinder(detector_for(self.settings, threads),
                                       embedder_for(self.settings, threads), self.settings))


class FaceAnalysis:
    def __init__(self, finder: FaceFinder) -> None:
        self.infer = finder
        self.side = finder.settings.decode_side

    def load(self, photo: Photo) -> Loaded:
        return _load(photo, self.side)


class FaceFinder:
    """The batched model part: detect, add named metadata regions, crop, score, embed."""

    def __init__(self, detector: FaceDetector, embedder: FaceEmbedder,
                 settings: face_settings.FaceSettings) -> None:
        self.detector, self.embedder, self.settings = detector, embedder, settings

    def detect(self, batch: list[Loaded]) -> list[list[DetectedFace]]:
        """Faces in each decoded photo: one pass and second looks (see ``passes``)."""
        return find_faces(self.detector, [item.pixels for item in batch],
                          self.settings.detect_score,
                          round(self.settings.decode_side * PASS_SCALE))

    def __call__(self, batch: list[Loaded]) -> list[Found]:
        min_sizes = [self.settings.min_face_size / item.scale for item in batch]
        detections = self.detect(batch)
        results: list[Found] = []
        crops: list[np.ndarray] = []
        for item, faces, min_size in zip(batch, detections, min_sizes, strict=True):
            found = Found()
            faces = [f for f in faces if min(f.box[2], f.box[3]) >= min_size]
            for face in faces:
                found.faces.append(self._face(item, face, "detector", crops))
            for region in item.regions:
                if not region.name:
                    continue
                box = (region.x * item.pixels.shape[1], region.y * item.pixels.shape[0],
                       region.w * item.pixels.shape[1], region.h * item.pixels.shape[0])
                found.regions.append((scaled(box, item.scale), region.name))
                if not any(iou(box, f.box) >= SAME_FACE_IOU for f in faces):
                    found.faces.append(self._face(item, DetectedFace(box, (), 1.0), "metadata",
                                                  crops))
            results.append(found)
        vectors = self.embedder.embed_crops(crops) if crops else np.zeros((0, 512), np.float32)
        row = 0
        for found in results:
            for found_face in found.faces:
                found_face.vector, row = vectors[row], row + 1
        return results

    def _face(self, item: Loaded, face: DetectedFace, source: str,
              crops: list[np.ndarray]) -> FoundFace:
        crop = self.embedder.crop(item.pixels, face)
        crops.append(crop)
        box = scaled(face.box, item.scale)
        marks = tuple((x * item.scale, y * item.scale) for x, y in face.landmarks) or None
        quality, detail = face_quality(crop, min(box[2], box[3]), marks,
                                       face.score if source == "detector" else None)
        return FoundFace(box, marks, face.score if source == "detector" else None, quality,
                         detail, np.zeros(0, np.float32), face_thumbnail(item.pixels, face.box),
                         source)


class FaceWriter:
    """Writes one batch: faces, embeddings, face thumbnails, named regions, processing state."""

    def __init__(self, mode: str, detector: FaceDetector, embedder: FaceEmbedder) -> None:
        self.mode, self.embedder = mode, embedder
        self.detector_id = detector.model_id
        self.model_id, self.version = model_key(detector, embedder)
        self.added = 0

    def __call__(self, outcomes: list[Outcome[ImageRecord, Found]]) -> None:
        face_thumbs: list[tuple[int, bytes]] = []
        cleared: list[int] = []
        done = []
        for outcome in outcomes:
            if outcome.error is not None or outcome.result is None:
                continue
            image_id = outcome.item.id
            if self.mode == "clear":
                gone = face_db.machine_face_ids([image_id])
                face_db.delete_faces(gone)
                cleared += gone
            kept = face_db.boxes_of_image(image_id)
            bare = face_db.unembedded_region_faces(image_id)  # made by a scan from a region
            embedded = set(face_db.embeddings([fid for fid, _, _ in kept],
                                              model_id=self.embedder.model_id,
                                              model_version=self.embedder.version)[0].tolist())
            for face in outcome.result.faces:
                twin = next((fid for fid, _, box in kept
                             if iou(face.box, box) >= SAME_FACE_IOU), None)
                if twin is None:
                    twin = self._insert(image_id, face)
                    kept.append((twin, "unconfirmed", face.box))
                elif twin in bare:
                    bare.discard(twin)
                    self._adopt(twin, face)
                else:
                    if twin not in embedded:  # found before, by another embedder: its vector
                        face_db.set_embedding(twin, self.embedder.model_id,
                                              self.embedder.version, face.vector)
                        embedded.add(twin)
                    continue
                face_thumbs.append((twin, face.thumb))
            apply_regions(image_id, outcome.result.regions)
            done.append(image_id)
        if face_thumbs or cleared:
            with thumbs.writing():
                face_db.delete_face_thumbs(cleared)
                face_db.put_face_thumbs(face_thumbs)
        state.mark_done(done, STEP, self.model_id, self.version)

    def _insert(self, image_id: int, face: FoundFace) -> int:
        fid = face_db.insert_face(image_id, face.box, **self._found(face))
        face_db.set_embedding(fid, self.embedder.model_id, self.embedder.version, face.vector)
        self.added += 1
        return fid

    def _adopt(self, face_id: int, face: FoundFace) -> None:
        """A face a scan made from a region takes this detection's box, scores and vector."""
        face_db.adopt_detection(face_id, face.box, **self._found(face))
        face_db.set_embedding(face_id, self.embedder.model_id, self.embedder.version,
                              face.vector)

    def _found(self, face: FoundFace) -> dict[str, Any]:
        return dict(landmarks=face.landmarks, det_score=face.det_score, quality=face.quality,
                    quality_detail=face.quality_detail, source=face.source,
                    detector=self.detector_id if face.source == "detector" else None)


def run_detect(ctx: JobContext) -> str:
    """Options: mode (new | merge | clear), albums / images (scope), batch_size."""
    mode = ctx.options.get("mode", "new")
    settings = face_settings.load()
    threads = int(ctx.options.get("threads") or default_threads())
    detector = detector_for(settings, threads)
    embedder = embedder_for(settings, threads)
    records = scoped_images(ctx.options)
    key = model_key(detector, embedder)
    if mode == "new":
        todo = set(state.pending(STEP, *key))
        records = [r for r in records if r.id in todo]
    else:
        records = not_redone(ctx.options, records, lambda since: state.done_since(
            STEP, *key, since))
    ctx.total = len(records)
    if records:
        ctx.load_models((detector, embedder), then=PHASE)
    writer = FaceWriter(mode, detector, embedder)
    analysis = FaceAnalysis(FaceFinder(detector, embedder, settings))
    step = Step(STEP, lambda r: analysis.load(photo_of(r)), writer, analysis.infer,
                describe=lambda r: r.path, image_id=lambda r: r.id,
                batch_size=int(ctx.options.get("batch_size", 8)),
                workers=int(ctx.options.get("workers", 2)), work=FaceWork(settings))
    run_pipeline(ctx, step, records, PHASE)
    return (f"{counted(ctx.done - ctx.errors, 'image')}, {counted(writer.added, 'face')} "
            f"found, {counted(ctx.errors, 'error')}")

