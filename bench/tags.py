"""Auto-tag precision on the tag evaluation set (bench/tag_eval.tsv: real photos labelled by
hand): for each model setup, the share of given tags that are right, the share of photos with
a subject that get at least one right tag, and the time per photo. Then the worst classes.

    .venv/bin/python bench/tags.py [--sweep] [--show]

Each model runs once per photo (through the job's own Tagger); the rules of
engine/tagging/decide.py then run on what it saw, so a setup costs no second inference.
--sweep varies the rules around the defaults; --show prints every photo's tags.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import decode, samples  # noqa: E402
from engine.tagging.decide import Rules, decide  # noqa: E402
from engine.tagging.job import Seen, Tagger  # noqa: E402
from engine.tagging.settings import TagSettings  # noqa: E402
from models import vocabulary  # noqa: E402
from models.classify import ClassLabel  # noqa: E402
from models.object_detect import DetectedObject  # noqa: E402

LABELS = Path(__file__).with_name("tag_eval.tsv")
SSD, YOLOX, CLASSIFIER = "ssd_mobilenet_v2_coco", "yolox_nano", "efficientnet_lite3"
SETUPS = {"SSD": ("detector", SSD), "YOLOX-Nano": ("detector", YOLOX),
          "classifier": ("classifier", SSD), "SSD + classifier": ("both", SSD),
          "YOLOX-Nano + classifier": ("both", YOLOX)}


@dataclass(frozen=True)
class Truth:
    photo: str
    kind: str
    licence: str
    right: frozenset[str]
    maybe: frozenset[str]


@dataclass
class Score:
    given: int = 0
    right: int = 0
    with_subject: int = 0
    found_subject: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.given if self.given else 1.0

    @property
    def recall(self) -> float:
        return self.found_subject / self.with_subject if self.with_subject else 0.0

    def line(self) -> str:
        return (f"precision {self.precision:6.1%} ({self.right}/{self.given})  subject recall "
                f"{self.recall:6.1%} ({self.found_subject}/{self.with_subject})")


def read_truth(path: Path = LABELS) -> list[Truth]:
    rows = [line.rstrip("\n").split("\t") for line in path.read_text().splitlines()
            if line.strip() and not line.startswith("#")]

    def tags(text: str) -> frozenset[str]:
        return frozenset(t.strip() for t in text.split(",") if t.strip())
    return [Truth(r[0], r[1], r[2], tags(r[3]), tags(r[4])) for r in rows[1:]]


def observe(truth: list[Truth]) -> tuple[dict[str, dict[tuple[str, int], Seen]],
                                         dict[str, float]]:
    """Per photo, what each model saw at each decode size a setup uses (the job decodes at
    the largest input of its models); ms per photo by model at its own size, and decode."""
    files = samples.fetch_set("tageval", log=lambda m: print(m, file=sys.stderr))
    taggers = {SSD: Tagger(TagSettings(use="detector", detector=SSD, batch_size=1), 2),
               YOLOX: Tagger(TagSettings(use="detector", detector=YOLOX, batch_size=1), 2),
               CLASSIFIER: Tagger(TagSettings(use="classifier", batch_size=1), 2)}
    for tagger in taggers.values():
        tagger.load_models()
    sides: dict[str, set[int]] = {model_id: {tagger.decode_side}
                                  for model_id, tagger in taggers.items()}
    for use, detector in SETUPS.values():
        models = _models(use, detector)
        for model_id in models:
            sides[model_id].add(max(taggers[m].decode_side for m in models))
    seen: dict[str, dict[tuple[str, int], Seen]] = {t.photo: {} for t in truth}
    spent = dict.fromkeys([*taggers, "decode"], 0.0)
    for item in truth:
        data = decode.read_file(str(files[item.photo]))
        for model_id, tagger in taggers.items():
            for side in sorted(sides[model_id]):
                start = time.perf_counter()
                pixels = decode.decode(data, decode.probe(data), 1, max_side=side)
                middle = time.perf_counter()
                seen[item.photo][model_id, side] = tagger.observe([pixels])[0]
                if side == tagger.decode_side:
                    spent["decode"] += (middle - start) / len(taggers)
                    spent[model_id] += time.perf_counter() - middle
    return seen, {name: 1000 * total / len(truth) for name, total in spent.items()}


def _models(use: str, detector: str) -> tuple[str, ...]:
    return {"both": (detector, CLASSIFIER), "detector": (detector,),
            "classifier": (CLASSIFIER,)}[use]


def tags_of(seen: dict[tuple[str, int], Seen], use: str, detector: str, rules: Rules,
            only: str | None = None) -> list[tuple[str, float]]:
    """The job's tags for one photo under a setup: engine.tagging.decide on what the
    models saw at the setup's decode size."""
    models = _models(use, detector)
    side = max(side for (_, side) in seen if all((m, side) in seen for m in models))
    objects = seen[detector, side].objects if detector in models else None
    classes = seen[CLASSIFIER, side].classes if CLASSIFIER in models else None
    return decide(detector if objects is not None else None, objects,
                  CLASSIFIER if classes is not None else None, classes,
                  seen[models[0], side].size, rules, only).tags


