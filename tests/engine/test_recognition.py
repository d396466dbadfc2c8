"""The kNN voting itself: the pruned one-face path gives exactly the full computation."""

from __future__ import annotations

import numpy as np

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
