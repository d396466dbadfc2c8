"""The kNN voting itself: the pruned one-face path gives exactly the full computation."""

from __future__ import annotations

import numpy as np
import pytest

from engine.faces import evaluation, support
from engine.faces.recognition import References, best_persons, person_scores


def _data(seed: int = 1):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(3000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    refs = References.build(np.arange(3000), rng.integers(0, 200, 3000), vectors)
    queries = vectors[:24] + 0.3 * rng.normal(size=(24, 64)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    return refs, queries


def test_pruned_single_face_path_equals_the_batched_path():
    refs, queries = _data()
    nearest = [int(refs.person_ids[np.argmax(q @ refs.vectors.T)]) for q in queries]
    banned = [{nearest[i]} if i % 3 == 0 else set() for i in range(len(queries))]
    batched = best_persons(queries, refs, 3, banned)            # more than 8: matrix path
    for i in range(len(queries)):
        person, distance = best_persons(queries[i:i + 1], refs, 3, [banned[i]])
        assert person[0] == batched[0][i]
        assert abs(distance[0] - batched[1][i]) < 1e-5
        assert person[0] not in banned[i]


def test_person_score_is_the_mean_of_its_best_matches():
    refs, queries = _data(2)
    scores = person_scores(queries[:1], refs, 3)
    sims = queries[0] @ refs.vectors.T
    for column, person in enumerate(refs.persons[:20]):
        own = np.sort(sims[refs.person_ids == person])[::-1][:3]
        assert abs(scores[0, column] - own.mean()) < 1e-5


def test_dbscan_edge_cases():
    from engine.faces.clustering import dbscan

    assert dbscan(np.zeros((0, 8), np.float32), 0.3, 3).tolist() == []
    far = np.eye(4, dtype=np.float32)                      # four faces, nobody alike
    assert dbscan(far, 0.3, 2).tolist() == [-1, -1, -1, -1]
    twins = np.array([[1, 0], [1, 0], [1, 0], [0, 1]], np.float32)
    assert dbscan(twins, 0.1, 3).tolist() == [0, 0, 0, -1]


# -- names through similar faces -----------------------------------------------------------

def _unit(*weights: float) -> np.ndarray:
    vector = np.zeros(8, np.float32)
    vector[:len(weights)] = weights
    return vector / np.linalg.norm(vector)


def _linked(rejected_far: bool = False, second_link: bool = True, far_ref: float = 0.4):
    """Person 7's reference R; faces a, b near R (direct); face g far from R (distance
    1 - far_ref / |g|) but close to a and b; face s close to a alone."""
    refs = References.build([100], [7], _unit(1.0)[None])
    a, b = _unit(1.0, 0.6), _unit(1.0, 0.6, 0.1)
    g = _unit(far_ref, 1.0, 0.3)
    s = _unit(0.2, 1.0, -0.6, 0.5)
    queries = np.stack([a, b if second_link else _unit(0.0, 0.0, 0.0, 1.0), g, s])
    rejected = [set(), set(), {7} if rejected_far else set(), set()]
    person, distance = best_persons(queries, refs, 3, rejected)
    direct = distance <= 0.44
    return support.extend(queries, np.where(direct, person, -1),
                          np.where(direct, distance, np.inf), refs, 3, 0.44, rejected)


def test_a_far_face_close_to_two_direct_suggestions_is_named_with_its_own_distance():
    person, distance = _linked()
    assert list(person[:2]) == [7, 7] and max(distance[:2]) < 0.44   # direct
    assert person[2] == 7
    assert distance[2] == pytest.approx(1 - 0.4 / np.sqrt(0.16 + 1 + 0.09), abs=1e-5)
    assert person[3] == -1 and np.isinf(distance[3])    # one close face is not enough


def test_no_name_through_one_link_a_rejection_or_references_out_of_reach():
    assert _linked(second_link=False)[0][2] == -1
    assert _linked(rejected_far=True)[0][2] == -1
    # references beyond threshold + REACH: not named however close the support
    person, _ = _linked(far_ref=0.2)
    assert 1 - 0.2 / np.sqrt(0.04 + 1 + 0.09) > 0.44 + support.REACH and person[2] == -1


def test_a_tie_between_two_persons_names_nobody():
    refs = References.build([100, 101], [7, 8], np.stack([_unit(1.0), _unit(0.0, 0.0, 1.0)]))
    far = _unit(0.4, 0.5, 0.4)      # 0.47 from both references, close to the four faces below

    def named(fourth: np.ndarray) -> int:
        queries = np.stack([_unit(1.0, 0.3), _unit(1.0, 0.35), _unit(0.3, 0.0, 1.0), fourth,
                            far])
        person, distance = best_persons(queries, refs, 3, [set()] * 5)
        direct = distance <= 0.44
        assert direct[:4].all() and not direct[4]
        return int(support.extend(queries, np.where(direct, person, -1),
                                  np.where(direct, distance, np.inf), refs, 3, 0.44,
                                  [set()] * 5)[0][4])

    assert named(_unit(0.35, 0.0, 1.0)) == -1          # two votes each
    assert named(_unit(0.0, -0.3, 1.0)) == 7           # person 8's second face is not close


def test_leave_one_out_names_a_confirmed_face_through_unconfirmed_similar_faces():
    # person 7 confirmed on R and on g, far apart; unconfirmed a and b sit between them
    refs = References.build([100, 101], [7, 7], np.stack([_unit(1.0), _unit(0.4, 1.0, 0.3)]))
    loo = evaluation.leave_one_out(refs, 3)
    assert list(loo.predicted) == [7, 7] and min(loo.distance) > 0.44
    alone = evaluation.at_threshold(loo, refs, 3, 0.44)
    assert (alone.faces, alone.suggested, alone.recall) == (2, 0.0, 0.0)
    between = np.stack([_unit(1.0, 0.6), _unit(1.0, 0.6, 0.1)])
    person, distance = best_persons(between, refs, 3, [set(), set()])
    found = evaluation.Unconfirmed(between, person, distance)
    assert max(distance) < 0.44
    helped = evaluation.at_threshold(loo, refs, 3, 0.44, found)
    # g is linked to a and b; R is as well (a and b are close to it)
    assert (helped.suggested, helped.precision, helped.recall) == (1.0, 1.0, 1.0)
    # with only one of them, nothing is named
    one = evaluation.Unconfirmed(between[:1], person[:1], distance[:1])
    assert evaluation.at_threshold(loo, refs, 3, 0.44, one).suggested == 0.0
