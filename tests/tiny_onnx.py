"""Tiny ONNX models written byte by byte (no ``onnx`` package): X -> ReduceMean over the
spatial axes -> MatMul -> Add (-> Softmax), whose output depends only on each input channel's
mean, so a test can work out the expected score by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.protobuf import field as _field


def _tensor(name: str, array: np.ndarray) -> bytes:  # TensorProto, FLOAT, raw_data
    dims = b"".join(_field(1, d) for d in array.shape)
    return dims + _field(2, 1) + _field(8, name) + _field(9, array.astype("<f4").tobytes())


def _value_info(name: str, shape: list[int | str]) -> bytes:
    dims = b"".join(_field(1, _field(1, d) if isinstance(d, int) else _field(2, d))
                    for d in shape)
    tensor_type = _field(1, 1) + _field(2, dims)  # elem_type FLOAT, shape
    return _field(1, name) + _field(2, _field(1, tensor_type))


def _attribute(name: str, value: int | list[int]) -> bytes:  # AttributeProto INT / INTS
    if isinstance(value, int):
        return _field(1, name) + _field(3, value) + _field(20, 2)
    return _field(1, name) + b"".join(_field(8, v) for v in value) + _field(20, 7)


def _node(op: str, inputs: list[str], output: str, **attrs: int | list[int]) -> bytes:
    return (b"".join(_field(1, i) for i in inputs) + _field(2, output) + _field(4, op)
            + b"".join(_field(5, _attribute(k, v)) for k, v in attrs.items()))


def tiny_model(path: Path, weights: np.ndarray, bias: np.ndarray, *, shape: list[int | str],
               softmax: bool = True, opset: int = 13) -> Path:
    """Write X (shape) -> ReduceMean(spatial) -> MatMul(weights) -> Add(bias) [-> Softmax]."""
    axes = [2, 3] if shape[1] == 3 else [1, 2]
    nodes = [_node("ReduceMean", ["X"], "m", axes=axes, keepdims=0),
             _node("MatMul", ["m", "W"], "z"), _node("Add", ["z", "B"], "l" if softmax else "Y")]
    if softmax:
        nodes.append(_node("Softmax", ["l"], "Y"))
    graph = (b"".join(_field(1, n) for n in nodes) + _field(2, "tiny")
             + _field(5, _tensor("W", weights)) + _field(5, _tensor("B", bias))
             + _field(11, _value_info("X", shape))
             + _field(12, _value_info("Y", [shape[0], weights.shape[1]])))
    model = _field(1, 8) + _field(2, "termkam-test") + _field(7, graph) + _field(
        8, _field(1, "") + _field(2, opset))
    path.write_bytes(model)
    return path
