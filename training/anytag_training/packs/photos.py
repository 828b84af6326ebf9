"""Photo -> model input as pack.json's `input` says, and SDL scoring of embedding matrices.

Used to check a pack before it is written (and by the tests): the same steps as the app's
preprocessing (flatten alpha onto the background, squash-resize with a linear kernel,
x = (pixel * scale - mean) / std, NCHW).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from .pack_writer import InputSpec


def load_photo(path: Path | str, spec: InputSpec) -> np.ndarray:
    """One photo as a float32 [3, height, width] array (only resize "squash" is supported)."""
    if spec.resize != "squash" or spec.kernel != "linear":
        raise ValueError(f"input: resize {spec.resize!r} / kernel {spec.kernel!r} unsupported here")
    with Image.open(path) as image:
        rgba = image.convert("RGBA")
    flat = Image.new("RGBA", rgba.size, (*spec.background, 255))
    flat.alpha_composite(rgba)
    resized = flat.convert("RGB").resize((spec.width, spec.height), Image.Resampling.BILINEAR)
    pixels = np.asarray(resized, dtype=np.float32)  # [H, W, 3]
    x = (pixels * spec.scale - np.asarray(spec.mean, np.float32)) / np.asarray(spec.std, np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1))  # [3, H, W]


def load_batch(paths: list[Path], spec: InputSpec) -> np.ndarray:
    """Photos as one float32 [n, 3, height, width] batch."""
    return np.stack([load_photo(p, spec) for p in paths])


def sdl_scores(embeddings: np.ndarray, label: np.ndarray) -> np.ndarray:
    """s(w) = max_k <A_k, w> per image: embeddings [n, K, d], unit label vector [d] -> [n]."""
    return (embeddings @ label).max(axis=1)
