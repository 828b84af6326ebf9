"""SDL training: Adam + OneCycle (official ZS_SDL defaults), AMP on CUDA, checkpoints, resume and
extension to more epochs.

The trained module maps a batch of inputs (images, or cached backbone features in frozen mode)
to embedding matrices A [N, K, d]; the loss only sees the seen labels' word vectors.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader

from .errors import TrainError, bad_flag
from .flags import DEVICE
from .head import score_labels
from .loss import SDLLossConfig, sdl_loss
from .progress import Progress
from .repro import seed_everything

__all__ = ["TrainConfig", "pick_device", "seed_everything", "train_sdl", "make_scheduler", "predict_matrices", "label_scores"]


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


def _mps_available() -> bool:
    return getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()


def pick_device(name: str = "auto") -> torch.device:
    """The device a name means here: auto = CUDA, then MPS, then CPU. TrainError BAD_FLAG for a
    name that is not auto | cpu | mps | cuda | cuda:N, NO_DEVICE for one this machine lacks."""
    if not DEVICE.fullmatch(name):
        raise bad_flag("--device", f"{name!r}: expected auto, cpu, cuda, cuda:N or mps")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "mps" if _mps_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and (not torch.cuda.is_available() or (device.index or 0) >= torch.cuda.device_count()):
        raise TrainError("NO_DEVICE", f"{name}: no such CUDA device here ({torch.cuda.device_count()} found); use --device auto or cpu", "--device")
    if device.type == "mps" and not _mps_available():
        raise TrainError("NO_DEVICE", "mps: Apple's Metal backend is not available here; use --device auto or cpu", "--device")
    return device


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


def make_scheduler(optimizer: torch.optim.Optimizer, max_lr: list[float], total_steps: int, pct_start: float) -> torch.optim.lr_scheduler.LRScheduler:
    """OneCycle over `total_steps`, robust to tiny runs: the warm-up gets at least 1.5 steps
    (torch's OneCycleLR divides by zero below that), and under 3 steps the lr stays at max_lr."""
    for group, lr in zip(optimizer.param_groups, max_lr):
        group["lr"] = lr
    if total_steps < 3:
        return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda _: 1.0)
    pct = pct_start if pct_start * total_steps > 1 else min(1.5 / total_steps, 0.5)
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=total_steps, pct_start=pct)


def train_sdl(model: nn.Module, loader: DataLoader, seen_vectors: np.ndarray | torch.Tensor, cfg: TrainConfig) -> nn.Module:
    """Train `model` (inputs → A [N, K, d]) with the SDL loss on the seen labels' unit word vectors [L, d].

    With cfg.resume and a checkpoint_dir/last.pt: continue it. Same epochs → exactly the
    uninterrupted run; more epochs → extended: the schedule of the new epoch count, entered at
    the step reached. TrainError NO_CHECKPOINT if there is none to resume."""
    device = pick_device(cfg.device)
    model.to(device).train()
    w = torch.as_tensor(np.asarray(seen_vectors), dtype=torch.float32, device=device)  # [L, d]
    groups = _param_groups(model, cfg)
    optimizer = torch.optim.Adam(groups, lr=cfg.lr)
    steps = len(loader)
    max_lr = [g["lr"] for g in groups]
    scheduler = make_scheduler(optimizer, max_lr, cfg.epochs * steps, cfg.pct_start)
    use_amp = cfg.amp and device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    start_epoch = 0
    ckpt = cfg.checkpoint_dir / "last.pt" if cfg.checkpoint_dir else None
    if cfg.resume:
        if ckpt is None or not ckpt.exists():
            raise TrainError("NO_CHECKPOINT", f"{ckpt}: no checkpoint to resume", str(ckpt))
        state = torch.load(ckpt, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch = state["epoch"] + 1
        if state.get("epochs", cfg.epochs) == cfg.epochs and state.get("steps_per_epoch", steps) == steps:
            scheduler.load_state_dict(state["scheduler"])
        else:  # extending: the new schedule, fast-forwarded to the step reached
            scheduler = make_scheduler(optimizer, max_lr, cfg.epochs * steps, cfg.pct_start)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "scheduler.step() before optimizer.step()"
                for _ in range(start_epoch * steps):
                    scheduler.step()
        scaler.load_state_dict(state["scaler"])
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
                "epochs": cfg.epochs,
                "steps_per_epoch": steps,
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
