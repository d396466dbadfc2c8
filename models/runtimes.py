"""Create the runtime object for a model: cv2.dnn net, onnxruntime session, LiteRT interpreter.

Runtimes are imported lazily, so listing models stays cheap and a missing optional runtime
(LiteRT) only affects the models that need it. Load failures become one-line ModelErrors.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from models.errors import ModelError, ModelMissing
from models.onnx_shapes import with_free_sizes
from models.registry import ModelSpec, label, locate

# runtime -> (module to look for, pip package that provides it)
RUNTIME_PACKAGES = {
    "cv2.dnn": ("cv2", "opencv-python-headless"),
    "onnxruntime": ("onnxruntime", "onnxruntime"),
    "litert": ("ai_edge_litert", "ai-edge-litert"),
    "numpy": ("numpy", "numpy"),
}
_WEIGHT_SUFFIXES = {".onnx", ".pb", ".tflite"}
_quiet_lock = threading.Lock()
_STDERR_LOCK = threading.Lock()
_quiet_done = False


def default_threads() -> int:
    """Threads for one model: $TERMKAM_THREADS, else every core."""
    value = os.environ.get("TERMKAM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else os.cpu_count() or 1


# --providers names -> onnxruntime execution providers
PROVIDERS = {"cpu": "CPUExecutionProvider", "cuda": "CUDAExecutionProvider",
             "tensorrt": "TensorrtExecutionProvider", "rocm": "ROCMExecutionProvider",
             "migraphx": "MIGraphXExecutionProvider", "openvino": "OpenVINOExecutionProvider",
             "directml": "DmlExecutionProvider", "coreml": "CoreMLExecutionProvider"}


def provider_preference(text: str) -> list[str]:
    """``cuda,cpu`` as onnxruntime provider names; ValueError naming an unknown one."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in PROVIDERS]
    if unknown or not names:
        raise ValueError(f"unknown execution provider {', '.join(unknown) or repr(text)}: "
                         f"choose from {', '.join(PROVIDERS)}")
    return [PROVIDERS[name] for name in names]


def execution_providers() -> list[str]:
    """The onnxruntime providers sessions use, best first: those of $TERMKAM_PROVIDERS
    (``termkam worker --providers``; default cpu) that this onnxruntime build has, with the
    CPU last as the fallback."""
    import onnxruntime as ort

    available = set(ort.get_available_providers())
    try:
        wanted = provider_preference(os.environ.get("TERMKAM_PROVIDERS", "cpu"))
    except ValueError:
        wanted = []
    chosen = [name for name in wanted if name in available and name != PROVIDERS["cpu"]]
    return [*chosen, PROVIDERS["cpu"]]


def runtime_missing(spec: ModelSpec) -> str | None:
    """None when the runtime of ``spec`` is importable, else the one-line reason (no import)."""
    module, package = RUNTIME_PACKAGES[spec.runtime]
    if importlib.util.find_spec(module) is not None:
        return None
    return f"{label(spec)} needs {spec.runtime}: install it with `pip install {package}`"


def quiet_opencv() -> None:
    """Silence OpenCV's stderr logging once per process (it garbles the TUI)."""
    global _quiet_done
    with _quiet_lock:
        if not _quiet_done:
            import cv2

            cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
            _quiet_done = True


def cv2_net(model: Path, config: Path | None = None) -> Any:
    """A cv2.dnn net: ONNX, or a TensorFlow frozen graph with an optional .pbtxt config."""
    quiet_opencv()
    import cv2

    if model.suffix == ".onnx":
        return cv2.dnn.readNetFromONNX(str(model))
    return cv2.dnn.readNetFromTensorflow(str(model), str(config) if config else "")


def face_detector_yn(
    model: Path, thresholds: Mapping[str, float], size: tuple[int, int] = (320, 320)
) -> Any:
    """A cv2.FaceDetectorYN (YuNet); call ``setInputSize`` per image size."""
    quiet_opencv()
    import cv2

    return cv2.FaceDetectorYN.create(
        str(model), "", size, float(thresholds.get("score", 0.6)),
        float(thresholds.get("nms", 0.3)), int(thresholds.get("top_k", 5000)),
    )


