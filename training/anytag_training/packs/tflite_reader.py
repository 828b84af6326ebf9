"""A minimal reader of TensorFlow Lite model files, by hand over the `flatbuffers` runtime.

Only what a float conversion of a quantised classifier needs: tensors (shape, type, buffer,
quantisation), operators (builtin code, inputs, outputs, options) and buffers. Field numbers
follow tensorflow/lite/schema/schema.fbs (a table field with id i sits at vtable slot 4 + 2i).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from flatbuffers import number_types as N
from flatbuffers.table import Table

# BuiltinOperator codes used by MobileNet-style classifiers and BlazeFace-style detectors.
OPS = {0: "ADD", 1: "AVERAGE_POOL_2D", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D", 6: "DEQUANTIZE",
       17: "MAX_POOL_2D", 19: "RELU", 22: "RESHAPE", 23: "RESIZE_BILINEAR", 25: "SOFTMAX",
       34: "PAD", 114: "QUANTIZE"}
# TensorType -> numpy dtype.
DTYPES = {0: np.float32, 1: np.float16, 2: np.int32, 3: np.uint8, 4: np.int64, 9: np.int8}


@dataclass(frozen=True)
class Tensor:
    """A tensor: name, shape, numpy dtype, constant data (None for activations), quantisation."""

    name: str
    shape: tuple[int, ...]
    dtype: type
    data: np.ndarray | None
    scale: np.ndarray | None
    zero_point: np.ndarray | None
    quantized_dimension: int

    def dequantized(self) -> np.ndarray:
        """Constant data as float32: scale * (q - zero_point), per channel if several scales."""
        if self.data is None:
            raise ValueError(f"tensor {self.name!r} has no constant data")
        if self.scale is None:
            return self.data.astype(np.float32)
        shape = [1] * self.data.ndim
        if self.scale.size > 1:
            shape[self.quantized_dimension] = -1
        scale = self.scale.reshape(shape).astype(np.float32)
        zero = self.zero_point.reshape(shape).astype(np.float32)
        return (self.data.astype(np.float32) - zero) * scale


@dataclass(frozen=True)
class Operator:
    """An operator: builtin name, input / output tensor indices (-1 = absent), options table."""

    op: str
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    options: Table | None


@dataclass(frozen=True)
class Subgraph:
    tensors: list[Tensor]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    operators: list[Operator]


def _field(table: Table, field_id: int) -> int:
    return table.Offset(4 + 2 * field_id)


def scalar(table: Table | None, field_id: int, kind: type, default: float | int) -> float | int:
    """A scalar field (e.g. N.Int32Flags) of a table, or its schema default when absent."""
    if table is None:
        return default
    at = _field(table, field_id)
    return table.Get(kind, at + table.Pos) if at else default


def _subtable(table: Table, field_id: int) -> Table | None:
    at = _field(table, field_id)
    return Table(table.Bytes, table.Indirect(at + table.Pos)) if at else None


def _tables(table: Table, field_id: int) -> list[Table]:
    at = _field(table, field_id)
    if not at:
        return []
    start = table.Vector(at)
    return [Table(table.Bytes, table.Indirect(start + 4 * i)) for i in range(table.VectorLen(at))]


def _array(table: Table | None, field_id: int, dtype: type) -> np.ndarray | None:
    at = _field(table, field_id) if table is not None else 0
    if not at:
        return None
    start, count = table.Vector(at), table.VectorLen(at)
    return np.frombuffer(table.Bytes, dtype=np.dtype(dtype).newbyteorder("<"), count=count,
                         offset=start)


def _string(table: Table, field_id: int) -> str:
    at = _field(table, field_id)
    return table.String(at + table.Pos).decode("utf-8") if at else ""


def read_tflite(path: Path | str) -> Subgraph:
    """The first subgraph of a .tflite file, with constant tensors' data attached."""
    buf = bytearray(Path(path).read_bytes())
    if buf[4:8] != b"TFL3":
        raise ValueError(f"{path}: file identifier {bytes(buf[4:8])!r}, expected b'TFL3'")
    model = Table(buf, N.UOffsetTFlags.py_type(int.from_bytes(buf[0:4], "little")))
    codes = []
    for code in _tables(model, 1):  # operator_codes
        deprecated = scalar(code, 0, N.Int8Flags, 0)
        codes.append(max(int(deprecated), int(scalar(code, 3, N.Int32Flags, 0))))
    buffers = [_array(b, 0, np.uint8) for b in _tables(model, 4)]  # buffers[i].data
    graph = _tables(model, 2)[0]  # subgraphs[0]
    tensors = []
    for t in _tables(graph, 0):
        shape = tuple(int(x) for x in (_array(t, 0, np.int32) if _field(t, 0) else []))
        dtype = DTYPES[int(scalar(t, 1, N.Int8Flags, 0))]
        raw = buffers[int(scalar(t, 2, N.Uint32Flags, 0))]
        data = None if raw is None or raw.size == 0 else raw.view(dtype).reshape(shape)
        q = _subtable(t, 4)
        scale = _array(q, 2, np.float32)
        zero = _array(q, 3, np.int64)
        tensors.append(Tensor(_string(t, 3), shape, dtype, data,
                              None if scale is None or scale.size == 0 else scale.copy(),
                              None if zero is None or zero.size == 0 else zero.copy(),
                              int(scalar(q, 6, N.Int32Flags, 0))))
    operators = []
    for o in _tables(graph, 3):
        code = codes[int(scalar(o, 0, N.Uint32Flags, 0))]
        if code not in OPS:
            raise ValueError(f"{path}: builtin operator {code} is not supported")
        operators.append(Operator(OPS[code], tuple(int(x) for x in _array(o, 1, np.int32)),
                                  tuple(int(x) for x in _array(o, 2, np.int32)), _subtable(o, 4)))
    ins, outs = _array(graph, 1, np.int32), _array(graph, 2, np.int32)
    return Subgraph(tensors, tuple(int(x) for x in ins), tuple(int(x) for x in outs), operators)
