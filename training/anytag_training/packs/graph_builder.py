"""Append ONNX nodes to a graph by name: the small vocabulary merged_graph.py is written in.

Every helper adds the node (and its constant inputs, named after its output) and returns the
output's name, so a formula reads as nested calls, e.g. `g.ramp(g.max_over(x, [1], "m"), r, "w")`.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.compose import add_prefix

from .signals import Ramp


class GraphBuilder:
    """Appends to `graph` (an onnx.GraphProto, changed in place)."""

    def __init__(self, graph: onnx.GraphProto) -> None:
        self.graph = graph

    def const(self, name: str, value: np.ndarray) -> str:
        self.graph.initializer.append(numpy_helper.from_array(value, name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: object) -> str:
        self.graph.node.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def scalar(self, name: str, value: float) -> str:
        return self.const(name, np.array(value, np.float32))

    def axes(self, name: str, *axes: int) -> str:
        return self.const(name, np.array(axes, np.int64))

    def slice(self, x: str, start: int, end: int, axis: int, out: str) -> str:
        """x[..., start:end, ...] along `axis`."""
        bounds = [self.axes(out + "/start", start), self.axes(out + "/end", end)]
        return self.node("Slice", [x, *bounds, self.axes(out + "/axis", axis)], out)

    def unsqueeze(self, x: str, axis: int, out: str) -> str:
        return self.node("Unsqueeze", [x, self.axes(out + "/axis", axis)], out)

    def squeeze(self, x: str, axis: int, out: str) -> str:
        return self.node("Squeeze", [x, self.axes(out + "/axis", axis)], out)

    def clip01(self, x: str, out: str) -> str:
        low, high = self.scalar(out + "/0", 0.0), self.scalar(out + "/1", 1.0)
        return self.node("Clip", [x, low, high], out)

    def affine(self, x: str, scale: float, offset: float, out: str) -> str:
        """x * scale + offset."""
        scaled = self.node("Mul", [x, self.scalar(out + "/scale", scale)], out + "/mul")
        return self.node("Add", [scaled, self.scalar(out + "/offset", offset)], out)

    def ramp(self, x: str, ramp: Ramp, out: str) -> str:
        """clip((x - low) / (high - low), 0, 1)."""
        span = ramp.high - ramp.low
        return self.clip01(self.affine(x, 1 / span, -ramp.low / span, out + "/lin"), out)

    def max_over(self, x: str, axes: list[int], out: str) -> str:
        return self.node("ReduceMax", [x], out, axes=axes, keepdims=0)

    def resize(self, x: str, factor: float, out: str) -> str:
        """Bilinear resize of an NCHW tensor's height and width by `factor`."""
        scales = self.const(out + "/scales", np.array([1, 1, factor, factor], np.float32))
        return self.node("Resize", [x, "", scales], out, mode="linear")

    def as_float(self, x: str, out: str) -> str:
        return self.node("Cast", [x], out, to=TensorProto.FLOAT)

    def embed(self, sub: onnx.ModelProto, prefix: str, feed: str,
              weights_of: str | None = None) -> None:
        """Append `sub` (every name prefixed), its one input fed from tensor `feed`.

        weights_of: the prefix `sub` was embedded under before; this copy then reads that
        copy's initializers (one set of weights, two passes) instead of adding its own."""
        sub = add_prefix(sub, prefix)
        self.node("Identity", [feed], sub.graph.input[0].name)
        if weights_of is None:
            self.graph.initializer.extend(sub.graph.initializer)
        else:
            shared = {i.name: weights_of + i.name[len(prefix):] for i in sub.graph.initializer}
            for node in sub.graph.node:
                node.input[:] = [shared.get(x, x) for x in node.input]
        self.graph.node.extend(sub.graph.node)
