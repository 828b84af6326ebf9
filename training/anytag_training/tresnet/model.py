"""TResNet-M backbone + SDL embedding head, inference only.

The module tree mirrors the official ZS_SDL model (`create_model` in ZS_SDL takes TResNet's
`body` and appends `global_avg_pool` and `embedding`), so `state_dict()` has the official keys:

    conv1.0.weight                      stem conv   [64, 48, 3, 3]
    conv1.1.{weight,bias,running_mean,running_var}     InPlaceABN (no num_batches_tracked)
    layer{1..4}.{b}.conv{1,2,3}...      residual blocks; a stride-2 conv is `convX.0.*`
                                        followed by the parameter-free anti-alias blur `convX.1`
    layer{2..4}.0.downsample.1.*        AvgPool(2) then 1x1 conv + InPlaceABN (identity)
    layer{1..3}.{b}.se.fc{1,2}.{weight,bias}
    embedding.weight                    [K*d, 2048], no bias

373 entries for TResNet-M with K = 7, d = 300.

Computation (eval mode):
    InPlaceABN: y = act((x - mean) / sqrt(var + eps) * (|gamma| + eps) + beta), eps = 1e-5,
                act = LeakyReLU(slope) or identity, per layer as in the official code.
    SpaceToDepth(4): [N, C, H, W] -> [N, 16C, H/4, W/4], out channel = (4*bh + bw)*C + c
                (the same order as ONNX SpaceToDepth).
    Anti-alias: reflect-pad 1, depthwise conv with [1,2,1]x[1,2,1]/16, stride 2.
    Head: A = W · mean_hw(x), a vector of length K*d read as d x K row-major (A[j*K + k]).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class TResNetConfig:
    layers: tuple[int, int, int, int] = (3, 4, 11, 3)  # TResNet-M
    width: int = 64
    in_chans: int = 3
    block_size: int = 4  # SpaceToDepth
    num_rows: int = 7  # K
    wordvec_dim: int = 300  # d
    eps: float = 1e-5
    stem_slope: float = 1e-2
    block_slope: float = 1e-3

    @property
    def num_features(self) -> int:
        return self.width * 8 * Bottleneck.expansion


class InPlaceABN(nn.Module):
    """Eval-mode InPlaceABN: batch norm with scale |gamma| + eps, then the activation."""

    def __init__(self, channels: int, slope: float | None, eps: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_var", torch.ones(channels))
        self.slope = slope  # None = identity
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.weight.abs() + self.eps
        y = F.batch_norm(x, self.running_mean, self.running_var, scale, self.bias, False, 0.0, self.eps)
        return y if self.slope is None else F.leaky_relu(y, self.slope)


def conv_abn(cin: int, cout: int, kernel: int, slope: float | None, eps: float) -> nn.Sequential:
    conv = nn.Conv2d(cin, cout, kernel, stride=1, padding=kernel // 2, bias=False)
    return nn.Sequential(conv, InPlaceABN(cout, slope, eps))


class SpaceToDepth(nn.Module):
    def __init__(self, block: int) -> None:
        super().__init__()
        self.block = block

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        b = self.block
        x = x.view(n, c, h // b, b, w // b, b)  # [N, C, H/b, bh, W/b, bw]
        x = x.permute(0, 3, 5, 1, 2, 4).contiguous()  # [N, bh, bw, C, H/b, W/b]
        return x.view(n, c * b * b, h // b, w // b)  # [N, b*b*C, H/b, W/b]


class AntiAliasDownsample(nn.Module):
    """Fixed blur [1,2,1]x[1,2,1]/16 per channel, stride 2, reflect padding. No parameters."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.channels = channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), blur_filter(self.channels).to(x), stride=2,
                        groups=self.channels)


def blur_filter(channels: int) -> torch.Tensor:
    a = torch.tensor([1.0, 2.0, 1.0])
    f = a[:, None] * a[None, :]
    return (f / f.sum())[None, None].repeat(channels, 1, 1, 1)  # [C, 1, 3, 3]


