"""The Settings pane's engine side: models per task, thresholds with a live preview of their
effect on the user's own catalog, optional model installs and model benchmarks.

The recognition and cluster previews (``faces.previews``) are cheap after a first
computation, cached until the catalog changes; the others are a few aggregate queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import peewee as pw

from engine import config
from engine.catalog import Library, tag_verdicts
from engine.catalog.schema import Face
from engine.errors import TermkamError
from engine.faces import settings as face_settings
from engine.faces.previews import ClusterPreview, FacePreviews, RecognitionPreview
from engine.quality import settings as quality_settings
from engine.quality.service import LabelPreview, label_preview
from engine.tagging import learning
from engine.tagging.learning import Learnt
from models import registry
from models.choices import CLASSIFIERS, FACE_DETECTORS, FACE_EMBEDDERS, OBJECT_DETECTORS
from models.errors import ModelError

from . import benchmark as bench
from . import setting_specs as specs


@dataclass(frozen=True)
class ModelInfo:
    """One model as the Settings pane lists it."""

    id: str
    task: str
    title: str
    kind: str                   # default | optional | backup
    runtime: str
    licence: str
    present: bool
    problem: str | None         # why it cannot run here (missing weights or runtime)
    size_bytes: int
    in_use: bool
    benchmarkable: bool

    @property
    def state(self) -> str:
        if not self.present:
            return "missing"
        return "no runtime" if self.problem else "present"


@dataclass(frozen=True)
class ModelChoice:
    """A task whose model the user picks: the usable models and the one in use."""

    task: str
    label: str
    setting: str
    choices: tuple[str, ...]
    current: str


@dataclass(frozen=True)
class DetectionPreview:
    score: float
    min_size: int
    total: int                  # faces found by a detector (not "not a face")
    passing: int


@dataclass(frozen=True)
class LearningPreview:
    on: bool
    learnt: list[Learnt]          # the tags whose minimum the removals raise
    under: int                    # auto tags now in the catalog under their raised minimum


@dataclass(frozen=True)
class QualityPreview:
    cut: float
    confirmed: int
    left_out: int


def detection_counts(score: float, min_size: float) -> tuple[int, int]:
    """(faces found by a detector, of them with det_score >= score and a shorter box side
    >= min_size) among the stored faces; 'not a face' markers do not count."""
    found = (Face.source == "detector") & (Face.status != "not_face")
    total = Face.select(pw.fn.COUNT(Face.id)).where(found).scalar() or 0
    passing = Face.select(pw.fn.COUNT(Face.id)).where(
        found & (Face.det_score >= score) & (pw.fn.MIN(Face.w, Face.h) >= min_size)).scalar()
    return int(total), int(passing or 0)


def quality_counts(cut: float) -> tuple[int, int]:
    """(confirmed faces, of them with a quality under ``cut``: left out of the references).
    Faces without a quality (from metadata) are always kept, as recognition does."""
    confirmed = (Face.status == "confirmed") & Face.person.is_null(False)
    total = Face.select(pw.fn.COUNT(Face.id)).where(confirmed).scalar() or 0
    left = Face.select(pw.fn.COUNT(Face.id)).where(
        confirmed & Face.quality.is_null(False) & (Face.quality < cut)).scalar()
    return int(total), int(left or 0)


class TuningService:
    """What the Settings pane asks the engine; safe to call from worker threads."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._faces = FacePreviews()

    # -- models -------------------------------------------------------------------------
    def models(self) -> list[ModelInfo]:
        """Every known model with its state here and whether the settings use it."""
        from models.runtimes import runtime_missing

        used = {specs.current_model(task) for task in specs.MODEL_SETTINGS}
        stored = quality_settings.GROUP.stored().values  # a bad neighbour must not hide it
        if stored.get("detect_brisque") and stored.get("brisque_weight", 0) > 0:
            used.add("brisque")
        root = config.models_dir()
        found = []
        for spec in registry.MODELS:
            state = registry.status(spec, root)
            found.append(ModelInfo(
                spec.id, spec.task, spec.title, spec.kind, spec.runtime, spec.licence,
                state.present, state.missing_reason or runtime_missing(spec),
                state.size_bytes if state.present and state.size_bytes else spec.size_bytes,
                spec.id in used, spec.id in bench.BENCHMARKS))
        return found

    @staticmethod
    def choices(task: str) -> list[str]:
        """Models the engine can use for ``task`` (e.g. face_detect: centerface, yunet)."""
        usable = {"face_detect": FACE_DETECTORS, "face_embed": FACE_EMBEDDERS,
                  "object_detect": OBJECT_DETECTORS, "classify": CLASSIFIERS}.get(task, ())
        return [spec.id for spec in registry.MODELS if spec.task == task and spec.id in usable]

    def model_choices(self) -> list[ModelChoice]:
        """Every task whose model the user picks, with its choices and current model."""
        return [ModelChoice(task, label, setting, tuple(self.choices(task)),
                            specs.current_model(task))
                for task, (_, setting, label) in specs.MODEL_SETTINGS.items()]

    def use_model(self, task: str, model_id: str) -> None:
        """Make ``model_id`` the model for ``task``; refused when it is missing here."""
        if task not in specs.MODEL_SETTINGS or model_id not in self.choices(task):
            raise TermkamError(f"{model_id} cannot be used for {task}")
        info = next(m for m in self.models() if m.id == model_id)
        if info.problem:
            raise TermkamError(info.problem)
        with self.library.writing():
            specs.use_model(task, model_id)

    def install(self, model_id: str, source: str | None = None,
                log: Callable[[str], None] | None = None) -> Path:
        """Install optional ``model_id`` from ``source`` (a folder or URL; default upstream),
        verified by sha256. Any failure is a one-line TermkamError."""
        from models.install import install

        try:
            return install(registry.get(model_id), config.models_dir(), source or None, log)
        except ModelError as error:
            raise TermkamError(str(error)) from None

    # -- thresholds -----------------------------------------------------------------------
    @staticmethod
    def thresholds() -> tuple[specs.Threshold, ...]:
        return specs.THRESHOLDS

    @staticmethod
    def values() -> dict[str, Any]:
        """The stored value of every setting the pane edits, by name."""
        return specs.values()

    @staticmethod
    def check(name: str, value: Any) -> Any:
        return specs.check(name, value)

    def save_setting(self, name: str, value: Any) -> None:
        """Store one setting the pane edits."""
        with self.library.writing():
            specs.save(name, specs.check(name, value))

    # -- previews -------------------------------------------------------------------------
    def recognition_preview(self, threshold: float) -> RecognitionPreview:
        """What a recognition distance would do (see ``faces.previews``)."""
        return self._faces.recognition(threshold)

    def cluster_preview(self, eps: float, min_size: int) -> ClusterPreview:
        """What a cluster eps and minimum size would do (see ``faces.previews``)."""
        return self._faces.cluster(eps, min_size)

    @staticmethod
    def pick_preview(values: dict[str, Any]) -> LabelPreview:
        """Pick-label counts of the scored photos with these (unsaved) quality settings."""
        try:
            settings = replace(quality_settings.load(), **specs.group_values("quality", values))
        except ValueError as error:
            raise TermkamError(str(error)) from None
        return label_preview(settings)

    @staticmethod
    def detection_preview(score: float, min_size: int) -> DetectionPreview:
        """Stored faces that would pass a detection score and minimum size."""
        total, passing = detection_counts(score, min_size)
        return DetectionPreview(score, min_size, total, passing)

    @staticmethod
    def learning_preview(on: bool) -> LearningPreview:
        """What learning from the removed auto tags would raise, and the auto tags now in the
        catalog it would not give again."""
        raised = learning.learnt(tag_verdicts.tag_verdicts())
        under = tag_verdicts.auto_tags_under({item.tag: item.minimum for item in raised})
        return LearningPreview(on, raised, under)

    @staticmethod
    def decode_side(face_size: str) -> int:
        """Pixels of the long side photos are decoded at for a face size setting."""
        return face_settings.FACE_SIZES[face_size]

    @staticmethod
    def quality_preview(cut: float) -> QualityPreview:
        """Confirmed faces that a quality cut would leave out of the references."""
        confirmed, left = quality_counts(cut)
        return QualityPreview(cut, confirmed, left)

    # -- benchmarks -----------------------------------------------------------------------
    @staticmethod
    def bench_photos(limit: int = 16) -> list[np.ndarray]:
        """Up to ``limit`` of the catalog's photos (those with faces first), 640 px."""
        return bench.catalog_photos(limit)

    @staticmethod
    def benchmark(model_id: str, batch_sizes: Sequence[int], images: Sequence[np.ndarray],
                  repeat: int = 3, cancelled: Callable[[], bool] | None = None,
                  progress: Callable[[int, int], None] | None = None) -> list[bench.BenchRow]:
        """``engine.benchmark.benchmark`` with the library's models dir; one-line errors."""
        try:
            return bench.benchmark(model_id, batch_sizes, images, repeat, cancelled=cancelled,
                                   progress=progress)
        except ModelError as error:
            raise TermkamError(str(error)) from None
