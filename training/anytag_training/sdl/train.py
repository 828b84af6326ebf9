"""SDL training: Adam + OneCycle (official ZS_SDL defaults), AMP on CUDA, checkpoints and resume.

The trained module maps a batch of inputs (images, or cached backbone features in frozen mode)
to embedding matrices A [N, K, d]; the loss only sees the seen labels' word vectors.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader

from .head import score_labels
from .loss import SDLLossConfig, sdl_loss
from .progress import Progress


@dataclass
class TrainConfig:
    epochs: int = 10  # official default
    batch_size: int = 32  # official default
    lr: float = 2.5e-5  # official max_lr, full fine-tune
    weight_decay: float = 3e-4  # official: L2 on weights, none on biases
    pct_start: float = 0.1  # official OneCycle warm-up share
    loss: SDLLossConfig = field(default_factory=SDLLossConfig)
    amp: bool = True  # mixed precision; only used on CUDA
    device: str = "auto"  # auto | cpu | cuda | cuda:1 | mps
    seed: int = 0
    checkpoint_dir: Path | None = None  # writes last.pt after every epoch
    resume: bool = False  # continue from checkpoint_dir/last.pt if present
    progress: bool = True
    stop_after: int | None = None  # stop after this many epochs (same schedule); resume later
    backbone_lr_scale: float = 1.0  # lr of parameters under `backbone.` = lr × this (fine-tuning)


def pick_device(name: str = "auto") -> torch.device:
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _param_groups(model: nn.Module, cfg: TrainConfig) -> list[dict]:
    """Official grouping (L2 on weights, none on biases), split again by backbone vs head lr."""
    groups: dict[tuple[bool, bool], list[nn.Parameter]] = {}
    for name, p in model.named_parameters():
        if p.requires_grad:
            key = (name.startswith("backbone."), p.ndim <= 1 or name.endswith(".bias"))
            groups.setdefault(key, []).append(p)
    return [
        {"params": ps, "weight_decay": 0.0 if no_decay else cfg.weight_decay, "lr": cfg.lr * (cfg.backbone_lr_scale if is_backbone else 1.0)}
        for (is_backbone, no_decay), ps in sorted(groups.items())
    ]


def train_sdl(model: nn.Module, loader: DataLoader, seen_vectors: np.ndarray | torch.Tensor, cfg: TrainConfig) -> nn.Module:
    """Train `model` (inputs → A [N, K, d]) with the SDL loss on the seen labels' unit word vectors [L, d]."""
    device = pick_device(cfg.device)
    model.to(device).train()
    w = torch.as_tensor(np.asarray(seen_vectors), dtype=torch.float32, device=device)  # [L, d]
    groups = _param_groups(model, cfg)
    optimizer = torch.optim.Adam(groups, lr=cfg.lr)
    steps = len(loader)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[g["lr"] for g in groups], epochs=cfg.epochs, steps_per_epoch=steps, pct_start=cfg.pct_start)
    use_amp = cfg.amp and device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    start_epoch = 0
    ckpt = cfg.checkpoint_dir / "last.pt" if cfg.checkpoint_dir else None
    if cfg.resume and ckpt is not None and ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        scaler.load_state_dict(state["scaler"])
        start_epoch = state["epoch"] + 1
        torch.set_rng_state(state["rng"])
    else:
        seed_everything(cfg.seed)
    last_epoch = cfg.epochs if cfg.stop_after is None else min(cfg.epochs, cfg.stop_after)
    for epoch in range(start_epoch, last_epoch):
        bar = Progress(steps, f"epoch {epoch + 1}/{cfg.epochs}", enabled=cfg.progress)
        for x, y in loader:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            with torch.autocast(device.type, enabled=use_amp):
                a = model(x)  # [N, K, d]
            loss = sdl_loss(a.float(), y, w, cfg.loss)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()
            bar.update(1, f"loss {loss.item():.3f}")
        bar.close()
        if ckpt is not None:
            ckpt.parent.mkdir(parents=True, exist_ok=True)
            state = {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "scaler": scaler.state_dict(),
                "epoch": epoch,
                "rng": torch.get_rng_state(),
                "config": {k: str(v) for k, v in asdict(cfg).items()},
            }
            torch.save(state, ckpt.with_suffix(".tmp"))
            ckpt.with_suffix(".tmp").replace(ckpt)  # atomic: a crash leaves the previous epoch
    return model.eval()


@torch.no_grad()
def predict_matrices(model: nn.Module, loader: DataLoader, device: str = "auto") -> np.ndarray:
    """A for every input, in loader order → [M, K, d]."""
    dev = pick_device(device)
    model.to(dev).eval()
    out = [model(x.to(dev)).float().cpu() for x, _ in loader]
    return torch.cat(out).numpy()


def label_scores(a: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """s = max_k ⟨A_k, w⟩ for every image and label: [M, K, d] × [L, d] → [M, L]."""
    return score_labels(torch.from_numpy(a), torch.from_numpy(np.asarray(vectors, dtype=np.float32))).numpy()
