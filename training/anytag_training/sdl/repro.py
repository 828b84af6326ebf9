"""Reproducible runs: one seeding function called before anything random is built, and the facts
run.json records (versions, the device actually used, a hash of the data listing)."""

from __future__ import annotations

import hashlib
import platform
import random
from importlib import metadata
from typing import Iterable

import numpy as np
import torch

PACKAGES = ("torch", "numpy", "onnx", "onnxruntime", "pillow", "anytag-training")


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch (CPU and every CUDA device) and ask cuDNN for deterministic
    kernels. Call it before building the head, the splits, the loaders or any augmentation."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def loader_generator(seed: int) -> torch.Generator:
    """The generator a DataLoader shuffles with (independent of what else drew random numbers)."""
    return torch.Generator().manual_seed(seed)


def versions() -> dict[str, str]:
    """Python and the installed versions of the packages a run depends on ("absent" if missing)."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    out["torch.cuda"] = str(torch.version.cuda)
    return out


def listing_hash(rows: Iterable[tuple[str, Iterable[str], str]]) -> str:
    """sha256 over (relative path, labels, part) rows in order: the data a run saw, as one hex id."""
    h = hashlib.sha256()
    for path, labels, part in rows:
        h.update(f"{path}\t{','.join(labels)}\t{part}\n".encode("utf-8"))
    return h.hexdigest()
