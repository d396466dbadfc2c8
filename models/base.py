"""The base of every model adapter: lazy load once under a lock, batched predict.

After immich's ``InferenceModel``: an adapter subclasses ``InferenceModel``, implements
``_predict_batch`` (pre-process, run, post-process one chunk) and, when the default
"open every weight file with the spec's runtime" is not enough, ``_load``.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models.registry import ModelSpec, locate
from models.runtimes import open_runtime


class InferenceModel(ABC):
    """A model that loads on first use and predicts in chunks of ``batch_size``."""

    def __init__(
        self,
        spec: ModelSpec,
        models_dir: Path,
        *,
        batch_size: int = 1,
        threads: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.spec = spec
        self.models_dir = Path(models_dir)
        self.batch_size = batch_size
        self.threads = threads
        self.runtimes: dict[str, Any] = {}
        self.load_seconds: float | None = None
        self._lock = threading.Lock()
        self._loaded = False

    @property
    def loaded(self) -> bool:
        """True once ``load`` has succeeded."""
        return self._loaded

    def load(self) -> None:
        """Locate the weights and open them, once; concurrent callers wait for the first.

        Raises ModelMissing / ModelError (one line) and stays unloaded, so a later call
        retries (e.g. after ``termkam models install``).
        """
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            paths = locate(self.spec, self.models_dir)
            start = time.perf_counter()
            self._load(paths)
            self.load_seconds = time.perf_counter() - start
            self._loaded = True

    def predict(self, batch: Sequence[Any]) -> Any:
        """Run ``_predict_batch`` over ``batch`` in chunks of ``batch_size``.

        Array results are concatenated along axis 0; list results are joined in order.
        """
        self.load()
        chunks = [
            self._predict_batch(list(batch[start : start + self.batch_size]))
            for start in range(0, len(batch), self.batch_size)
        ]
        return collect(chunks)

    def _load(self, paths: Mapping[str, Path]) -> None:
        """Open every weight file with the spec's runtime into ``self.runtimes``."""
        self.runtimes = open_runtime(self.spec, paths, self.threads, self.models_dir)

    @abstractmethod
    def _predict_batch(self, items: list[Any]) -> Any:
        """Predict one chunk (at most ``batch_size`` items); return an array or a list."""


def collect(chunks: Sequence[Any]) -> Any:
    """Join per-chunk results: arrays by ``np.concatenate``, anything else as one list."""
    if not chunks:
        return []
    if all(isinstance(chunk, np.ndarray) for chunk in chunks):
        return np.concatenate(chunks, axis=0)
    joined: list[Any] = []
    for chunk in chunks:
        joined.extend(chunk)
    return joined
