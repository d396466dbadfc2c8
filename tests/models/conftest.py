"""Fixtures for the model tests: a folder of optional models (the copies that ship inside
termkam, ``tests.helpers.model_mirror``) and a private models dir."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from models import registry
from models.install import install
from tests.helpers import model_mirror


@pytest.fixture
def mirror() -> Path:
    """A folder holding the optional models, as an offline mirror would."""
    return model_mirror()


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    """An empty, private models dir."""
    path = tmp_path / "models"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def optional_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models dir with every optional model installed from the mirror, shared by tests."""
    source = model_mirror()
    path = tmp_path_factory.mktemp("optional-models")
    for spec in registry.REGISTRY.values():
        if spec.optional:
            install(spec, path, source=str(source))
    return path


@pytest.fixture(scope="session")
def sample_images(objects_set: dict[str, Path], faces_set: dict[str, Path]
                  ) -> dict[str, np.ndarray]:
    """Every objects / faces sample photo decoded (BGR), by sample key."""
    images = {}
    for key, path in {**objects_set, **faces_set}.items():
        image = cv2.imread(str(path))
        assert image is not None, key
        images[key] = image
    return images
