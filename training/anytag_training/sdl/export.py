"""Export a trained SDL model as a model pack (docs/model-pack.md).

The ONNX graph takes `image` [n, 3, H, W] RGB 0..255 (the backbone normalises inside) and returns
`embedding` [n, K·d] in "kd" order (row k, dim j at k·d + j). Before anything is written, the ONNX
file runs in onnxruntime against the torch model on check images; a mismatch raises ExportError.
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ..packs.pack_writer import InputSpec, LabelEntry, OutputSpec, write_pack


class ExportError(RuntimeError):
    """The exported ONNX graph disagrees with the torch model."""


class FlatEmbedding(nn.Module):
    """model (images → A [N, K, d]) → [N, K·d], "kd" memory order."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        a = self.model(image)  # [N, K, d]
        return a.reshape(a.shape[0], -1)  # [N, K·d], element (k, j) at k·d + j


@dataclass(frozen=True)
class PackInfo:
    pack_id: str
    name: str
    licence: str
    source: str
    description: str | None = None


def export_onnx(model: nn.Module, path: Path, height: int, width: int, opset: int = 17) -> None:
    flat = FlatEmbedding(model).eval().cpu()
    dummy = torch.zeros(2, 3, height, width)
    with warnings.catch_warnings():
        # the legacy exporter's deprecation notice, and the input size traced as a constant
        # (intended: a pack declares one input size)
        warnings.simplefilter("ignore")
        _export(flat, dummy, path, opset)


def _export(flat: nn.Module, dummy: torch.Tensor, path: Path, opset: int) -> None:
    torch.onnx.export(
        flat, (dummy,), str(path), input_names=["image"], output_names=["embedding"],
        dynamic_axes={"image": {0: "n"}, "embedding": {0: "n"}}, opset_version=opset, dynamo=False,
    )


def check_onnx_against_torch(model: nn.Module, path: Path, images: np.ndarray, rtol: float = 1e-3) -> float:
    """Max |onnx − torch| relative to max |torch| over `images` [n, 3, H, W]; raises if > rtol."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(["embedding"], {"image": images.astype(np.float32)})[0]  # [n, K·d]
    with torch.no_grad():
        want = FlatEmbedding(model).eval().cpu()(torch.from_numpy(images.astype(np.float32))).numpy()
    if got.shape != want.shape:
        raise ExportError(f"{path}: output shape {got.shape}, torch gives {want.shape}")
    err = float(np.abs(got - want).max() / max(np.abs(want).max(), 1e-12))
    if not np.isfinite(err) or err > rtol:
        raise ExportError(f"{path}: onnxruntime differs from torch by {err:.2e} (relative, limit {rtol:.0e})")
    return err


def export_pack(
    model: nn.Module,
    out_dir: Path,
    info: PackInfo,
    input_spec: InputSpec,
    k: int,
    d: int,
    labels: list[str],
    label_vectors: np.ndarray,
    word_table: Path,
    check_images: np.ndarray | None = None,
    word_map: np.ndarray | None = None,
) -> Path:
    """Export `model` (images 0..255 → A [N, K, d]) with its seen labels and a word table; returns pack.json."""
    model = model.eval().cpu()
    if check_images is None:
        rng = np.random.default_rng(0)
        check_images = rng.uniform(0, 255, (2, 3, input_spec.height, input_spec.width)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        onnx_path = Path(tmp) / "model.onnx"
        export_onnx(model, onnx_path, input_spec.height, input_spec.width)
        check_onnx_against_torch(model, onnx_path, check_images)
        return write_pack(
            out_dir, pack_id=info.pack_id, name=info.name, licence=info.licence, source=info.source,
            description=info.description, onnx_path=onnx_path, input_spec=input_spec,
            output_spec=OutputSpec(name="embedding", k=k, d=d, order="kd"),
            labels=[LabelEntry(name=n.lower().replace("_", " ")) for n in labels],
            label_vectors=label_vectors, word_table=word_table, word_map=word_map,
        )