def old_tags(seen: dict[tuple[str, int], Seen], use: str, detector: str
             ) -> list[tuple[str, float]]:
    """Each model's labels mapped through the vocabulary alone (each label against its
    row's minimum, the best score per tag, threshold 0.2), as the job did before the rules:
    the baseline."""
    models = _models(use, detector)
    side = max(side for (_, side) in seen if all((m, side) in seen for m in models))
    found: dict[str, float] = {}
    runs: list[tuple[str, list[DetectedObject] | list[ClassLabel]]] = []
    if detector in models:
        runs.append((detector, [o for o in seen[detector, side].objects or []
                                if o.score >= 0.2]))
    if CLASSIFIER in models:
        runs.append((CLASSIFIER, [c for c in seen[CLASSIFIER, side].classes or []
                                  if c.score >= 0.2]))
    for model_id, labels in runs:
        for item in labels:
            for tag, minimum in vocabulary.tags_of(model_id, item):
                if item.score >= minimum:
                    found[tag] = max(item.score, found.get(tag, 0.0))
    return list(found.items())


def evaluate(truth: list[Truth], tagged: dict[str, list[tuple[str, float]]],
             wrong: dict[str, int] | None = None, right: dict[str, int] | None = None) -> Score:
    score = Score()
    for item in truth:
        counted = [tag for tag, _ in tagged[item.photo] if tag not in item.maybe]
        hits = [tag for tag in counted if tag in item.right]
        score.given += len(counted)
        score.right += len(hits)
        if item.right:
            score.with_subject += 1
            score.found_subject += bool(hits)
        for tag in counted:
            book = right if tag in item.right else wrong
            if book is not None:
                book[tag] = book.get(tag, 0) + 1
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true", help="vary the rules around defaults")
    parser.add_argument("--show", action="store_true", help="print every photo's tags")
    args = parser.parse_args()
    truth = read_truth()
    photos = sum(t.kind == "photo" for t in truth)
    print(f"{len(truth)} pictures ({photos} photos, {len(truth) - photos} drawings), "
          f"{sum(bool(t.right) for t in truth)} with a subject the vocabulary can name")
    seen, ms = observe(truth)
    print("ms per photo: " + ", ".join(f"{name} {value:.0f}" for name, value in ms.items()))
    rules = Rules()
    default = TagSettings()
    default_name = next(n for n, (use, det) in SETUPS.items()
                        if (use, det) == (default.use, default.detector))
    print(f"\n{'setup':<24} {'rules':<9} result")
    worst: dict[str, str] = {}
    for name, (use, detector) in SETUPS.items():
        cost = ms["decode"] + sum(ms[m] for m in _models(use, detector))
        before = evaluate(truth, {t.photo: old_tags(seen[t.photo], use, detector)
                                  for t in truth})
        wrong: dict[str, int] = {}
        right: dict[str, int] = {}
        after = evaluate(truth, {t.photo: tags_of(seen[t.photo], use, detector, rules)
                                 for t in truth}, wrong, right)
        mark = "  <- default" if name == default_name else ""
        print(f"{name:<24} {'no rules':<9} {before.line()}")
        print(f"{'':<24} {'rules':<9} {after.line()}  {cost:.0f} ms/photo{mark}")
        worst[name] = ", ".join(f"{tag} {count}/{count + right.get(tag, 0)}" for tag, count
                                in sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:6])
    print("\nworst classes with the rules (wrong/given)")
    for name, text in worst.items():
        print(f"  {name:<24} {text or 'none wrong'}")
    use, detector = SETUPS[default_name]
    tagged = {t.photo: tags_of(seen[t.photo], use, detector, rules) for t in truth}
    if args.show:
        for item in truth:
            print(f"  {item.photo:<36} {', '.join(f'{t} {s:.2f}' for t, s in tagged[item.photo])}")
    if args.sweep:
        sweep(truth, seen, rules)
    return 0


def sweep(truth: list[Truth], seen: dict[str, dict[tuple[str, int], Seen]],
          rules: Rules) -> None:
    print("\nsweep (one rule at a time, others at their defaults)")
    grid = {"agree": (0.0, 0.01, 0.02, 0.05, 0.1),
            "agree_detector": (0.05, 0.1, 0.2, 0.3), "min_area": (0.0, 0.002, 0.004, 0.01),
            "floor": (0.1, 0.2, 0.3, 0.4, 0.5)}
    for name, (use, detector) in SETUPS.items():
        print(name)
        for rule, values in grid.items():
            cells = []
            for value in values:
                changed = replace(rules, **{rule: value})
                score = evaluate(truth, {t.photo: tags_of(seen[t.photo], use, detector, changed)
                                         for t in truth})
                cells.append(f"{value:g}: {score.precision:.0%}/{score.recall:.0%}")
            print(f"  {rule:<15} " + "  ".join(cells))


if __name__ == "__main__":
    sys.exit(main())
