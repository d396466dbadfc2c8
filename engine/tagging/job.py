"""The auto-tag job: decode each photo at the models' input size, run the object detector
and/or the image classifier in batches, map labels to tags, write one transaction a batch.

Modes: "untagged" (images with no auto tag that these models have not processed), "update"
(all images; tags found again keep their best confidence, others are added), "replace" (all
images; earlier auto tags are dropped first). User tags and tags the user removed are never
touched by any mode. The detector's boxes behind the tags are kept for the photo view, written
with the tags: a tag found again gets its new boxes, "replace" drops the old ones first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from engine import config, decode
from engine.analysis import Photo, photo_of
from engine.catalog import autotags, object_boxes, state
from engine.catalog.object_boxes import ObjectBoxRecord
from engine.catalog.records import ImageRecord
from engine.catalog.tag_verdicts import tag_verdicts
from engine.errors import TermkamError
from engine.jobs import JobContext
from engine.pipeline import Outcome, Step, run_pipeline
from engine.printable import counted
from engine.scope import not_redone, scoped_images
from models import registry, vocabulary
from models.classify import ClassLabel, ImageClassifier, image_classifier_for
from models.object_detect import DetectedObject, ObjectDetector, object_detector_for
from models.runtimes import default_threads

from . import learning
from . import settings as tag_settings
from .decide import Decision, Rules, decide

STEP = "tags"
PHASE = "tagging"
DETECTION_FLOOR = 0.1      # detections kept for the rules (each tag asks more on its own)
TOP_CLASSES, CLASS_FLOOR = 10, 0.005   # the classifier's classes kept for the rules
RULES_VERSION = 2          # engine.tagging.decide and the vocabulary's minimums
Tags = list[tuple[tuple[str, ...], float]]


@dataclass(frozen=True)
class Seen:
    """One image as the models saw it; None where a model did not run."""

    objects: list[DetectedObject] | None
    classes: list[ClassLabel] | None
    size: tuple[int, int]                 # width, height of the decoded image


@dataclass(frozen=True)
class Tagged:
    """One photo's tags (path, confidence), best first, and the boxes of the detections
    that gave them."""

    tags: Tags
    boxes: tuple[ObjectBoxRecord, ...] = ()


class Tagger:
    """The batched model part: labels from each model, mapped through the vocabulary."""

    def __init__(self, settings: tag_settings.TagSettings, threads: int | None,
                 minimums: Mapping[str, float] | None = None) -> None:
        self.settings = settings
        self.only = vocabulary.parse_selection(settings.classes or None)
        self.rules = Rules(floor=settings.threshold)
        self.minimums = dict(minimums or {})
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

    def load_models(self) -> None:
        """Open the weights now, so a missing model fails the job before any decoding."""
        for model in self.models:
            model.load()

    @property
    def key(self) -> tuple[str, str]:
        """(model ids, versions) recorded in the processing state: a change of models,
        classes or rules makes every photo new to the "untagged" mode."""
        return ("+".join(m.spec.id for m in self.models),
                "+".join(m.spec.version for m in self.models) + f"+{self.settings.classes}"
                + f"+rules{RULES_VERSION}")

    @property
    def decode_side(self) -> int:
        return max(max(m.spec.input_size or (416, 416)) for m in self.models)

    def observe(self, images: list[np.ndarray]) -> list[Seen]:
        """What each model sees in each image, before any rule: detections down to
        DETECTION_FLOOR (weak ones still back the classifier) and the classifier's top
        classes."""
        objects: list[list[DetectedObject] | None] = [None] * len(images)
        classes: list[list[ClassLabel] | None] = [None] * len(images)
        if self.detector is not None:
            objects = list(self.detector.detect_batch(images, DETECTION_FLOOR))
        if self.classifier is not None:
            classes = list(self.classifier.classify_batch(images, top_k=TOP_CLASSES,
                                                          min_score=CLASS_FLOOR))
        return [Seen(o, c, (image.shape[1], image.shape[0]))
                for o, c, image in zip(objects, classes, images, strict=True)]

    def decide(self, seen: Seen, rules: Rules | None = None) -> Decision:
        """The tags the rules give for what the models saw in one image."""
        return decide(self.detector.spec.id if self.detector else None, seen.objects,
                      self.classifier.spec.id if self.classifier else None, seen.classes,
                      seen.size, rules or self.rules, self.only, self.minimums)

    def load(self, photo: Photo) -> np.ndarray:
        data = photo.read()
        return decode.decode(data, decode.probe(data), photo.orientation,
                             max_side=self.decode_side)

    def infer(self, batch: list[np.ndarray]) -> list[Tagged]:
        tagged = []
        for seen in self.observe(batch):
            decision = self.decide(seen)
            tags = [(tuple(tag.split("/")), score) for tag, score in decision.tags]
            tagged.append(Tagged(tags, self._boxes(decision, seen.size)))
        return tagged

    def _boxes(self, decision: Decision, size: tuple[int, int]) -> tuple[ObjectBoxRecord, ...]:
        """A box per (detection, tag it gave), normalised on the decoded picture, which is
        the displayed photo scaled (the decoder applies the orientation)."""
        if self.detector is None:
            return ()
        width, height = size
        return tuple(
            ObjectBoxRecord(tuple(tag.split("/")), seen.label, seen.score,
                            (seen.box[0] / width, seen.box[1] / height, seen.box[2] / width,
                             seen.box[3] / height), self.detector.spec.id)
            for tag, seen in decision.objects)


class TagWriter:
    def __init__(self, mode: str, key: tuple[str, str]) -> None:
        self.mode, self.key = mode, key
        self.tagged = self.tags = 0

    def __call__(self, outcomes: list[Outcome[ImageRecord, Tagged]]) -> None:
        done = [o for o in outcomes if o.error is None and o.result is not None]
        rejected = autotags.rejected_tags(o.item.id for o in done)
        replace = self.mode == "replace"
        for outcome in done:
            assert outcome.result is not None
            removed = rejected.get(outcome.item.id, ())
            written = autotags.put_auto_tags(outcome.item.id, outcome.result.tags,
                                             replace=replace, rejected=removed)
            object_boxes.put_boxes(outcome.item.id, outcome.result.boxes, replace=replace,
                                   rejected=removed)
            self.tags += written
            self.tagged += written > 0
        state.mark_done([o.item.id for o in done], STEP, *self.key)


@dataclass(frozen=True)
class TagWork:
    """The tag job's analysis (decode, detect, classify, decide) as a picklable value."""

    settings: tag_settings.TagSettings
    minimums: tuple[tuple[str, float], ...] = ()
    uses_sidecar = False

    @property
    def models(self) -> tuple[str, ...]:
        return self.settings.model_ids

    def open(self, threads: int | None) -> Tagger:
        tagger = Tagger(self.settings, threads, dict(self.minimums))
        tagger.load_models()
        return tagger


