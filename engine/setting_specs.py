"""The settings the Settings pane edits: how each is shown, its allowed values, and which
tool's settings group stores it (faces, tags, quality).

A spec's ``name`` is unique across groups (it names the row in the UI); ``setting`` is the
field within its group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import TermkamError
from engine.faces import settings as face_settings
from engine.quality import settings as quality_settings
from engine.settings_group import SettingsGroup
from engine.tagging import settings as tag_settings


@dataclass(frozen=True)
class Threshold:
    """A tunable setting: how to show it and which values are allowed."""

    name: str
    label: str
    kind: type
    low: float = 0.0
    high: float = 1.0
    choices: tuple[str, ...] = ()
    help: str = ""
    group: str = "faces"
    field: str = ""

    @property
    def setting(self) -> str:
        return self.field or self.name


GROUPS: dict[str, SettingsGroup[Any]] = {"faces": face_settings.GROUP,
                                         "tags": tag_settings.GROUP,
                                         "quality": quality_settings.GROUP}
ON_OFF = ("on", "off")


def _weight(detector: str, label: str, meaning: str) -> Threshold:
    return Threshold(f"quality_{detector}_weight", f"{label} weight", float, 0.0, 5.0,
                     group="quality", field=f"{detector}_weight",
                     help=f"{meaning}; 0 turns it off, 1 lets a strong defect alone reject")


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("detect_score", "Face detection score", float, 0.05, 1.0,
              help="minimum detector confidence"),
    Threshold("min_face_size", "Minimum face size (px)", int, 0, 4000,
              help="shorter side of a face box, original pixels"),
    Threshold("face_size", "Face size in photos", str,
              choices=tuple(face_settings.FACE_SIZES),
              help="small faces need a larger decode (slower)"),
    Threshold("recognition_distance", "Recognition distance", float, 0.0, 2.0,
              help="cosine distance under which a name is suggested"),
    Threshold("cluster_eps", "Cluster eps", float, 0.01, 1.0,
              help="cosine distance linking two unknown faces"),
    Threshold("cluster_min_size", "Cluster minimum size", int, 2, 10000,
              help="faces needed to form a cluster"),
    Threshold("quality_cut", "Face quality cut", float, 0.0, 1.0,
              help="confirmed faces under it are not used as references"),
    Threshold("tags_use", "Auto-tag models", str, choices=tag_settings.USES, group="tags",
              field="use", help="object detector, image classifier (scenes), or both"),
    Threshold("tags_threshold", "Auto-tag confidence", float, 0.05, 1.0, group="tags",
              field="threshold", help="a floor under every tag; the vocabulary asks 0.2-0.6"),
    Threshold("tags_classes", "Auto-tag classes", str, group="tags", field="classes",
              help="empty for all, else groups or tags: Animals, Food & drink/Coffee"),
    Threshold("tags_batch_size", "Auto-tag batch size", str,
              choices=tuple(map(str, tag_settings.BATCH_SIZES)), group="tags",
              field="batch_size", help="images per model call"),
    Threshold("quality_reject_below", "Reject below", float, 0.0, 100.0, group="quality",
              field="reject_below", help="photos whose quality figure (0-100) is lower"),
    Threshold("quality_accept_from", "Accept from", float, 0.0, 100.0, group="quality",
              field="accept_from", help="photos at or above it; pending in between"),
    _weight("blur", "Blur", "lack of sharp edges"),
    _weight("noise", "Noise", "grain in flat areas"),
    _weight("exposure", "Exposure", "under- or over-exposure and clipping"),
    _weight("compression", "Compression", "JPEG quality and 8x8 blocks"),
    _weight("brisque", "BRISQUE", "a no-reference quality model"),
    Threshold("quality_detect_learned", "Learned score", str, choices=ON_OFF, group="quality",
              field="detect_learned", help="no learned model ships: give an ONNX file first"),
    Threshold("quality_learned_model", "Learned model file", str, group="quality",
              field="learned_model", help="an ONNX aesthetic/quality model (3-class or 1-10)"),
    _weight("learned", "Learned", "the learned model's opinion"),
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
    """``value`` (text or number) converted and range-checked; TermkamError with the reason."""
    found = spec(name)
    if found.choices:
        value = _shown(value)
        if value not in found.choices:
            raise TermkamError(f"{found.label}: one of {', '.join(found.choices)}")
        return value
    if found.kind is str:
        return GROUPS[found.group].validate(found.setting, str(value).strip())
    try:
        converted = found.kind(str(value).strip())
    except ValueError:
        raise TermkamError(f"{found.label}: {value!r} is not a"
                           f"{'n integer' if found.kind is int else ' number'}") from None
    if not found.low <= converted <= found.high:
        raise TermkamError(f"{found.label}: between {found.low:g} and {found.high:g}")
    GROUPS[found.group].validate(found.setting, converted)  # how settings go together
    return converted


def values() -> dict[str, Any]:
    """The stored value of every setting, by spec name (choices as text)."""
    loaded = {group: settings.load() for group, settings in GROUPS.items()}
    return {t.name: (_shown(value) if t.choices else value)
            for t in THRESHOLDS for value in [getattr(loaded[t.group], t.setting)]}


def _shown(value: Any) -> str:
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
    group, setting, _ = MODEL_SETTINGS[task]
    return str(getattr(GROUPS[group].load(), setting))


def use_model(task: str, model_id: str) -> None:
    """Store the model choice of ``task`` (inside the caller's write transaction)."""
    group, setting, _ = MODEL_SETTINGS[task]
    GROUPS[group].save(setting, model_id)
