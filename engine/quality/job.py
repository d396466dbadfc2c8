"""The image quality sorter job: a reduced decode of each photo, the enabled detectors (and a
learned model if the user installed one), a 0-100 figure and a pick label per photo.

Modes: "unscored" (photos without scores from these detectors), "all". A pick label the
user set by hand is never changed; the scores are stored either way, so the Settings preview
can say what other weights and thresholds would do without running the detectors again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from engine import decode
from engine.analysis import Photo, photo_of
from engine.catalog import picks
from engine.catalog.records import ImageRecord
from engine.errors import TermkamError
from engine.jobs import LOADING, JobContext
from engine.pipeline import Outcome, Step, run_pipeline
from engine.printable import counted
from engine.scope import not_redone, scoped_images
from models.quality import QualityScores, score_image

from . import settings as quality_settings
from .learned_file import kept_file, model_bytes

if TYPE_CHECKING:
    from models.quality_learned import LearnedQuality
from .scoring import QualitySettings, Verdict, combine

STEP = "quality"
PHASE = "scoring quality"
VERSION = "quality-1"


@dataclass
class Scored:
    scores: QualityScores
    learned: float | None
    verdict: Verdict


def version_of(settings: QualitySettings) -> str:
    """What stored scores must match to count as done: detector code and the detector set."""
    learned = f"+learned:{Path(settings.learned_model).name}" if "learned" in \
        settings.weights() else ""
    return f"{VERSION}:{','.join(sorted(settings.detectors()))}{learned}"


def learned_model_path(settings: QualitySettings) -> Path | None:
    """The user's learned model file when the learned score is on (None: it is off)."""
    if "learned" not in settings.weights():
        return None
    if not settings.learned_model:
        raise TermkamError("the learned quality score is on but no model is set: "
                           "set quality learned_model to an ONNX file, or turn it off")
    return Path(settings.learned_model).expanduser()


@dataclass(frozen=True)
class QualityWork:
    """The quality job's analysis as a picklable value; a cluster worker gets the user's
    learned model (if on) as bytes, kept in a file of its own."""

    settings: QualitySettings
    learned_model: bytes | None = None
    uses_sidecar = False

    @property
    def models(self) -> tuple[str, ...]:
        """The registry's models among the detectors (BRISQUE's weights)."""
        return tuple(sorted(set(self.settings.detectors()) & {"brisque"}))

    def open(self, threads: int | None) -> Scorer:
        if self.learned_model is None:
            return Scorer(self.settings, learned_model_path(self.settings))
        return Scorer(self.settings, kept_file(self.learned_model, ".onnx"))


class Scorer:
    infer = None   # the detectors and the learned model run per photo, in ``load``

    def __init__(self, settings: QualitySettings, learned_model: Path | None) -> None:
        self.settings = settings
        self.learned: LearnedQuality | None = None
        if learned_model is not None:
            from models.quality_learned import LearnedQuality  # onnxruntime: only when used

            self.learned = LearnedQuality(learned_model)
            self.learned.load()  # a missing or broken model fails the job, not every photo

    def load(self, photo: Photo) -> Scored:
        data = photo.read()
        info = decode.probe(data)
        side = self.settings.working_side
        pixels = decode.decode(data, info, photo.orientation, max_side=side, resample=False)
        is_jpeg = info.format == "jpeg"
        scale = decode.reduction(info.width, info.height, side) if is_jpeg else 1
        scores = score_image(pixels, data if is_jpeg else None, self.settings.detectors(),
                             decode_scale=scale, working_side=side)
        learned = self._learned(pixels)
        return Scored(scores, learned, combine(scores, self.settings, learned))

    def _learned(self, pixels: np.ndarray) -> float | None:
        if self.learned is None:
            return None
        return float(self.learned.score_batch([pixels])[0].score)


class QualityWriter:
    def __init__(self, settings: QualitySettings) -> None:
        self.version = version_of(settings)
        self.counts = dict.fromkeys(("rejected", "pending", "accepted"), 0)
        self.kept_user = 0

    def __call__(self, outcomes: list[Outcome[ImageRecord, Scored]]) -> None:
        labels = {}
        for outcome in outcomes:
            if outcome.error is not None or outcome.result is None:
                continue
            result = outcome.result
            stored = {name: value for name, value in result.scores.as_dict().items()
                      if name != "working_size"}
            if result.learned is not None:
                stored["learned"] = 1.0 - result.learned
            picks.put_scores(outcome.item.id, stored, result.verdict.quality, self.version)
            labels[outcome.item.id] = result.verdict.label
            self.counts[result.verdict.label] += 1
        self.kept_user += len(labels) - picks.set_auto_labels(labels)


def run_quality(ctx: JobContext) -> str:
    """Options: mode (unscored | all), albums / images (scope)."""
    mode = ctx.options.get("mode", "unscored")
    settings = quality_settings.load()
    ctx.progress(LOADING)
    learned = learned_model_path(settings)
    scorer = Scorer(settings, None if ctx.cluster else learned)
    records = scoped_images(ctx.options)
    if mode == "unscored":
        done = picks.scored_ids(version_of(settings))
        records = [r for r in records if r.id not in done]
    else:
        records = not_redone(ctx.options, records, lambda since: picks.scored_ids(
            version_of(settings), since))
    ctx.total = len(records)
    ctx.progress(PHASE)
    writer = QualityWriter(settings)
    step = Step(STEP, lambda r: scorer.load(photo_of(r)), writer, describe=lambda r: r.path,
                image_id=lambda r: r.id, batch_size=int(ctx.options.get("batch_size", 16)),
                workers=int(ctx.options.get("workers", 2)),
                work=QualityWork(settings, model_bytes(learned) if ctx.cluster else None))
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)  # parallel photos beat parallel filters: ~2x on 2 cores
    try:
        run_pipeline(ctx, step, records, PHASE)
    finally:
        cv2.setNumThreads(threads)
    counts = ", ".join(f"{n} {label}" for label, n in writer.counts.items())
    kept = f"; {writer.kept_user} labels set by hand kept" if writer.kept_user else ""
    return f"{ctx.done - ctx.errors} photos scored: {counts}{kept}; {counted(ctx.errors, 'error')}"

