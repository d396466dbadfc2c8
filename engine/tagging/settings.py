"""Auto-tag settings, persisted in the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import TermkamError
from engine.settings_group import SettingsGroup, check_ranges, ranged
from models.choices import CLASSIFIERS, OBJECT_DETECTORS
from models.vocabulary import parse_selection

USES = ("both", "detector", "classifier")
BATCH_SIZES = (1, 8, 16)


@dataclass(frozen=True)
class TagSettings:
    use: str = "both"                           # both | detector | classifier
    detector: str = "yolox_nano"
    classifier: str = "efficientnet_lite3"
    classes: str = ""                           # "" for all, else groups/tags: "Animals, Food"
    threshold: float = ranged(0.2, 0.05, 1.0)   # a floor under every tag (the vocabulary asks more)
    batch_size: int = 8                         # one of BATCH_SIZES
    learn: bool = True                          # raise minimums from the tags you removed

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
    "use": USES, "detector": OBJECT_DETECTORS, "classifier": CLASSIFIERS,
    "batch_size": BATCH_SIZES}, _check)
load, validate, save = GROUP.load, GROUP.validate, GROUP.save
