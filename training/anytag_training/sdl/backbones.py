"""The backbones the command line can train on: name → (module: images 0..255 → [N, F], F, input
spec, cache key). The cache key names the exact weights, so cached features never outlive them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from .data import ImageSpec
from .errors import TrainError, bad_flag
from .flags import BACKBONES as NAMES
from .mobilenet_v2 import mobilenet_v2_from_onnx


@dataclass
class Backbone:
    module: nn.Module  # images [N, 3, H, W] 0..255 → features [N, F]
    n_features: int  # F
    spec: ImageSpec  # how images become inputs
    key: str  # identifies the weights: part of the feature cache key


class TinyConv(nn.Module):
    """For tests and smoke runs only: a fixed random 3×3 conv + ReLU + mean pool, 16 features at
    32×32 px. Its weights come from its own generator (seed 0), not the global random state."""

    def __init__(self, features: int = 16) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, features, 3, stride=2)
        g = torch.Generator().manual_seed(0)
        with torch.no_grad():
            self.conv.weight.copy_(torch.randn(self.conv.weight.shape, generator=g) * 0.3)
            self.conv.bias.copy_(torch.randn(self.conv.bias.shape, generator=g) * 0.1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.conv(x / 255.0 - 0.5)).mean(dim=(2, 3))  # [N, F]


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def build_backbone(name: str, onnx_path: Path) -> Backbone:
    """A backbone by name: `mobilenetv2` (weights from the ImageNet ONNX file at onnx_path) or
    `tiny` (tests). Raises TrainError BAD_FLAG for another name, NO_BACKBONE for a missing file."""
    if name == "mobilenetv2":
        onnx_path = Path(onnx_path)
        if not onnx_path.is_file():
            raise TrainError("NO_BACKBONE", f"{onnx_path}: the MobileNetV2 ONNX file is missing (pass --backbone-onnx)", "--backbone-onnx")
        spec = ImageSpec(224, 224)
        return Backbone(mobilenet_v2_from_onnx(onnx_path), 1280, spec, f"mobilenetv2-{_file_digest(onnx_path)}-{spec}")
    if name == "tiny":
        spec = ImageSpec(32, 32)
        return Backbone(TinyConv(), 16, spec, f"tiny-v1-{spec}")
    raise bad_flag("--backbone", f"{name!r}: expected one of {', '.join(NAMES)}")
