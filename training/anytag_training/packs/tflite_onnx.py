"""Convert a quantised TFLite image classifier (MobileNet-style) to a float32 ONNX graph.

Weights and biases are dequantised (scale * (q - zero_point)); activations run in float32,
so the result is the float graph the quantised one approximates. Layout becomes NCHW:
    image [n, 3, H, W] float32, pixel values 0..255 (the input's quantisation is applied in-graph)
    features [n, C] (the global average pool), probs [n, classes] (the softmax)
Supported builtins: CONV_2D, DEPTHWISE_CONV_2D, ADD, AVERAGE_POOL_2D, RESHAPE, SOFTMAX, and for
float detectors (BlazeFace-style) DEQUANTIZE of float16 constants, RELU, PAD, MAX_POOL_2D,
RESIZE_BILINEAR. `convert_detector` converts such a float model: image [n, 3, H, W] in 0..255,
x = pixel * scale + offset in-graph, outputs named as in the .tflite file, laid out as there.

    python -m anytag_training.packs.tflite_onnx model.tflite model.onnx
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from flatbuffers import number_types as N
from onnx import TensorProto, helper, numpy_helper

from .tflite_reader import Operator, Subgraph, Tensor, read_tflite, scalar

ACTIVATIONS = {0: None, 1: (0.0, None), 2: (-1.0, 1.0), 3: (0.0, 6.0)}  # fused activation


class _Builder:
    def __init__(self, graph: Subgraph) -> None:
        self.graph = graph
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.folded: dict[int, np.ndarray] = {}  # tensor index -> constant computed at build time

    def value(self, index: int) -> np.ndarray:
        """A constant tensor's float32 value: folded (DEQUANTIZE of a constant) or stored."""
        if index in self.folded:
            return self.folded[index]
        return self.graph.tensors[index].dequantized()

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: object) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def activate(self, value: str, code: int, output: str) -> str:
        bounds = ACTIVATIONS[code]
        if bounds is None:
            return self.node("Identity", [value], output)
        low, high = bounds
        inputs = [value, self.const(output + "/min", np.array(low, np.float32))]
        if high is not None:
            inputs.append(self.const(output + "/max", np.array(high, np.float32)))
        return self.node("Clip", inputs, output)


