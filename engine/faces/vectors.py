"""The stored face embeddings of one model version, loaded once and shared by recognition,
clustering and the previews.

Recognition compares vectors centred on the library's mean embedding (then re-normalised):
what all faces share (pose, light, the embedder's bias) stops counting as likeness. On ORL
this raised one-shot top-1 from 99.46 % to 99.68 % (20 seeds). The mean is shrunk towards
zero for small libraries, where it would mostly be the few faces themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from engine.catalog import faces as face_db

CENTRING_PRIOR = 50  # faces: the mean counts n / (n + prior), so 400 faces give 0.89 of it


class VectorCache:
    """Embeddings of one model version, loaded once and reused while the table is unchanged."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._index: dict[int, int] = {}
        self._matrix = np.zeros((0, 0), np.float32)
        self._centred = self._matrix

    def get(self, model_id: str, version: str, face_ids: Sequence[int],
            centred: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(ids that have a vector, their rows) for the requested faces; ``centred`` gives
        the rows recognition compares (see the module docstring), else the stored ones."""
        with self._lock:
            key = (model_id, version, *face_db.embedding_stamp(model_id, version))
            if key != self._key:
                ids, matrix = face_db.embeddings(model_id=model_id, model_version=version)
                self._index = {int(fid): row for row, fid in enumerate(ids)}
                self._matrix, self._centred, self._key = matrix, centre(matrix), key
            source = self._centred if centred else self._matrix
            rows = [(fid, self._index[fid]) for fid in face_ids if fid in self._index]
            if not rows:
                return np.zeros(0, np.int64), np.zeros((0, source.shape[1] or 0), np.float32)
            ids = np.fromiter((fid for fid, _ in rows), np.int64, len(rows))
            return ids, source[[row for _, row in rows]]


def centre(matrix: np.ndarray) -> np.ndarray:
    """Unit rows of ``matrix`` minus its (shrunk) mean row."""
    if not len(matrix):
        return matrix
    weight = len(matrix) / (len(matrix) + CENTRING_PRIOR)
    shifted = matrix - weight * matrix.mean(axis=0, dtype=np.float64).astype(np.float32)
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    return np.ascontiguousarray(shifted / np.maximum(norms, 1e-12), np.float32)


CACHE = VectorCache()