def ort_session(model: Path | bytes, threads: int | None = None) -> Any:
    """An onnxruntime session (of a file, or of a model's bytes) on the preferred providers
    (``execution_providers``): intra-op threads = cores, inter-op 1, errors only."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or default_threads()
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    providers = execution_providers()
    source = model if isinstance(model, bytes) else str(model)
    return ort.InferenceSession(source, sess_options=options, providers=providers)


def litert_interpreter(model: Path, threads: int | None = None) -> Any:
    """A LiteRT interpreter with tensors allocated; ModelMissing if ai-edge-litert is absent."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        raise ModelMissing(
            f"LiteRT is not installed, {model.name} needs it: "
            "install it with `pip install ai-edge-litert`"
        ) from None
    with native_stderr_silenced():  # LiteRT prints "INFO: Created ... delegate" on fd 2
        interpreter = Interpreter(model_path=str(model), num_threads=threads or default_threads())
        interpreter.allocate_tensors()
    return interpreter


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null meanwhile: native libraries write there directly,
    which would print over the TUI. Python-level errors still raise as usual."""
    _STDERR_LOCK.acquire()
    try:
        saved = os.dup(2)
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    finally:
        _STDERR_LOCK.release()


def _one_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = next((line for line in lines if "error:" in line), lines[-1] if lines else "")
    text = text or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _open(spec: ModelSpec, role: str, path: Path, paths: Mapping[str, Path], threads: int | None,
          models_dir: Path | None):
    if spec.translation is not None:     # a TF graph translated for onnxruntime
        from models.translated import translated_model

        return ort_session(translated_model(spec, path, models_dir), threads)
    if spec.loader == "FaceDetectorYN":
        return face_detector_yn(path, spec.thresholds)
    if spec.runtime == "cv2.dnn":
        return cv2_net(path, paths.get("config"))
    if spec.loader == "free-sizes":      # exported with fixed sizes (models/onnx_shapes.py)
        return ort_session(with_free_sizes(path.read_bytes()), threads)
    if spec.runtime == "onnxruntime":
        return ort_session(path, threads)
    if spec.runtime == "litert":
        return litert_interpreter(path, threads)
    raise ModelError(f"{label(spec)}: unknown runtime {spec.runtime!r} for {role}")


def open_runtime(
    spec: ModelSpec, paths: Mapping[str, Path], threads: int | None = None,
    models_dir: Path | None = None,
) -> dict[str, Any]:
    """Runtime objects by role: one per weight file (``model``, or ``pnet``/``rnet``/``onet``).

    A translated model is kept in ``models_dir`` (None: translated in memory).

    ``numpy`` models give their npz arrays as dicts. Config and label files are not opened:
    adapters read them from ``paths``. Any load failure is one ModelError line.
    """
    reason = runtime_missing(spec)
    if reason:
        raise ModelMissing(reason)
    try:
        if spec.runtime == "numpy":
            import numpy as np

            return {role: dict(np.load(path)) for role, path in paths.items()}
        return {
            role: _open(spec, role, path, paths, threads, models_dir)
            for role, path in paths.items()
            if path.suffix in _WEIGHT_SUFFIXES
        }
    except ModelError:
        raise
    except Exception as error:  # runtimes raise their own types (cv2.error, ORT, ValueError)
        raise ModelError(
            f"{label(spec)} could not be loaded by {spec.runtime}: {_one_line(error)}"
        ) from error


def load_timed(
    spec: ModelSpec, models_dir: Path, threads: int | None = None
) -> tuple[dict[str, Any], float]:
    """Locate and open ``spec``; returns (runtime objects, seconds taken to open them)."""
    paths = locate(spec, models_dir)
    start = time.perf_counter()
    runtimes = open_runtime(spec, paths, threads, models_dir)
    return runtimes, time.perf_counter() - start