def _same_pads(size: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int],
               dilation: tuple[int, int], same: bool) -> list[int]:
    """ONNX pads [top, left, bottom, right] for TF "SAME" (extra padding at the end) or VALID."""
    if not same:
        return [0, 0, 0, 0]
    begin, end = [], []
    for n, k, s, d in zip(size, kernel, stride, dilation):
        total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0)
        begin.append(total // 2)
        end.append(total - total // 2)
    return begin + end


def _name(index: int) -> str:
    return f"t{index}"


def _conv(b: _Builder, op: Operator, depthwise: bool) -> None:
    x = b.graph.tensors[op.inputs[0]]
    o = op.options
    stride = (int(scalar(o, 2, N.Int32Flags, 1)), int(scalar(o, 1, N.Int32Flags, 1)))  # h, w
    d_at = (6, 5) if depthwise else (5, 4)
    dilation = (int(scalar(o, d_at[0], N.Int32Flags, 1)), int(scalar(o, d_at[1], N.Int32Flags, 1)))
    activation = int(scalar(o, 4 if depthwise else 3, N.Int8Flags, 0))
    weights = b.value(op.inputs[1])
    if depthwise:  # [1, kh, kw, C*m] -> [C*m, 1, kh, kw], one group per input channel
        weights, groups = weights.transpose(3, 0, 1, 2), x.shape[3]
    else:  # [O, kh, kw, I] -> [O, I, kh, kw]
        weights, groups = weights.transpose(0, 3, 1, 2), 1
    pads = _same_pads(x.shape[1:3], weights.shape[2:4], stride, dilation,
                      scalar(o, 0, N.Int8Flags, 0) == 0)
    out = _name(op.outputs[0])
    conv = b.node("Conv", [_name(op.inputs[0]), b.const(out + "/w", np.ascontiguousarray(weights)),
                           b.const(out + "/b", b.value(op.inputs[2]))], out + "/conv",
                  strides=list(stride), dilations=list(dilation), pads=pads, group=groups,
                  kernel_shape=list(weights.shape[2:4]))
    b.activate(conv, activation, out)


def _pool(b: _Builder, op: Operator) -> None:
    x = b.graph.tensors[op.inputs[0]]
    o = op.options
    kernel = (int(scalar(o, 4, N.Int32Flags, 0)), int(scalar(o, 3, N.Int32Flags, 0)))
    out = _name(op.outputs[0])
    if kernel != tuple(x.shape[1:3]) or scalar(o, 0, N.Int8Flags, 0) != 1:
        raise ValueError("AVERAGE_POOL_2D: only a VALID global pool is supported")
    pooled = b.node("ReduceMean", [_name(op.inputs[0])], out + "/pool", axes=[2, 3], keepdims=1)
    b.activate(pooled, int(scalar(o, 5, N.Int8Flags, 0)), out)
    b.node("Flatten", [out], "features", axis=1)  # [n, C]


def _reshape(b: _Builder, op: Operator) -> None:
    """A flatten (1x1 spatial) as Flatten; else NCHW back to TFLite's NHWC, then Reshape."""
    x, y = b.graph.tensors[op.inputs[0]], b.graph.tensors[op.outputs[0]]
    out = _name(op.outputs[0])
    if len(y.shape) == 2 and all(s == 1 for s in x.shape[1:-1]):
        b.node("Flatten", [_name(op.inputs[0])], out, axis=1)
        return
    source = _name(op.inputs[0])
    if len(x.shape) == 4:
        source = b.node("Transpose", [source], out + "/nhwc", perm=[0, 2, 3, 1])
    shape = np.array([-1, *y.shape[1:]], dtype=np.int64)  # dynamic batch
    b.node("Reshape", [source, b.const(out + "/shape", shape)], out)


def _dequantize(b: _Builder, op: Operator) -> None:
    """Float16 (or quantised) constants become float32 at build time; nothing runs in-graph."""
    if b.graph.tensors[op.inputs[0]].data is None:
        raise ValueError("DEQUANTIZE of a computed tensor is not supported")
    b.folded[op.outputs[0]] = b.graph.tensors[op.inputs[0]].dequantized()


def _pad(b: _Builder, op: Operator) -> None:
    pads = b.graph.tensors[op.inputs[1]].data.astype(np.int64)  # [4, 2] NHWC (begin, end)
    nchw = pads[[0, 3, 1, 2]]
    out = _name(op.outputs[0])
    pads_onnx = b.const(out + "/pads", np.concatenate([nchw[:, 0], nchw[:, 1]]))  # [8]
    b.node("Pad", [_name(op.inputs[0]), pads_onnx], out, mode="constant")


def _max_pool(b: _Builder, op: Operator) -> None:
    x, o = b.graph.tensors[op.inputs[0]], op.options
    stride = (int(scalar(o, 2, N.Int32Flags, 1)), int(scalar(o, 1, N.Int32Flags, 1)))
    kernel = (int(scalar(o, 4, N.Int32Flags, 1)), int(scalar(o, 3, N.Int32Flags, 1)))
    pads = _same_pads(x.shape[1:3], kernel, stride, (1, 1), scalar(o, 0, N.Int8Flags, 0) == 0)
    out = _name(op.outputs[0])
    pooled = b.node("MaxPool", [_name(op.inputs[0])], out + "/pool", kernel_shape=list(kernel),
                    strides=list(stride), pads=pads)
    b.activate(pooled, int(scalar(o, 5, N.Int8Flags, 0)), out)


def _resize_bilinear(b: _Builder, op: Operator) -> None:
    x, y, o = b.graph.tensors[op.inputs[0]], b.graph.tensors[op.outputs[0]], op.options
    align, half = scalar(o, 2, N.BoolFlags, False), scalar(o, 3, N.BoolFlags, False)
    mode = "align_corners" if align else "half_pixel" if half else "asymmetric"
    scales = np.array([1, 1, y.shape[1] / x.shape[1], y.shape[2] / x.shape[2]], np.float32)
    out = _name(op.outputs[0])
    b.node("Resize", [_name(op.inputs[0]), "", b.const(out + "/scales", scales)], out,
           mode="linear", coordinate_transformation_mode=mode)


DETECTOR_OPS = {
    "DEQUANTIZE": _dequantize, "PAD": _pad, "MAX_POOL_2D": _max_pool,
    "RESIZE_BILINEAR": _resize_bilinear,
    "RELU": lambda b, op: b.node("Relu", [_name(op.inputs[0])], _name(op.outputs[0])),
}


def _dispatch(b: _Builder, op: Operator) -> None:
    out = _name(op.outputs[0])
    if op.op in ("CONV_2D", "DEPTHWISE_CONV_2D"):
        _conv(b, op, op.op == "DEPTHWISE_CONV_2D")
    elif op.op == "ADD":
        added = b.node("Add", [_name(i) for i in op.inputs], out + "/add")
        b.activate(added, int(scalar(op.options, 0, N.Int8Flags, 0)), out)
    elif op.op == "AVERAGE_POOL_2D":
        _pool(b, op)
    elif op.op == "RESHAPE":
        _reshape(b, op)
    elif op.op == "SOFTMAX":
        beta = float(scalar(op.options, 0, N.Float32Flags, 1.0))
        logits = b.node("Mul", [_name(op.inputs[0]), b.const(out + "/beta", np.array(beta, np.float32))],
                        out + "/scaled")
        b.node("Softmax", [logits], out, axis=-1)
    elif op.op in DETECTOR_OPS:
        DETECTOR_OPS[op.op](b, op)
    else:
        raise ValueError(f"operator {op.op} is not supported")


def convert(tflite_path: Path | str) -> onnx.ModelProto:
    """The float32 ONNX model (opset 17, dynamic batch) of a quantised TFLite classifier."""
    graph = read_tflite(tflite_path)
    b = _Builder(graph)
    source: Tensor = graph.tensors[graph.inputs[0]]
    _, height, width, channels = source.shape
    scale = float(source.scale[0]) if source.scale is not None else 1.0
    zero = float(source.zero_point[0]) if source.zero_point is not None else 0.0
    centred = b.node("Sub", ["image", b.const("input/zero", np.array(zero, np.float32))], "input/sub")
    b.node("Mul", [centred, b.const("input/scale", np.array(scale, np.float32))], _name(graph.inputs[0]))
    for op in graph.operators:
        _dispatch(b, op)
    b.node("Identity", [_name(graph.outputs[0])], "probs")
    classes = graph.tensors[graph.outputs[0]].shape[-1]
    features = next(graph.tensors[o.inputs[0]].shape[-1] for o in graph.operators
                    if o.op == "AVERAGE_POOL_2D")
    onnx_graph = helper.make_graph(
        b.nodes, "tflite", [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", channels, height, width])],
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["n", features]),
         helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["n", classes])], b.inits)
    model = helper.make_model(onnx_graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="anytag tflite_onnx")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def convert_detector(tflite_path: Path | str, *, scale: float, offset: float) -> onnx.ModelProto:
    """The ONNX model (opset 17, dynamic batch) of a float TFLite detector.

    Input "image" [n, 3, H, W] float32 pixels 0..255, fed to the model as pixel * scale + offset
    (MediaPipe detectors: scale 1/127.5, offset -1). Outputs keep their .tflite names and shapes
    (batch dynamic).
    """
    graph = read_tflite(tflite_path)
    b = _Builder(graph)
    _, height, width, channels = graph.tensors[graph.inputs[0]].shape
    scaled = b.node("Mul", ["image", b.const("input/scale", np.array(scale, np.float32))],
                    "input/mul")
    b.node("Add", [scaled, b.const("input/offset", np.array(offset, np.float32))],
           _name(graph.inputs[0]))
    for op in graph.operators:
        _dispatch(b, op)
    outputs = []
    for index in graph.outputs:
        tensor = graph.tensors[index]
        b.node("Identity", [_name(index)], tensor.name)
        outputs.append(helper.make_tensor_value_info(tensor.name, TensorProto.FLOAT,
                                                     ["n", *tensor.shape[1:]]))
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", channels, height, width])
    onnx_graph = helper.make_graph(b.nodes, "tflite", [image], outputs, b.inits)
    model = helper.make_model(onnx_graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="anytag tflite_onnx")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    onnx.save(convert(args[0]), args[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