def run_settings(options: Mapping[str, Any]) -> tag_settings.TagSettings:
    """The library's tag settings with this run's overrides (``model``, ``use``,
    ``detector``, ``classifier``, ``classes``, ``threshold``, ``batch_size`` options) checked
    and applied. ``model`` is a comma list of model ids or detector | classifier | both."""
    values = {name: options[name] for name in ("use", "detector", "classifier", "classes",
                                               "threshold", "batch_size", "learn")
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
    settings = run_settings(ctx.options)
    raised = learning.minimums(tag_verdicts()) if settings.learn else {}
    tagger = Tagger(settings, int(ctx.options.get("threads") or default_threads()), raised)
    records = scoped_images(ctx.options)
    if mode == "untagged":
        todo = set(state.pending(STEP, *tagger.key)) - autotags.auto_tagged_ids()
        records = [r for r in records if r.id in todo]
    else:
        records = not_redone(ctx.options, records, lambda since: state.done_since(
            STEP, *tagger.key, since))
    ctx.total = len(records)
    ctx.load_models(tagger.models, then=PHASE)  # a missing model fails before any decoding
    writer = TagWriter(mode, tagger.key)
    step = Step(STEP, lambda r: tagger.load(photo_of(r)), writer, tagger.infer,
                describe=lambda r: r.path, image_id=lambda r: r.id,
                batch_size=settings.batch_size, workers=int(ctx.options.get("workers", 2)),
                work=TagWork(settings, tuple(sorted(raised.items()))))
    run_pipeline(ctx, step, records, PHASE)
    names = ", ".join(registry.get(m).title for m in settings.model_ids)
    return (f"{counted(ctx.done - ctx.errors, 'image')}, {counted(writer.tags, 'tag')} on "
            f"{counted(writer.tagged, 'image')} ({names}), {counted(ctx.errors, 'error')}")

