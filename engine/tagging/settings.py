"""Auto-tag settings, persisted in the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import TermkamError
from engine.settings_group import SettingsGroup, check_ranges, ranged
from models.classify import CLASSIFIERS
from models.object_detect import DETECTORS
from models.vocabulary import parse_selection

USES = ("both", "detector", "classifier")
BATCH_SIZES = (1, 8, 16)


@dataclass(frozen=True)
class TagSettings:
    use: str = "both"                           # both | detector | classifier
    detector: str = "ssd_mobilenet_v2_coco"
    classifier: str = "efficientnet_lite3"
    classes: str = ""                           # "" for all, else groups/tags: "Animals, Food"
    threshold: float = ranged(0.2, 0.05, 1.0)   # a floor under every tag (the vocabulary asks more)
    batch_size: int = 8                         # one of BATCH_SIZES

    def __post_init__(self) -> None:
        check_ranges(self)

    @property
    def model_ids(self) -> tuple[str, ...]:
        """The models a run uses, detector first."""
        return {"both": (self.detector, self.classifier), "detector": (self.detector,),
                "classifier": (self.classifier,)}[self.use]


def _check(name: str, value: Any) -> None:
    if name == "classes":
        try:
            parse_selection(value or None)
        except ValueError as error:
            raise TermkamError(str(error)) from None


GROUP = SettingsGroup("tags.", TagSettings(), {
    "use": USES, "detector": tuple(DETECTORS), "classifier": CLASSIFIERS,
    "batch_size": BATCH_SIZES}, _check)
load, validate, save = GROUP.load, GROUP.validate, GROUP.save
