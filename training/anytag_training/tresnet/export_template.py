"""Write the ONNX *template* of the SDL TResNet-M: the full graph, weights left empty.

    python -m anytag_training.tresnet.export_template --out src-main/engine/model/convert/tresnet-m.template.onnx

The graph is built node by node from the module tree of `SdlTResNetM`, so every weight is an
initializer whose name IS the official state_dict key (`layer3.0.conv2.0.0.weight`, …). Those
373 initializers carry dims and data type but no data ("slots"); the app's converter fills each
slot with the checkpoint tensor of the same name, byte for byte. The few constants the graph
needs (the anti-alias blur filters, InPlaceABN's eps) have names starting with `const.` and keep
their data.

InPlaceABN (eval) becomes: scale = Abs(weight) + eps; BatchNormalization(x, scale, bias,
running_mean, running_var, epsilon=eps); LeakyRelu(slope) unless the layer is identity. Keeping
Abs/Add in the graph means the converter copies raw bytes and does no arithmetic; onnxruntime
folds them (and the batch norm into the conv) when it loads the model.

Input `image` [n, 3, 224, 224] float32 (RGB in [0, 1]); output `embedding` [n, K*d] float32,
read as d x K row-major (pack output order "dk").
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

from .model import (AntiAliasDownsample, BasicBlock, Bottleneck, Downsample, InPlaceABN, SdlTResNetM, SEModule,
                    TResNetConfig, blur_filter)

OPSET = 17
TEMPLATE_TAG = "anytag.template"
TEMPLATE_NAME = "sdl-tresnet-m"


class GraphBuilder:
    def __init__(self, model: SdlTResNetM) -> None:
        self.model = model
        self.nodes: list[onnx.NodeProto] = []
        self.inits: dict[str, onnx.TensorProto] = {}
        self.count = 0

    def tmp(self, hint: str) -> str:
        self.count += 1
        return f"{hint}__{self.count}"

    def node(self, op: str, inputs: list[str], hint: str, **attrs: object) -> str:
        out = self.tmp(hint)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def param(self, key: str, tensor: torch.Tensor) -> str:
        self.inits[key] = numpy_helper.from_array(tensor.detach().float().numpy(), key)
        return key

    def const(self, name: str, array: np.ndarray) -> str:
        if name not in self.inits:
            self.inits[name] = numpy_helper.from_array(array, name)
        return name

    # ---- layers ---------------------------------------------------------------------------

    def abn(self, key: str, m: InPlaceABN, x: str) -> str:
        w = self.param(f"{key}.weight", m.weight)
        eps = self.const("const.abn_eps", np.array(m.eps, dtype=np.float32))  # scalar
        scale = self.node("Add", [self.node("Abs", [w], f"{key}.abs"), eps], f"{key}.scale")  # |γ| + ε
        stats = [self.param(f"{key}.{n}", getattr(m, n)) for n in ("bias", "running_mean", "running_var")]
        y = self.node("BatchNormalization", [x, scale, *stats], f"{key}.bn", epsilon=m.eps)
        return y if m.slope is None else self.node("LeakyRelu", [y], f"{key}.act", alpha=m.slope)

    def conv(self, key: str, m: nn.Conv2d, x: str) -> str:
        inputs = [x, self.param(f"{key}.weight", m.weight)]
        if m.bias is not None:
            inputs.append(self.param(f"{key}.bias", m.bias))
        k = m.kernel_size[0]
        p = m.padding[0]  # type: ignore[index]
        return self.node("Conv", inputs, key, kernel_shape=[k, k], pads=[p, p, p, p], strides=list(m.stride))

    def module(self, key: str, m: nn.Module, x: str) -> str:
        """Dispatch on module type; `key` is the module's state_dict prefix."""
        if isinstance(m, InPlaceABN):
            return self.abn(key, m, x)
        if isinstance(m, nn.Conv2d):
            return self.conv(key, m, x)
        if isinstance(m, AntiAliasDownsample):
            pads = self.const("const.pad_hw1", np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64))
            padded = self.node("Pad", [x, pads], f"{key}.pad", mode="reflect")
            blur = self.const(f"const.blur{m.channels}", blur_filter(m.channels).numpy())
            return self.node("Conv", [padded, blur], f"{key}.blur", group=m.channels, kernel_shape=[3, 3],
                             strides=[2, 2])
        if isinstance(m, nn.AvgPool2d):
            return self.node("AveragePool", [x], f"{key}.pool", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1,
                             count_include_pad=0)
        if isinstance(m, SEModule):
            s = self.node("GlobalAveragePool", [x], f"{key}.pool")  # [N, C, 1, 1]
            s = self.node("Relu", [self.conv(f"{key}.fc1", m.fc1, s)], f"{key}.relu")
            s = self.node("Sigmoid", [self.conv(f"{key}.fc2", m.fc2, s)], f"{key}.gate")
            return self.node("Mul", [x, s], f"{key}.scale")
        if isinstance(m, (BasicBlock, Bottleneck)):
            return self.block(key, m, x)
        if isinstance(m, (nn.Sequential, Downsample)):
            for name, child in m.named_children():
                x = self.module(f"{key}.{name}" if key else name, child, x)
            return x
        raise TypeError(f"no ONNX lowering for {type(m).__name__} at {key!r}")

    def block(self, key: str, m: BasicBlock | Bottleneck, x: str) -> str:
        residual = x if m.downsample is None else self.module(f"{key}.downsample", m.downsample, x)
        out = self.module(f"{key}.conv2", m.conv2, self.module(f"{key}.conv1", m.conv1, x))
        if m.se is not None:
            out = self.module(f"{key}.se", m.se, out)
        if isinstance(m, Bottleneck):
            out = self.module(f"{key}.conv3", m.conv3, out)
        return self.node("Relu", [self.node("Add", [out, residual], f"{key}.add")], f"{key}.out")

    def build(self) -> onnx.ModelProto:
        cfg = self.model.cfg
        x = self.node("SpaceToDepth", ["image"], "SpaceToDepth", blocksize=cfg.block_size)
        for name in ("conv1", "layer1", "layer2", "layer3", "layer4"):
            x = self.module(name, getattr(self.model, name), x)
        pooled = self.node("Flatten", [self.node("GlobalAveragePool", [x], "global_avg_pool")], "flatten", axis=1)
        emb = self.param("embedding.weight", self.model.embedding.weight)  # [K*d, F]
        self.nodes.append(helper.make_node("Gemm", [pooled, emb], ["embedding"], name="embedding", transB=1))
        size = 224
        graph = helper.make_graph(
            self.nodes, "sdl_tresnet_m",
            [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", cfg.in_chans, size, size])],
            [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", cfg.num_rows * cfg.wordvec_dim])],
            initializer=list(self.inits.values()))
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="anytag")
        model.ir_version = 8
        helper.set_model_props(model, {TEMPLATE_TAG: TEMPLATE_NAME, "anytag.k": str(cfg.num_rows),
                                       "anytag.d": str(cfg.wordvec_dim), "anytag.order": "dk"})
        return model


def build_model(model: SdlTResNetM) -> onnx.ModelProto:
    """The complete ONNX model with `model`'s weights (not stripped)."""
    return GraphBuilder(model).build()


def strip_weights(model: onnx.ModelProto) -> onnx.ModelProto:
    """Empty every state_dict initializer (names not starting with `const.`), keeping dims/type."""
    out = onnx.ModelProto()
    out.CopyFrom(model)
    for t in out.graph.initializer:
        if not t.name.startswith("const."):
            t.ClearField("raw_data")
            t.ClearField("float_data")
    return out


def fill_template(template: onnx.ModelProto, state_dict: dict[str, torch.Tensor]) -> onnx.ModelProto:
    """Python twin of the TypeScript converter (tests only): fill each slot from the state_dict."""
    out = onnx.ModelProto()
    out.CopyFrom(template)
    for t in out.graph.initializer:
        if not t.name.startswith("const."):
            v = state_dict[t.name].detach().float().contiguous().numpy()
            assert tuple(v.shape) == tuple(t.dims), t.name
            t.raw_data = v.astype("<f4").tobytes()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    model = SdlTResNetM(TResNetConfig())  # its weights only give dims here; they are stripped
    full = build_model(model)
    onnx.checker.check_model(full, full_check=True)  # a stripped model is not valid ONNX on its own
    template = strip_weights(full)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(template, args.out)
    slots = sum(1 for t in template.graph.initializer if not t.name.startswith("const."))
    print(json.dumps({"out": str(args.out), "bytes": args.out.stat().st_size, "slots": slots}))


if __name__ == "__main__":
    main()
