"""What the face review asks of the engine: names close to a person's, the history of
decisions, restoring ignored faces and faces marked as not a face, each person's best face."""

from __future__ import annotations

import pytest

from engine.engine import Engine
from engine.errors import TermkamError
from engine.faces.similar import closest, distance, is_close

PERSONS = ["Carl", "Ann Example", "Bob Example", "Jo"]


@pytest.mark.parametrize(("typed", "meant"), [
    ("Karl", "Carl"), ("carl", None), ("CARL", None), ("Crl", "Carl"), ("Calr", "Carl"),
    ("Ann", "Ann Example"), ("ann example", None), ("Bob Exampel", "Bob Example"),
    ("Ann Exampl", "Ann Example"), ("Bob Exmpl", "Bob Example"), ("Dora", None),
    ("Jon", "Jo"), ("Carla Maria", None), ("An", None),
])
def test_a_name_close_to_an_existing_one_is_found_and_the_same_name_is_not(typed, meant):
    assert closest(typed, PERSONS) == meant


def test_closeness_counts_edits_and_swaps():
    assert distance("karl", "carl") == 1
    assert distance("calr", "carl") == 1            # two neighbours swapped
    assert distance("", "abc") == 3
    assert not is_close("Ann", "Bob")
    assert is_close("Bob Exmpl", "Bob Example")     # two edits in a long name
    assert not is_close("Bo", "Jo Ann")


@pytest.fixture
def faces(people_copy):
    with Engine(people_copy) as engine:
        yield engine.faces


def test_restore_brings_ignored_and_not_a_face_back_and_undo_takes_it_back(faces):
    one, two, three = (f.id for f in faces.find(unknown=True)[:3])
    faces.ignore([one])
    faces.not_a_face([two])
    assert faces.restore([one, two]) == "restored 2 faces"
    assert [faces.get(f).status for f in (one, two)] == ["unconfirmed", "unconfirmed"]
    with pytest.raises(TermkamError, match="none of these faces is ignored"):
        faces.restore([three])
    assert faces.undo(1) == ["restored 2 faces"]
    assert [faces.get(f).status for f in (one, two)] == ["ignored", "not_face"]


def test_a_restored_face_gets_its_suggestion_again(faces):
    face = next(f for f in faces.find(status="unconfirmed") if f.suggested_person_id)
    faces.ignore([face.id])
    assert faces.get(face.id).suggested_person_id is None
    faces.restore([face.id])
    restored = faces.get(face.id)
    assert (restored.status, restored.suggested_person_id) == ("unconfirmed",
                                                               face.suggested_person_id)


def test_history_is_newest_first_with_the_undone_marked(faces):
    before = faces.history(100)
    unknown = faces.find(unknown=True)[0].id
    faces.ignore([unknown])
    faces.restore([unknown])
    faces.undo(1)
    entries = faces.history(3)
    assert [(e.action, e.summary, e.undone) for e in entries] == [
        ("restore", "restored 1 face", True), ("ignored", "ignored 1 face", False),
        (before[0].action, before[0].summary, before[0].undone)]
    assert entries[0].at >= entries[1].at >= before[0].at
    assert len(faces.history(100)) == len(before) + 2
    assert len(faces.history(1)) == 1


def test_a_person_s_best_face_is_their_confirmed_face_of_the_best_quality(faces):
    best = faces.best_faces()
    for person in faces.persons():
        confirmed = faces.find(person_id=person.id, status="confirmed")
        assert best[person.id] == max(confirmed, key=lambda f: f.quality or 0).id
    suggested = next(f for f in faces.find(status="unconfirmed") if f.suggested_person_id)
    faces.name([suggested.id], "Solo")
    solo = next(p for p in faces.persons() if p.name == "Solo")
    assert faces.best_faces()[solo.id] == suggested.id
    assert faces.similar_person("solo") is None and faces.similar_person("Sola") == "Solo"
