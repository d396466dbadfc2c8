"""The auto-tag job: decode each photo at the models' input size, run the object detector
and/or the image classifier in batches, map labels to tags, write one transaction a batch.

Modes: "untagged" (images with no auto tag that these models have not processed), "update"
(all images; tags found again keep their best confidence, others are added), "replace" (all
images; earlier auto tags are dropped first). User tags and tags the user removed are never
touched by any mode.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from engine import config, decode
from engine.catalog import autotags, state
from engine.catalog.records import ImageRecord
from engine.errors import TermkamError
from engine.jobs import JobContext, JobKind
from engine.pipeline import Outcome, Step, run_pipeline
from engine.scope import not_redone, scoped_images
from models import registry, vocabulary
from models.classify import ImageClassifier, image_classifier_for
from models.object_detect import ObjectDetector, object_detector_for

from . import settings as tag_settings

STEP = "tags"
MODES = ("untagged", "update", "replace")
Tags = list[tuple[tuple[str, ...], float]]


@dataclass
class Loaded:
    record: ImageRecord
    pixels: np.ndarray


class Tagger:
    """The batched model part: labels from each model, mapped through the vocabulary."""

    def __init__(self, settings: tag_settings.TagSettings, threads: int) -> None:
        self.settings = settings
        self.only = vocabulary.parse_selection(settings.classes or None)
        self.detector: ObjectDetector | None = None
        self.classifier: ImageClassifier | None = None
        models_dir = config.models_dir()
        if settings.use in ("both", "detector"):
            self.detector = object_detector_for(settings.detector, models_dir,
                                                batch_size=settings.batch_size, threads=threads)
        if settings.use in ("both", "classifier"):
            self.classifier = image_classifier_for(settings.classifier, models_dir,
                                                   batch_size=settings.batch_size,
                                                   threads=threads)

    @property
    def models(self) -> list[Any]:
        return [m for m in (self.detector, self.classifier) if m is not None]

    def load(self) -> None:
        """Open the weights now, so a missing model fails the job before any decoding."""
        for model in self.models:
            model.load()

    @property
    def key(self) -> tuple[str, str]:
        """(model ids, versions) recorded in the processing state."""
        return ("+".join(m.spec.id for m in self.models),
                "+".join(m.spec.version for m in self.models) + f"+{self.settings.classes}")

    @property
    def decode_side(self) -> int:
        return max(max(m.spec.input_size or (416, 416)) for m in self.models)

    def __call__(self, batch: list[Loaded]) -> list[Tags]:
        images = [item.pixels for item in batch]
        found: list[dict[tuple[str, ...], float]] = [{} for _ in batch]
        threshold = self.settings.threshold
        runs: list[tuple[str, list[Any]]] = []
        if self.detector is not None:
            runs.append((self.detector.spec.id, self.detector.detect_batch(images, threshold)))
        if self.classifier is not None:
            runs.append((self.classifier.spec.id,
                         self.classifier.classify_batch(images, min_score=threshold)))
        for model_id, per_image in runs:
            for tags, labels in zip(found, per_image, strict=True):
                for tag, score in vocabulary.tags_for(model_id, labels, self.only):
                    path = tuple(tag.split("/"))
                    tags[path] = max(score, tags.get(path, 0.0))
        return [sorted(tags.items(), key=lambda pair: -pair[1]) for tags in found]


class TagWriter:
    def __init__(self, mode: str, key: tuple[str, str]) -> None:
        self.mode, self.key = mode, key
        self.tagged = self.tags = 0

    def __call__(self, outcomes: list[Outcome[ImageRecord, Tags]]) -> None:
        done = [o for o in outcomes if o.error is None and o.result is not None]
        rejected = autotags.rejected_tags(o.item.id for o in done)
        for outcome in done:
            assert outcome.result is not None
            written = autotags.put_auto_tags(outcome.item.id, outcome.result,
                                             replace=self.mode == "replace",
                                             rejected=rejected.get(outcome.item.id, ()))
            self.tags += written
            self.tagged += written > 0
        state.mark_done([o.item.id for o in done], STEP, *self.key)


def _load(record: ImageRecord, side: int) -> Loaded:
    data = decode.read_file(record.path)
    return Loaded(record, decode.decode(data, decode.probe(data), record.orientation,
                                        max_side=side))


def run_settings(options: Mapping[str, Any]) -> tag_settings.TagSettings:
    """The library's tag settings with this run's overrides (``model``, ``use``,
    ``detector``, ``classifier``, ``classes``, ``threshold``, ``batch_size`` options) checked
    and applied. ``model`` is a comma list of model ids or detector | classifier | both."""
    values = {name: options[name] for name in ("use", "detector", "classifier", "classes",
                                               "threshold", "batch_size")
              if options.get(name) not in (None, "")}
    if options.get("model"):
        values.update(model_choice(str(options["model"])))
    current = tag_settings.load()
    return replace(current, **{name: tag_settings.validate(name, value)
                               for name, value in values.items()})


def model_choice(text: str) -> dict[str, str]:
    """Settings for ``--model``: ``both``, ``detector``, ``classifier`` or model ids."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if len(names) == 1 and names[0] in tag_settings.USES:
        return {"use": names[0]}
    chosen: dict[str, str] = {}
    for name in names:
        task = registry.get(name).task
        if task not in ("object_detect", "classify"):
            raise TermkamError(f"'{name}' is a {task} model, not a tagging model")
        chosen["detector" if task == "object_detect" else "classifier"] = name
    both = len(chosen) == 2
    chosen["use"] = "both" if both else "detector" if "detector" in chosen else "classifier"
    return chosen


def run_tags(ctx: JobContext) -> str:
    """Options: mode (untagged | update | replace), albums / images, and setting overrides."""
    mode = ctx.options.get("mode", "untagged")
    if mode not in MODES:
        raise TermkamError(f"unknown auto-tag mode {mode!r} ({' | '.join(MODES)})")
    settings = run_settings(ctx.options)
    tagger = Tagger(settings, int(ctx.options.get("threads") or os.cpu_count() or 2))
    tagger.load()
    records = scoped_images(ctx.options)
    if mode == "untagged":
        todo = set(state.pending(STEP, *tagger.key)) - autotags.auto_tagged_ids()
        records = [r for r in records if r.id in todo]
    else:
        records = not_redone(ctx.options, records, lambda since: state.done_since(
            STEP, *tagger.key, since))
    ctx.total = len(records)
    writer = TagWriter(mode, tagger.key)
    side = tagger.decode_side
    step = Step(STEP, lambda r: _load(r, side), writer, tagger, describe=lambda r: r.path,
                image_id=lambda r: r.id, batch_size=settings.batch_size,
                workers=int(ctx.options.get("workers", 2)))
    run_pipeline(ctx, step, records, "tagging")
    names = ", ".join(registry.get(m).title for m in settings.model_ids)
    return (f"{ctx.done - ctx.errors} images, {writer.tags} tags on {writer.tagged} images "
            f"({names}), {ctx.errors} errors")


TAG_JOB = JobKind("tags.auto", "Auto-tag objects and scenes", run_tags,
                  {"mode": MODES}, scoped=True, check_options=run_settings)
