"""What each threshold preview says: the engine's counts for the values being edited, as
one line under the setting (computed in a worker thread by the Settings pane)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from engine.setting_specs import THRESHOLDS

if TYPE_CHECKING:
    from engine.tuning import TuningService

# setting -> the preview it changes (the settings of one preview are previewed together)
PREVIEWS = {"detect_score": "detection", "min_face_size": "detection",
            "recognition_distance": "recognition", "cluster_eps": "cluster",
            "cluster_min_size": "cluster", "quality_cut": "quality", "face_size": "face_size",
            **{spec.name: "picks" for spec in THRESHOLDS if spec.group == "quality"}}


def compute(tuning: TuningService, preview: str, values: Mapping[str, Any]) -> tuple[Any, str]:
    """(the engine's result, the line shown) for one preview at these setting values."""
    if preview == "detection":
        det = tuning.detection_preview(values["detect_score"], values["min_face_size"])
        return det, (f"{det.passing} of {det.total} detected faces would pass "
                     f"(score ≥ {det.score:g}, side ≥ {det.min_size} px)")
    if preview == "recognition":
        rec = tuning.recognition_preview(values["recognition_distance"])
        quality = (f"leave-one-out on {rec.tested} confirmed faces of {rec.persons} people: "
                   f"precision {100 * rec.precision:.1f} %, recall {100 * rec.recall:.1f} %"
                   if rec.tested else "confirm 2+ faces of a person for precision / recall")
        stale = (f" · {rec.stale} faces need re-embedding: run Rebuild face training data"
                 if rec.stale else "")
        similar = (f" ({rec.through_similar} through similar faces)"
                   if rec.through_similar else "")
        return rec, (f"{rec.would_suggest} of {rec.unconfirmed} unconfirmed faces would get "
                     f"a suggestion{similar} · {quality}{stale}")
    if preview == "cluster":
        cl = tuning.cluster_preview(values["cluster_eps"], values["cluster_min_size"])
        return cl, (f"{cl.clustered} of {cl.unknown} unknown faces would form "
                    f"{cl.clusters} clusters")
    if preview == "quality":
        q = tuning.quality_preview(values["quality_cut"])
        return q, (f"{q.left_out} of {q.confirmed} confirmed faces would be left out of the "
                   "references")
    if preview == "picks":
        pick = tuning.pick_preview(dict(values))
        if not pick.scored:
            return pick, "no photo scored yet: run Sort images by quality (Maintenance)"
        counts = " · ".join(f"{n} {label}" for label, n in pick.counts.items())
        mine = f", {pick.by_user} labelled by you" if pick.by_user else ""
        return pick, (f"{counts} of {pick.scored} scored photos{mine}; "
                      f"{pick.changed} labels would change at the next run")
    side = tuning.decode_side(values["face_size"])
    return side, f"photos decoded at {side} px for detection (from the next detection)"