class SEModule(nn.Module):
    """x * sigmoid(fc2(relu(fc1(mean_hw(x)))))."""

    def __init__(self, channels: int, reduced: int) -> None:
        super().__init__()
        self.fc1 = nn.Conv2d(channels, reduced, 1, bias=True)
        self.fc2 = nn.Conv2d(reduced, channels, 1, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = x.mean(dim=(2, 3), keepdim=True)  # [N, C, 1, 1]
        return x * torch.sigmoid(self.fc2(F.relu(self.fc1(s))))


class Downsample(nn.Sequential):
    """Shortcut: AvgPool(2) when strided, then 1x1 conv + InPlaceABN (identity)."""

    def __init__(self, cin: int, cout: int, stride: int, eps: float) -> None:
        layers: list[nn.Module] = []
        if stride == 2:
            layers.append(nn.AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False))
        layers.append(conv_abn(cin, cout, 1, None, eps))
        super().__init__(*layers)


def maybe_strided(block: nn.Sequential, channels: int, stride: int) -> nn.Module:
    return nn.Sequential(block, AntiAliasDownsample(channels)) if stride == 2 else block


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, cin: int, planes: int, stride: int, downsample: nn.Module | None, use_se: bool,
                 cfg: TResNetConfig) -> None:
        super().__init__()
        self.conv1 = maybe_strided(conv_abn(cin, planes, 3, cfg.block_slope, cfg.eps), planes, stride)
        self.conv2 = conv_abn(planes, planes, 3, None, cfg.eps)
        self.downsample = downsample
        self.se = SEModule(planes, max(planes // 4, 64)) if use_se else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        residual = x if self.downsample is None else self.downsample(x)
        out = self.conv2(self.conv1(x))
        if self.se is not None:
            out = self.se(out)
        return F.relu(out + residual)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin: int, planes: int, stride: int, downsample: nn.Module | None, use_se: bool,
                 cfg: TResNetConfig) -> None:
        super().__init__()
        self.conv1 = conv_abn(cin, planes, 1, cfg.block_slope, cfg.eps)
        self.conv2 = maybe_strided(conv_abn(planes, planes, 3, cfg.block_slope, cfg.eps), planes, stride)
        self.conv3 = conv_abn(planes, planes * 4, 1, None, cfg.eps)
        self.downsample = downsample
        self.se = SEModule(planes, max(planes * 4 // 8, 64)) if use_se else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        residual = x if self.downsample is None else self.downsample(x)
        out = self.conv2(self.conv1(x))
        if self.se is not None:
            out = self.se(out)
        return F.relu(self.conv3(out) + residual)


class GlobalAvgPool(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.flatten(2).mean(dim=2)  # [N, C]


class SdlTResNetM(nn.Sequential):
    """image [N, 3, H, W] in [0, 1] -> A [N, K*d] (d x K row-major)."""

    def __init__(self, cfg: TResNetConfig = TResNetConfig()) -> None:
        w = cfg.width
        stages = [(BasicBlock, w, 1, True), (BasicBlock, w * 2, 2, True), (Bottleneck, w * 4, 2, True),
                  (Bottleneck, w * 8, 2, False)]
        modules: OrderedDict[str, nn.Module] = OrderedDict()
        modules["SpaceToDepth"] = SpaceToDepth(cfg.block_size)
        modules["conv1"] = conv_abn(cfg.in_chans * cfg.block_size**2, w, 3, cfg.stem_slope, cfg.eps)
        cin = w
        for i, (block, planes, stride, use_se) in enumerate(stages):
            modules[f"layer{i + 1}"], cin = make_layer(block, cin, planes, cfg.layers[i], stride, use_se, cfg)
        modules["global_avg_pool"] = GlobalAvgPool()
        modules["embedding"] = nn.Linear(cfg.num_features, cfg.num_rows * cfg.wordvec_dim, bias=False)
        super().__init__(modules)
        self.cfg = cfg


def make_layer(block: type[BasicBlock] | type[Bottleneck], cin: int, planes: int, blocks: int, stride: int,
               use_se: bool, cfg: TResNetConfig) -> tuple[nn.Sequential, int]:
    cout = planes * block.expansion
    downsample = Downsample(cin, cout, stride, cfg.eps) if stride != 1 or cin != cout else None
    layers: list[nn.Module] = [block(cin, planes, stride, downsample, use_se, cfg)]
    layers += [block(cout, planes, 1, None, use_se, cfg) for _ in range(1, blocks)]
    return nn.Sequential(*layers), cout


def official_state_dict_shapes(cfg: TResNetConfig = TResNetConfig()) -> OrderedDict[str, tuple[int, ...]]:
    """Expected key -> shape of the official checkpoint's `model` entry (built on the meta device)."""
    with torch.device("meta"):
        model = SdlTResNetM(cfg)
    return OrderedDict((k, tuple(v.shape)) for k, v in model.state_dict().items())
