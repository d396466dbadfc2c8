"""The protobuf wire format, read and written by hand: enough to rewrite or translate model
graphs (ONNX, TensorFlow GraphDef) without the ``onnx`` or ``tensorflow`` packages."""

from __future__ import annotations

from collections.abc import Iterator

from models.errors import ModelError

VARINT, FIXED64, BYTES, FIXED32 = 0, 1, 2, 5


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(buf):
            raise ModelError("not a model file: truncated protobuf")
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


def fields(buf: bytes) -> Iterator[tuple[int, int, bytes, bytes]]:
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
            raise ModelError(f"not a model file: protobuf wire type {wire}")
        if end > len(buf):
            raise ModelError("not a model file: truncated protobuf")
        yield number, wire, buf[payload_start:end], buf[start:end]
        pos = end


def varint_value(payload: bytes) -> int:
    """The value of a varint payload given by ``fields`` (signed, as int64)."""
    value = _varint(payload, 0)[0]
    return value - (1 << 64) if value >= 1 << 63 else value


def packed_varints(payload: bytes) -> list[int]:
    """The values of a packed repeated varint field (signed, as int64)."""
    values, pos = [], 0
    while pos < len(payload):
        value, pos = _varint(payload, pos)
        values.append(value - (1 << 64) if value >= 1 << 63 else value)
    return values


def field(number: int, value: int | str | bytes) -> bytes:
    """One protobuf field: an int as a varint, str/bytes as length-delimited."""
    if isinstance(value, int):
        return encode_varint(number << 3 | VARINT) + encode_varint(value)
    data = value.encode() if isinstance(value, str) else value
    return encode_varint(number << 3 | BYTES) + encode_varint(len(data)) + data


def string(message: bytes, number: int) -> str | None:
    """The first string field ``number`` of ``message``, None if absent."""
    return next((p.decode() for n, w, p, _ in fields(message) if n == number and w == BYTES),
                None)


def first(message: bytes, number: int) -> bytes:
    """The payload of the first length-delimited field ``number`` (empty if absent)."""
    return next((p for n, w, p, _ in fields(message) if n == number and w == BYTES), b"")
