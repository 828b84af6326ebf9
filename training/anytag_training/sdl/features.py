"""Frozen-backbone features, computed once and cached: an ONNX backbone run in onnxruntime
(e.g. the ImageNet MobileNetV2: `image` [n,3,224,224] 0..255 → `features` [n,1280], `probs`
[n,1001]) or any torch module."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from .data import ImageSpec, load_image
from .progress import Progress


def _cache_key(images: list[Path], model_id: str, spec: ImageSpec, outputs: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for p in images:
        h.update(str(p).encode() + b"\n")
    h.update(f"{model_id}|{spec}|{outputs}".encode())
    return h.hexdigest()[:16]


def _run_batched(images: list[Path], spec: ImageSpec, batch: int, run: Callable[[np.ndarray], list[np.ndarray]], label: str) -> list[np.ndarray]:
    chunks: list[list[np.ndarray]] = []
    bar = Progress(len(images), label)
    for start in range(0, len(images), batch):
        x = np.stack([load_image(p, spec) for p in images[start : start + batch]])  # [B, 3, H, W]
        chunks.append(run(x))
        bar.update(len(x))
    bar.close()
    return [np.concatenate([c[i] for c in chunks]) for i in range(len(chunks[0]))]


def onnx_features(
    images: list[Path],
    onnx_path: Path,
    spec: ImageSpec,
    outputs: tuple[str, ...] = ("features",),
    input_name: str = "image",
    batch: int = 32,
    cache_dir: Path | None = None,
) -> dict[str, np.ndarray]:
    """Run the ONNX backbone once over `images`; cached as .npz in cache_dir when given."""
    import onnxruntime as ort

    digest = hashlib.sha256(Path(onnx_path).read_bytes()).hexdigest()[:16]
    cache = Path(cache_dir) / f"features-{_cache_key(images, digest, spec, outputs)}.npz" if cache_dir else None
    if cache is not None and cache.exists():
        data = np.load(cache)
        return {k: data[k] for k in outputs}
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    arrays = _run_batched(images, spec, batch, lambda x: session.run(list(outputs), {input_name: x}), "features")
    result = dict(zip(outputs, arrays))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, **result)
    return result


@torch.no_grad()
def torch_features(images: list[Path], module: torch.nn.Module, spec: ImageSpec, batch: int = 32, device: str = "cpu") -> np.ndarray:
    """Run a frozen torch module once over `images` → stacked outputs."""
    module = module.eval().to(device)
    run = lambda x: [module(torch.from_numpy(x).to(device)).float().cpu().numpy()]  # noqa: E731
    return _run_batched(images, spec, batch, run, "features")[0]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cached_torch_features(
    images: list[Path],
    module: torch.nn.Module,
    model_key: str,
    spec: ImageSpec,
    cache_dir: Path | None,
    hashes: list[str] | None = None,
    batch: int = 32,
    device: str = "cpu",
) -> tuple[np.ndarray, int]:
    """Frozen features [M, F] of `images`, cached per (model_key, image sha256) in
    cache_dir/features/<key digest>.npz, so a rerun (any split, any subset) computes only new
    images. `hashes`: the images' sha256 if already known. Returns (features, how many were cached)."""
    hashes = hashes if hashes is not None else [file_sha256(p) for p in images]
    key = hashlib.sha256(model_key.encode()).hexdigest()[:16]
    cache = Path(cache_dir) / "features" / f"{key}.npz" if cache_dir else None
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache) as data:
            known = dict(zip(data["hashes"].tolist(), data["features"]))
    todo = sorted({h: p for h, p in zip(hashes, images) if h not in known}.items())
    if todo:
        fresh = torch_features([p for _, p in todo], module, spec, batch, device)
        known.update({h: row for (h, _), row in zip(todo, fresh)})
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp.npz")
            np.savez(tmp, hashes=np.asarray(list(known)), features=np.stack(list(known.values())).astype(np.float32))
            tmp.replace(cache)
    return np.stack([known[h] for h in hashes]).astype(np.float32), len(images) - len(todo)
