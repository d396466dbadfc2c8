"""What each threshold preview says: the engine's counts for the values being edited, as
one line under the setting (computed in a worker thread by the Settings pane)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from engine.setting_specs import THRESHOLDS

if TYPE_CHECKING:
    from engine.faces.previews import ClusterPreview, RecognitionPreview
    from engine.tuning import LearningPreview, TuningService

# setting -> the preview it changes (the settings of one preview are previewed together)
PREVIEWS = {"detect_score": "detection", "min_face_size": "detection",
            "recognition_distance": "recognition", "cluster_eps": "cluster",
            "cluster_min_size": "cluster", "quality_cut": "quality", "face_size": "face_size",
            "tags_learn": "learning",
            **{spec.name: "picks" for spec in THRESHOLDS if spec.group == "quality"}}
FEW_PEOPLE = 5      # named people under which the wrong-name estimate is said to be low


def compute(tuning: TuningService, preview: str, values: Mapping[str, Any]) -> tuple[Any, str]:
    """(the engine's result, the line shown) for one preview at these setting values."""
    if preview == "detection":
        det = tuning.detection_preview(values["detect_score"], values["min_face_size"])
        return det, (f"{det.passing} of {det.total} detected faces would pass "
                     f"(score ≥ {det.score:g}, side ≥ {det.min_size} px)")
    if preview == "recognition":
        rec = tuning.recognition_preview(values["recognition_distance"])
        return rec, recognition_line(rec)
    if preview == "cluster":
        cl = tuning.cluster_preview(values["cluster_eps"], values["cluster_min_size"])
        return cl, cluster_line(cl)
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
    if preview == "learning":
        learnt = tuning.learning_preview(values["tags_learn"] in (True, "on"))
        return learnt, learning_line(learnt)
    side = tuning.decode_side(values["face_size"])
    return side, f"photos decoded at {side} px for detection (from the next detection)"


def recognition_line(rec: RecognitionPreview) -> str:
    """What a distance would name, and what it would cost: wrong names for strangers
    (persons held out in turn) and names given to faces of the unknown clusters. A person
    held out is compared with one person fewer than a real stranger, which matters only when
    few people are named."""
    similar = f"{rec.through_similar} through similar faces; " if rec.through_similar else ""
    named = (f"{rec.would_suggest} of {rec.unconfirmed} unconfirmed faces would get a name "
             f"({similar}{rec.clusters_named} of {rec.in_clusters} in unknown clusters)")
    est = rec.strangers
    if est.of_persons < 2:
        strangers = "name 2+ people to estimate wrong names for strangers"
    else:
        held = (f"a sample of {est.persons} of {est.of_persons} people" if est.sampled
                else f"{est.persons} people")
        few = "; with so few, likely too low" if est.of_persons < FEW_PEOPLE else ""
        strangers = (f"strangers: {est.named} of {est.faces} faces ({100 * est.share:.0f} %) "
                     f"would get a wrong name ({held} held out in turn{few})")
    known = (f"known people: precision {100 * rec.precision:.1f} %, recall "
             f"{100 * rec.recall:.1f} % (leave-one-out on {rec.tested} faces)"
             if rec.tested else "confirm 2+ faces of a person for precision / recall")
    stale = (f" · {rec.stale} faces need re-embedding: run Rebuild face training data"
             if rec.stale else "")
    return f"{named} · {strangers} · {known}{stale}"


def cluster_line(cl: ClusterPreview) -> str:
    """The clusters an eps would make, and how many would mix people on confirmed faces."""
    made = f"{cl.clustered} of {cl.unknown} unknown faces would form {cl.clusters} clusters"
    pure = cl.purity
    if not pure.of_faces:
        return f"{made} · name some faces to check clusters for mixed people"
    sample = f"a sample of {pure.faces} of {pure.of_faces}" if pure.sampled else f"{pure.faces}"
    return (f"{made} · your {sample} confirmed faces, clustered alike: {pure.mixed} of "
            f"{pure.clusters} clusters would mix people ({pure.strays} faces in another "
            "person's cluster)")


def learning_line(preview: LearningPreview) -> str:
    """The minimums the user's removals raise, and what that takes away."""
    if not preview.learnt:
        return "no auto tag removed yet: nothing to learn from"
    raised = ", ".join(f"{item.tag} ≥ {item.minimum:.2f} ({item.removed} removed)"
                       for item in preview.learnt[:4])
    more = f" and {len(preview.learnt) - 4} more" if len(preview.learnt) > 4 else ""
    if not preview.on:
        return (f"off: only the photos you removed a tag from are spared it; on, it would "
                f"raise {raised}{more}")
    return (f"raises {raised}{more}; {preview.under} auto tags now in the library are under "
            "their new minimum (the next run in replace mode drops them)")
