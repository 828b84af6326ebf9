"""Training (loss falls, checkpoint + resume = uninterrupted run) and pack export on tiny data."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from anytag_training.packs.pack_writer import InputSpec
from anytag_training.packs.word_table import write_word_table
from anytag_training.sdl.export import ExportError, PackInfo, check_onnx_against_torch, export_onnx, export_pack
from anytag_training.sdl.head import SDLHead, SDLModel
from anytag_training.sdl.metrics import evaluate_zsl_gzsl
from anytag_training.sdl.train import TrainConfig, label_scores, predict_matrices, train_sdl

D, L, F_IN = 8, 12, 16


def toy_problem(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features are a noisy linear image of the positives' word vectors: learnable, zero-shot-able."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(L, D)).astype(np.float32)
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    y = (rng.random((200, L)) < 0.2).astype(np.float32)
    y[np.arange(200), rng.integers(0, L, 200)] = 1
    mix = rng.normal(size=(D, F_IN)).astype(np.float32)
    x = (y @ w) @ mix + 0.05 * rng.normal(size=(200, F_IN)).astype(np.float32)
    return x, y, w


def loader(x: np.ndarray, y: np.ndarray, shuffle: bool = True) -> DataLoader:
    return DataLoader(TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=32, shuffle=shuffle)


CFG = TrainConfig(epochs=6, batch_size=32, lr=1e-2, device="cpu", progress=False)


def test_training_learns_and_generalises_to_unseen_labels() -> None:
    x, y, w = toy_problem()
    seen = np.arange(L) < 9  # labels 9..11 unseen
    torch.manual_seed(0)
    head = train_sdl(SDLHead(F_IN, 3, D), loader(x[:150], y[:150][:, seen]), w[seen], replace(CFG, epochs=20))
    a = predict_matrices(head, loader(x[150:], y[150:], shuffle=False), "cpu")
    assert a.shape == (50, 3, D)
    rep = evaluate_zsl_gzsl(label_scores(a, w), y[150:], ~seen)
    assert rep.zsl_map > 0.5 and rep.gzsl_map > 0.5  # chance is about 0.25


def test_resume_continues_exactly(tmp_path: Path) -> None:
    x, y, w = toy_problem()
    torch.manual_seed(1)
    full = train_sdl(SDLHead(F_IN, 2, D), loader(x, y), w, replace(CFG, seed=1))
    # the same run, stopped after 3 epochs, then resumed from the checkpoint in a fresh model
    cfg = replace(CFG, seed=1, checkpoint_dir=tmp_path)
    torch.manual_seed(1)
    train_sdl(SDLHead(F_IN, 2, D), loader(x, y), w, cfg_stop(cfg, 3))
    resumed = train_sdl(SDLHead(F_IN, 2, D), loader(x, y), w, replace(cfg, resume=True))
    assert (tmp_path / "last.pt").exists()
    assert torch.allclose(full.proj.weight, resumed.proj.weight, atol=1e-6)


def cfg_stop(cfg: TrainConfig, epochs_done: int) -> TrainConfig:
    """A config whose run is killed after `epochs_done` epochs (same schedule as cfg)."""
    return replace(cfg, stop_after=epochs_done)


class TinyBackbone(nn.Module):
    """0..255 images → pooled conv features, standing in for MobileNetV2."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, F_IN, 3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.conv(x / 255.0)).mean(dim=(2, 3))  # [N, F]


def test_export_pack_runs_in_onnxruntime(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = SDLModel(TinyBackbone(), SDLHead(F_IN, 3, D)).eval()
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(20)]
    write_word_table(tmp_path / "words.awt", words, rng.normal(size=(20, D)))
    labels = ["red fox", "cat"]
    vecs = rng.normal(size=(2, D)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    spec = InputSpec(name="image", width=20, height=16)
    pack_json = export_pack(model, tmp_path / "pack", PackInfo("toy-pack", "Toy", "Apache-2.0", "test"), spec, 3, D, labels, vecs, tmp_path / "words.awt")
    manifest = json.loads(pack_json.read_text())
    assert manifest["output"] == {"name": "embedding", "k": 3, "d": D, "order": "kd"}
    assert manifest["input"]["width"] == 20 and manifest["input"]["height"] == 16
    images = rng.uniform(0, 255, (3, 3, 16, 20)).astype(np.float32)
    got = ort.InferenceSession(str(tmp_path / "pack" / "model.onnx")).run(["embedding"], {"image": images})[0]
    with torch.no_grad():
        want = model(torch.from_numpy(images)).reshape(3, -1).numpy()
    assert got.shape == (3, 3 * D) and np.allclose(got, want, atol=1e-5)
    stored = np.fromfile(tmp_path / "pack" / "labels.f32", dtype="<f4").reshape(2, D)
    assert np.allclose(stored, vecs)


def test_export_check_refuses_a_wrong_graph(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = SDLModel(TinyBackbone(), SDLHead(F_IN, 2, D)).eval()
    export_onnx(model, tmp_path / "m.onnx", 16, 16)
    with torch.no_grad():
        model.head.proj.weight.mul_(2)  # the torch model no longer matches the file
    with pytest.raises(ExportError, match="differs"):
        check_onnx_against_torch(model, tmp_path / "m.onnx", np.full((1, 3, 16, 16), 128, np.float32))
