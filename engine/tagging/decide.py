"""Which tags a photo gets from what its models saw: the rules measured on the tag evaluation
set (``bench/tags.py``), where they took precision from about 60 % to 95 % and more.

- **Detector**: a detection gives its tag when it scores at least the tag's minimum and its
  box covers at least ``min_area`` of the photo (specks are where detectors invent things).
- **Classifier**: ImageNet classes that give the same tag add up (120 dog breeds are one
  dog); the tag needs that share to reach its minimum, a majority (0.5) for most tags: a
  majority leads every other tag, so no margin rule is needed (one measured no gain).
- **Agreement**: a tag both models can give (cat, cup, vase ...) needs both to see it when
  both run: the detector's box, and at least ``agree`` of the classifier's share. Each model
  alone is wrong on things the other one gets right (a flower's heart is a detector's fruit,
  a horse's silhouette is a classifier's dog).
- **Context**: clothing needs a person in the photo (a mandrill wears no tie).
- **The user**: ``minimums`` ask more of a tag's score (the best of its models', as stored
  with the tag), learnt from the auto tags the user removed; ``only`` keeps the chosen
  groups and tags, and is the only way to get the tags the vocabulary has off by default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from models import vocabulary
from models.classify import ClassLabel
from models.object_detect import DetectedObject

PERSON = "Subjects/Person"
NEEDS_PERSON = ("Clothing",)          # groups whose tags need a person in the photo


@dataclass(frozen=True)
class Rules:
    """The tuning of the rules above (defaults: chosen by bench/tags.py)."""

    min_area: float = 0.004      # share of the photo a detector box must cover
    agree: float = 0.02          # classifier share that backs a detector's tag both can give
    agree_detector: float = 0.1  # detector score that backs a classifier's tag both can give
    floor: float = 0.2           # no tag below this score, whatever its minimum


@dataclass(frozen=True)
class Decision:
    """A photo's tags (path, score), best first, and the detections that gave them."""

    tags: list[tuple[str, float]]
    objects: list[tuple[str, DetectedObject]] = field(default_factory=list)


def decide(detector_id: str | None, objects: Sequence[DetectedObject] | None,
           classifier_id: str | None, classes: Sequence[ClassLabel] | None,
           size: tuple[int, int], rules: Rules = Rules(), only: vocabulary.Selection = None,
           minimums: Mapping[str, float] | None = None) -> Decision:
    """The tags of one photo of ``size`` (width, height) from its detections (run with a
    low floor: weak ones still back the classifier) and its classifier's top classes. A
    model that did not run gives None."""
    selection = vocabulary.parse_selection(only)
    raised = minimums or {}

    def minimum(model_minimum: float) -> float:
        return max(model_minimum, rules.floor)

    detected: dict[str, float] = {}          # best score per tag, any box of a useful size
    named: dict[str, float] = {}             # tags a model gives on its own
    boxes: list[tuple[str, DetectedObject]] = []
    if detector_id is not None and objects is not None:
        area = float(size[0] * size[1]) or 1.0
        for item in objects:
            if item.box[2] * item.box[3] / area < rules.min_area:
                continue
            for tag, row_minimum in vocabulary.tags_of(detector_id, item, selection):
                detected[tag] = max(detected.get(tag, 0.0), item.score)
                if item.score >= minimum(row_minimum):
                    named[tag] = max(named.get(tag, 0.0), item.score)
                    boxes.append((tag, item))
    shares: dict[str, float] = {}
    classified: dict[str, float] = {}
    if classifier_id is not None and classes is not None:
        shares = vocabulary.class_shares(classifier_id, classes, selection)
        classified = {tag: share for tag, share in shares.items()
                      if share >= minimum(vocabulary.tag_minimum(classifier_id, tag))}
    both = objects is not None and classes is not None and detector_id is not None \
        and classifier_id is not None
    tags: dict[str, float] = {}
    for tag in {*named, *classified}:
        if both and vocabulary.shared(tag):
            backed_by_classifier = tag in named and shares.get(tag, 0.0) >= rules.agree
            backed_by_detector = tag in classified and \
                detected.get(tag, 0.0) >= rules.agree_detector
            if not (backed_by_classifier or backed_by_detector):
                continue
        tags[tag] = max(named.get(tag, 0.0), classified.get(tag, 0.0))
    tags = {t: s for t, s in tags.items() if s >= raised.get(t, 0.0)}   # as stored: the best
    if PERSON not in tags:
        tags = {t: s for t, s in tags.items() if t.split("/", 1)[0] not in NEEDS_PERSON}
    ranked_tags = sorted(tags.items(), key=lambda pair: (-pair[1], pair[0]))
    return Decision(ranked_tags, [(tag, item) for tag, item in boxes if tag in tags])
