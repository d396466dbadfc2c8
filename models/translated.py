"""Models the project translates for onnxruntime from a carried file (FaceNet's TF graph).

The translation (``models.tf_to_onnx``) runs once, at install (``termkam models install``,
which ``scripts/setup.sh`` calls) or else at the first load, from the carried file checked by
its sha256; the result must have the sha256 the registry pins, which was verified to give
cv2.dnn's embeddings. It is kept in ``models_dir``; where that is not writable the model is
translated in memory at each load instead (about a second).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from models.errors import ModelError
from models.registry import ModelSpec, label
from models.tf_to_onnx import translate


def translated_path(spec: ModelSpec, models_dir: Path) -> Path:
    """Where the translation of ``spec`` is kept (named by its pinned sha256)."""
    digest = spec.translation.sha256[:12] if spec.translation else "none"
    return Path(models_dir) / f"{spec.id}-translated-{digest}.onnx"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def translated_model(spec: ModelSpec, source: Path, models_dir: Path | None) -> Path | bytes:
    """The ONNX model of ``spec`` (a path when kept in ``models_dir``, else its bytes)."""
    translation = spec.translation
    if translation is None:
        raise ModelError(f"{label(spec)} is not translated")
    kept = translated_path(spec, models_dir) if models_dir is not None else None
    if (kept is not None and kept.is_file() and kept.stat().st_size == translation.size
            and _sha256(kept.read_bytes()) == translation.sha256):
        return kept
    graph = source.read_bytes()
    expected = next(f.sha256 for f in spec.files if f.role == "model")
    if expected and _sha256(graph) != expected:
        raise ModelError(f"{label(spec)}: {source} is not the file its package carries "
                         "(sha256 differs); reinstall the package")
    model = translate(graph, translation.input, translation.output, translation.input_size)
    digest = _sha256(model)
    if digest != translation.sha256:
        raise ModelError(f"{label(spec)}: its translation for onnxruntime has sha256 "
                         f"{digest[:12]}, expected {translation.sha256[:12]}")
    if kept is None:
        return model
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{kept.name}.", suffix=".part", dir=kept.parent)
    except OSError:
        return model   # a read-only models dir: translate in memory at each load
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(model)
        os.chmod(name, 0o644)
        os.replace(name, kept)
    except OSError:
        return model   # e.g. a full disk
    finally:
        Path(name).unlink(missing_ok=True)
    return kept
