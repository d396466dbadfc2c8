"""The settings the Settings pane edits: how each is shown, and which tool's settings group
stores it (faces, tags, quality). What a setting allows (type, range, choices) is its group's:
the pane, the CLI and the catalog loader refuse the same values with the same message.

A spec's ``name`` is unique across groups (it names the row in the UI); ``setting`` is the
field within its group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.cluster import settings as compute_settings
from engine.errors import TermkamError
from engine.faces import settings as face_settings
from engine.quality import settings as quality_settings
from engine.settings_group import SettingsGroup
from engine.tagging import settings as tag_settings
from engine.writeback import settings as metadata_settings

GROUPS: dict[str, SettingsGroup[Any]] = {"faces": face_settings.GROUP,
                                         "tags": tag_settings.GROUP,
                                         "quality": quality_settings.GROUP,
                                         "metadata": metadata_settings.GROUP,
                                         "compute": compute_settings.GROUP}
ON_OFF = ("on", "off")


@dataclass(frozen=True)
class Threshold:
    """A tunable setting as the pane shows it; its type, range and choices are its group's."""

    name: str
    label: str
    help: str = ""
    group: str = "faces"
    field: str = ""

    @property
    def setting(self) -> str:
        return self.field or self.name

    @property
    def kind(self) -> type:
        """The type the pane edits: ``str`` for a choice, else the setting's own type."""
        return str if self.choices else type(GROUPS[self.group].default(self.setting))

    @property
    def choices(self) -> tuple[str, ...]:
        """The allowed values as the pane shows them (booleans as on / off); () if free."""
        if isinstance(GROUPS[self.group].default(self.setting), bool):
            return ON_OFF
        return tuple(map(str, GROUPS[self.group].choices.get(self.setting, ())))

    @property
    def low(self) -> float | None:
        return (GROUPS[self.group].bounds(self.setting) or (None, None))[0]

    @property
    def high(self) -> float | None:
        return (GROUPS[self.group].bounds(self.setting) or (None, None))[1]


def _weight(detector: str, label: str, meaning: str) -> Threshold:
    return Threshold(f"quality_{detector}_weight", f"{label} weight", group="quality",
                     field=f"{detector}_weight",
                     help=f"{meaning}; 0 turns it off, 1 lets a strong defect alone reject")


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("detect_score", "Face detection score", help="minimum detector confidence"),
    Threshold("min_face_size", "Minimum face size (px)",
              help="shorter side of a face box, original pixels"),
    Threshold("face_size", "Face size in photos",
              help="small faces need a larger decode (slower)"),
    Threshold("mirror", "Mirror embedding",
              help="also embed each face's mirror image: twice the embedding time, faces "
              "detected again"),
    Threshold("recognition_distance", "Recognition distance",
              help="cosine distance under which a name is suggested"),
    Threshold("cluster_eps", "Cluster eps", help="cosine distance linking two unknown faces"),
    Threshold("cluster_min_size", "Cluster minimum size", help="faces needed to form a cluster"),
    Threshold("quality_cut", "Face quality cut",
              help="confirmed faces under it are not used as references"),
    Threshold("tags_use", "Auto-tag models", group="tags", field="use",
              help="object detector, image classifier (scenes), or both"),
    Threshold("tags_threshold", "Auto-tag confidence", group="tags", field="threshold",
              help="a floor under every tag; each tag asks more (a detector score of "
              "0.4-0.6, a classifier share of 0.5-0.9)"),
    Threshold("tags_classes", "Auto-tag classes", group="tags", field="classes",
              help="empty for all, else groups or tags: Animals, Food & drink/Coffee"),
    Threshold("tags_batch_size", "Auto-tag batch size", group="tags", field="batch_size",
              help="images per model call"),
    Threshold("tags_learn", "Learn from removed tags", group="tags", field="learn",
              help="a tag you removed asks more confidence next time (never more than one "
              "you confirmed had)"),
    Threshold("quality_reject_below", "Reject below", group="quality", field="reject_below",
              help="photos whose quality figure (0-100) is lower"),
    Threshold("quality_accept_from", "Accept from", group="quality", field="accept_from",
              help="photos at or above it; pending in between"),
    _weight("blur", "Blur", "lack of sharp edges"),
    _weight("noise", "Noise", "grain in flat areas"),
    _weight("exposure", "Exposure", "under- or over-exposure and clipping"),
    _weight("compression", "Compression", "JPEG quality and 8x8 blocks"),
    _weight("brisque", "BRISQUE", "a no-reference quality model"),
    Threshold("quality_detect_learned", "Learned score", group="quality",
              field="detect_learned", help="no learned model ships: give an ONNX file first"),
    Threshold("quality_learned_model", "Learned model file", group="quality",
              field="learned_model", help="an ONNX aesthetic/quality model (3-class or 1-10)"),
    _weight("learned", "Learned", "the learned model's opinion"),
    Threshold("metadata_write_back", "Write decisions to", group="metadata",
              field="write_back", help="off, XMP sidecars (photo.jpg.xmp) or the photos "
              "themselves, as you decide"),
    Threshold("metadata_auto_tags", "Write the models' tags", group="metadata",
              field="auto_tags", help="off: only your tags and those from the files"),
)
THRESHOLD_BY_NAME = {t.name: t for t in THRESHOLDS}
# task -> (settings group, the setting that picks its model, how the pane names it)
MODEL_SETTINGS = {"face_detect": ("faces", "detector", "Face detector"),
                  "face_embed": ("faces", "embedder", "Face embedder"),
                  "object_detect": ("tags", "detector", "Object detector"),
                  "classify": ("tags", "classifier", "Image classifier")}


def spec(name: str) -> Threshold:
    found = THRESHOLD_BY_NAME.get(name)
    if found is None:
        raise TermkamError(f"unknown setting {name!r}; known: {', '.join(THRESHOLD_BY_NAME)}")
    return found


def check(name: str, value: Any) -> Any:
    """``value`` (text or number) checked by its group and converted (a choice stays text);
    TermkamError with the reason."""
    found = spec(name)
    converted = GROUPS[found.group].validate(found.setting, value)
    return shown(converted) if found.choices else converted


def values() -> dict[str, Any]:
    """The stored value of every setting, by spec name (choices as text); an invalid stored
    value is given as its default (loading the group says what is wrong)."""
    stored = {group: settings.stored().values for group, settings in GROUPS.items()}
    return {t.name: (shown(value) if t.choices else value)
            for t in THRESHOLDS for value in [stored[t.group][t.setting]]}


def shown(value: Any) -> str:
    """A choice as the pane shows it: booleans as on / off."""
    return ("on" if value else "off") if isinstance(value, bool) else str(value)


def group_values(group: str, shown: dict[str, Any]) -> dict[str, Any]:
    """The settings of ``group`` among values keyed by spec name, keyed by field, converted
    to their stored types (e.g. for a preview of values not saved yet)."""
    return {t.setting: GROUPS[group].validate(t.setting, shown[t.name])
            for t in THRESHOLDS if t.group == group and t.name in shown}


def save(name: str, value: Any) -> None:
    """Store one setting (inside the caller's write transaction)."""
    found = spec(name)
    GROUPS[found.group].save(found.setting, value)


def current_model(task: str) -> str:
    """The model ``task`` uses (the default while an invalid one is stored)."""
    group, setting, _ = MODEL_SETTINGS[task]
    return str(GROUPS[group].stored().values[setting])


def use_model(task: str, model_id: str) -> None:
    """Store the model choice of ``task`` (inside the caller's write transaction)."""
    group, setting, _ = MODEL_SETTINGS[task]
    GROUPS[group].save(setting, model_id)
