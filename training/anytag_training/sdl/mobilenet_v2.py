"""MobileNetV2 (Sandler et al., 2018) in torch, weights read from the ImageNet ONNX model in
../shared/models/imagenet-mobilenet-v2/model.onnx (a float conversion of a TFLite model).

The TFLite graph has batch norm folded into each convolution (conv + bias), pads "SAME" the
TensorFlow way (stride 2 pads only bottom/right on even sizes), uses ReLU6 and takes 0..255 RGB,
normalising (x − 128) / 128 itself. Output: global-average-pooled features [N, 1280].
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

# (expansion t, output channels c, repeats n, first stride s): the paper's Table 2
INVERTED_RESIDUAL_SETTINGS: tuple[tuple[int, int, int, int], ...] = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)
STEM_CHANNELS = 32
FEATURE_CHANNELS = 1280


class SameConv2d(nn.Conv2d):
    """Conv2d with TensorFlow "SAME" padding (extra pixel on the bottom/right when odd)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pads: list[int] = []
        for size, k, s in ((x.shape[-1], self.kernel_size[1], self.stride[1]), (x.shape[-2], self.kernel_size[0], self.stride[0])):
            total = max((math.ceil(int(size) / s) - 1) * s + k - int(size), 0)
            pads += [total // 2, total - total // 2]
        if any(pads):
            x = F.pad(x, pads)
        return super().forward(x)


def conv(c_in: int, c_out: int, k: int, stride: int = 1, groups: int = 1, relu6: bool = True) -> nn.Module:
    layer = SameConv2d(c_in, c_out, k, stride=stride, groups=groups, bias=True)
    return nn.Sequential(layer, nn.ReLU6()) if relu6 else layer


class InvertedResidual(nn.Module):
    """expand 1×1 (ReLU6) → depthwise 3×3 (ReLU6) → project 1×1 (linear); residual when shapes match."""

    def __init__(self, c_in: int, c_out: int, stride: int, expansion: int) -> None:
        super().__init__()
        hidden = c_in * expansion
        layers: list[nn.Module] = [conv(c_in, hidden, 1)] if expansion != 1 else []
        layers += [conv(hidden, hidden, 3, stride, groups=hidden), conv(hidden, c_out, 1, relu6=False)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.body(x)
        return x + y if self.residual else y


class Normalise(nn.Module):
    """0..255 RGB → (x − 128) / 128, as the TFLite graph does."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - 128.0) / 128.0


class GlobalAvgPool(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mean(dim=(2, 3))  # [N, C, H, W] → [N, C]


class MobileNetV2Features(nn.Module):
    """0..255 RGB [N, 3, H, W] → pooled features [N, 1280]."""

    out_features = FEATURE_CHANNELS

    def __init__(self) -> None:
        super().__init__()
        layers: list[nn.Module] = [Normalise(), conv(3, STEM_CHANNELS, 3, stride=2)]
        c_in = STEM_CHANNELS
        for t, c, n, s in INVERTED_RESIDUAL_SETTINGS:
            for i in range(n):
                layers.append(InvertedResidual(c_in, c, s if i == 0 else 1, t))
                c_in = c
        layers += [conv(c_in, FEATURE_CHANNELS, 1), GlobalAvgPool()]
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)  # [N, 1280]

    @property
    def num_blocks(self) -> int:
        return sum(isinstance(m, InvertedResidual) for m in self.layers)

    def split(self, trainable_blocks: int) -> tuple[nn.Sequential, nn.Sequential]:
        """(frozen prefix, trainable tail): the tail is the last `trainable_blocks` inverted
        residual blocks + the final 1×1 conv + pooling."""
        n_layers = len(self.layers)
        cut = n_layers - 2 - trainable_blocks  # the last two layers: final conv, pool
        if not 0 < cut <= n_layers - 2:
            raise ValueError(f"trainable_blocks={trainable_blocks}: must be in 0..{self.num_blocks}")
        return nn.Sequential(*self.layers[:cut]), nn.Sequential(*self.layers[cut:])


def load_from_onnx(model: MobileNetV2Features, onnx_path: Path) -> MobileNetV2Features:
    """Copy the conv weights/biases of the ONNX graph, in graph order, into the torch convs."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(onnx_path)).graph
    init = {t.name: t for t in graph.initializer}
    onnx_convs = [(n.input[1], n.input[2]) for n in graph.node if n.op_type == "Conv"]
    torch_convs = [m for m in model.modules() if isinstance(m, SameConv2d)]
    if len(onnx_convs) < len(torch_convs):
        raise ValueError(f"{onnx_path}: {len(onnx_convs)} Conv nodes, the torch model needs {len(torch_convs)}")
    with torch.no_grad():
        for layer, (w_name, b_name) in zip(torch_convs, onnx_convs):
            w = torch.from_numpy(numpy_helper.to_array(init[w_name]).copy())
            b = torch.from_numpy(numpy_helper.to_array(init[b_name]).copy())
            if w.shape != layer.weight.shape:
                raise ValueError(f"{onnx_path}: {w_name} has shape {tuple(w.shape)}, expected {tuple(layer.weight.shape)}")
            layer.weight.copy_(w)
            layer.bias.copy_(b)
    return model


def mobilenet_v2_from_onnx(onnx_path: Path) -> MobileNetV2Features:
    return load_from_onnx(MobileNetV2Features(), onnx_path).eval()
