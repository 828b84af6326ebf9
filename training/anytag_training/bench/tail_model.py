"""Partial fine-tuning on CPU: the last inverted-residual blocks of MobileNetV2 + its final 1×1
conv are trained with the SDL head, on cached activations of the frozen prefix."""

from __future__ import annotations

from pathlib import Path

import torch

from ..sdl.head import SDLHead, SDLModel
from ..sdl.mobilenet_v2 import FEATURE_CHANNELS, MobileNetV2Features, mobilenet_v2_from_onnx


class TailSDL(SDLModel):
    """SDLModel whose backbone is the trainable tail; `full_model()` gives images → A."""

    def __init__(self, onnx_path: Path, trainable_blocks: int, k: int, d: int) -> None:
        full = mobilenet_v2_from_onnx(onnx_path)
        prefix, tail = full.split(trainable_blocks)
        super().__init__(tail, SDLHead(FEATURE_CHANNELS, k, d))
        self._full: MobileNetV2Features = full  # shares the tail's layers

    def full_model(self) -> SDLModel:
        return SDLModel(self._full, self.head).eval()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))  # cached prefix activations → [N, K, d]
