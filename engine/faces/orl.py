"""The ORL protocol of shared/DATA.md, run through the engine's own code path: the 400 ORL
photos are scanned into a library, faces detected and embedded by the detect job, names
given with the same decisions a user makes, and suggestions made by the recognition code.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from engine import samples
from engine.catalog import faces as face_db
from engine.catalog import persons as person_db
from engine.errors import TermkamError

from . import decisions, recognition
from .loaders import embedder_key

PEOPLE = 40
# ORL pictures are tight 92x112 crops: a replicated border gives the detector context and a
# x2 upscale puts the faces in its best size range (then every one of the 400 is found).
BORDER = 0.5
UPSCALE = 2


def framed(path: Path, border: float = BORDER) -> np.ndarray:
    """An ORL face with a replicated border, upscaled: a picture the detector finds a face in."""
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise TermkamError(f"cannot read ORL sample {path}")
    pad_y, pad_x = int(image.shape[0] * border), int(image.shape[1] * border)
    padded = cv2.copyMakeBorder(image, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_REPLICATE)
    return cv2.resize(padded, None, fx=UPSCALE, fy=UPSCALE, interpolation=cv2.INTER_CUBIC)


def build_collection(dest: Path, border: float = BORDER) -> dict[str, int]:
    """PNG copies of the ORL faces with a replicated border; file path -> person number."""
    files = samples.fetch_set("orl")
    truth = {}
    for key, path in files.items():
        person, shot = key.split("/")[1], Path(key).stem
        target = dest / person / f"{int(shot):02d}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            cv2.imwrite(str(target), framed(path, border))
        truth[str(target.resolve())] = int(person[1:])
    return truth


@dataclass
class OrlReport:
    faces_found: int = 0
    images: int = 0
    closed: dict[int, list[float]] = field(default_factory=dict)   # k -> accuracy per seed
    open_known: list[float] = field(default_factory=list)
    open_strangers: list[float] = field(default_factory=list)
    threshold: float = 0.0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"ORL: {self.faces_found} of {self.images} photos have a detected face"]
        for k, accs in sorted(self.closed.items()):
            out.append(f"k = {k}: top-1 {_spread(accs)}, {len(accs)} seeds)")
        if self.open_known:
            out.append(f"open set at the default distance {self.threshold:.2f}: "
                       f"{_spread(self.open_known)}) of known faces named right, "
                       f"{_spread(self.open_strangers)}) of strangers' faces left unnamed "
                       f"(30 known people, 10 strangers, k = 2, {len(self.open_known)} seeds)")
        out.append(f"took {self.seconds:.0f} s")
        return out


def _spread(values: list[float]) -> str:
    return (f"{100 * np.mean(values):.2f} % (min {100 * min(values):.2f}, "
            f"max {100 * max(values):.2f}")


def _faces_by_image(truth: dict[str, int]) -> dict[int, tuple[int, int]]:
    """face id -> (person, shot image path hash) for the best face of each ORL photo."""
    best: dict[str, tuple[float, int]] = {}
    for face in face_db.list_faces():
        score = face.det_score or 0.0
        if face.image_path in truth and score >= best.get(face.image_path, (-1.0, 0))[0]:
            best[face.image_path] = (score, face.id)
    return {fid: (truth[path], hash(path)) for path, (_, fid) in best.items()}


def run_protocol(engine, truth: dict[str, int], ks: tuple[int, ...] = (1, 2, 5),
                 seeds: int = 5, log: Callable[[str], None] | None = None) -> OrlReport:
    """Closed-set top-1 for each k and the open-set variant, on a detected ORL library."""
    started = time.monotonic()
    settings = engine.faces.settings()
    model = embedder_key(settings)
    faces = _faces_by_image(truth)
    report = OrlReport(faces_found=len(faces), images=len(truth),
                       threshold=settings.recognition_distance)
    by_person: dict[int, list[int]] = {}
    for fid, (person, _) in sorted(faces.items()):
        by_person.setdefault(person, []).append(fid)
    for k in ks:
        for seed in range(seeds):
            picks = _confirm(engine, by_person, k, seed, range(1, PEOPLE + 1))
            refs = recognition.references(settings, *model)
            queries = [f for f in faces if f not in picks]
            ids, vectors = recognition.CACHE.get(*model, queries, centred=True)
            persons, _ = recognition.best_persons(vectors, refs, settings.knn,
                                                  [set()] * len(ids))
            names = {p.id: int(p.name[1:]) for p in person_db.persons()}
            right = sum(names.get(int(p), -1) == faces[int(f)][0]
                        for f, p in zip(ids, persons, strict=True))
            # a photo whose face was not detected counts as a failure
            report.closed.setdefault(k, []).append(right / (len(truth) - len(picks)))
            if log:
                log(f"k={k} seed={seed}: {100 * report.closed[k][-1]:.2f} %")
    for seed in range(seeds):
        people = list(range(1, PEOPLE + 1))
        random.Random(1000 + seed).shuffle(people)
        known = set(people[:30])
        picks = _confirm(engine, by_person, 2, seed, sorted(known))
        with engine.library.writing():
            recognition.suggest(settings, *model)
        names = {p.id: int(p.name[1:]) for p in person_db.persons()}
        known_right = known_total = strangers_unnamed = strangers_total = 0
        for face in face_db.list_faces(status="unconfirmed"):
            if face.id not in faces or face.id in picks:
                continue
            truth_person = faces[face.id][0]
            suggested = names.get(face.suggested_person_id or -1)
            if truth_person in known:
                known_total += 1
                known_right += suggested == truth_person
            else:
                strangers_total += 1
                strangers_unnamed += suggested is None
        report.open_known.append(known_right / max(1, known_total))
        report.open_strangers.append(strangers_unnamed / max(1, strangers_total))
    report.seconds = time.monotonic() - started
    return report


def _confirm(engine, by_person: dict[int, list[int]], k: int, seed: int, people) -> set[int]:
    """Forget earlier decisions, then name k random faces of each of ``people``."""
    rng = random.Random(seed * 100 + k)
    picks: set[int] = set()
    with engine.library.writing():
        person_db.forget_all_decisions()
        for person in people:
            chosen = rng.sample(by_person.get(person, []), min(k, len(by_person.get(person, []))))
            if chosen:
                decisions.name(chosen, f"s{person}")
                picks.update(chosen)
    return picks
