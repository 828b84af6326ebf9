"""Emoji zero-shot benchmark: ConSE vs SDL (K = 1, K = 7) and the paper's ablations, ≥ 3 seeds.

    cd training && python -m anytag_training.bench.emoji --out ../bench/training/emoji.json

Data: 1911 Noto emoji (npm emoji-datasource-google) labelled with CLDR keywords + emojibase tags
(labels = words with a GloVe 6B 100d vector used by ≥ 3 emoji). Backbone: the ImageNet
MobileNetV2 in ../shared/models (features computed once with onnxruntime and cached).
Per seed: 70 % of the images train, 30 % test; unseen labels are either a random 15 % of the
labels ("random15", re-drawn per seed) or the NUS-WIDE unseen labels that occur ("nuswide").
Training sees only train images × seen labels; ZSL ranks the unseen labels on the test images,
GZSL ranks all labels.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from ..sdl.data import ImageDataset, ImageSpec, MultiLabelSet
from ..sdl.features import onnx_features, torch_features
from ..sdl.head import SDLHead, SDLModel
from ..sdl.loss import SDLLossConfig
from ..sdl.metrics import evaluate_zsl_gzsl
from ..sdl.mobilenet_v2 import mobilenet_v2_from_onnx
from ..sdl.train import TrainConfig, label_scores, pick_device, predict_matrices, train_sdl
from ..sdl.word_vectors import load_glove100
from .conse import class_name_vectors, conse_matrices
from .emoji_bundle import MODEL_SUBDIR, NUS_SUBPATH, read_bundle
from .emoji_data import build_emoji_set
from .tail_model import TailSDL

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
MODEL_DIR = SHARED / "models" / "imagenet-mobilenet-v2"
NUS_LABELS = SHARED / "reference" / "nus-wide" / "labels.json"
SPEC = ImageSpec(224, 224, (255, 255, 255))  # MobileNetV2's input; emoji alpha flattened onto white
METRICS = ("zsl_map", "zsl_f1_3", "zsl_f1_5", "gzsl_map", "gzsl_f1_3", "gzsl_f1_5")


BOTH = ("random15", "nuswide")
MAIN = ("random15",)


@dataclass(frozen=True)
class Method:
    name: str
    kind: str  # conse | frozen | finetune
    k: int = 7
    loss: SDLLossConfig = field(default_factory=SDLLossConfig)
    settings: tuple[str, ...] = BOTH  # ablations run on the main split only (CPU budget)
    note: str = ""


def methods() -> list[Method]:
    full = SDLLossConfig()
    return [
        Method("conse", "conse", k=1, note="ImageNet top-10 probabilities x class-name GloVe vectors"),
        Method("sdl-k1", "frozen", k=1, note="one embedding vector (lambda term is 0 for K = 1)"),
        Method("sdl-k7", "frozen", k=7, note="the paper's model (lambda 0.3), frozen backbone"),
        Method("sdl-k7-no-diversity", "frozen", k=7, loss=replace(full, use_diversity=False), settings=MAIN),
        Method("sdl-k7-no-regulariser", "frozen", k=7, loss=replace(full, use_regulariser=False), settings=MAIN, note="lambda = 0"),
        Method("sdl-k7-lambda0.1", "frozen", k=7, loss=replace(full, lam=0.1), settings=MAIN),
        Method("sdl-k7-lambda0.5", "frozen", k=7, loss=replace(full, lam=0.5), settings=MAIN),
        Method("sdl-k7-finetune", "finetune", k=7, settings=MAIN, note="last 2 inverted-residual blocks + final 1x1 conv + head trained"),
    ]


def gpu_methods() -> list[Method]:
    """Only with --full-finetune (needs a GPU to fit the time budget)."""
    return [Method("sdl-k7-full-finetune", "full", k=7, settings=MAIN, note="whole MobileNetV2 + head, from images, flip augmentation")]


@dataclass(frozen=True)
class BenchConfig:
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    settings: tuple[str, ...] = ("random15", "nuswide")
    test_share: float = 0.3
    unseen_share: float = 0.15
    min_images: int = 3
    head: TrainConfig = field(default_factory=lambda: TrainConfig(epochs=20, batch_size=128, lr=2e-3, progress=False))
    # LP-FT: after the frozen-mode head (`head`), tail + head together, backbone lr = 0.2 × lr
    finetune: TrainConfig = field(default_factory=lambda: TrainConfig(epochs=4, batch_size=128, lr=5e-4, progress=False))
    finetune_backbone_lr_scale: float = 0.2
    finetune_blocks: int = 2
    # full fine-tune (GPU): after the frozen-mode head, everything at the official lr 2.5e-5
    full: TrainConfig = field(default_factory=lambda: TrainConfig(epochs=10, batch_size=32, lr=2.5e-5, progress=False))


@dataclass
class Split:
    train: np.ndarray  # image indices
    test: np.ndarray
    unseen: np.ndarray  # [L] bool


def make_split(data: MultiLabelSet, setting: str, seed: int, cfg: BenchConfig) -> Split:
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data.images))
    n_test = int(round(cfg.test_share * len(order)))
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    if setting == "random15":
        n_unseen = int(round(cfg.unseen_share * len(data.labels)))
        unseen = np.zeros(len(data.labels), dtype=bool)
        unseen[rng.choice(len(data.labels), n_unseen, replace=False)] = True
    elif setting == "nuswide":
        nus_unseen = set(json.loads(NUS_LABELS.read_text("utf-8"))["unseen"])
        unseen = np.array([label in nus_unseen for label in data.labels])
    else:
        raise ValueError(f"setting {setting!r}: expected random15 or nuswide")
    return Split(train, test, unseen)


def _loader(x: np.ndarray, y: np.ndarray, batch: int, shuffle: bool) -> DataLoader:
    return DataLoader(TensorDataset(torch.from_numpy(x).float(), torch.from_numpy(y).float()), batch_size=batch, shuffle=shuffle)


def fit_head(method: Method, x: np.ndarray, data: MultiLabelSet, split: Split, vectors: np.ndarray, cfg: TrainConfig, seed: int) -> SDLHead:
    """Frozen backbone: train SDLHead on cached features of the train images, seen labels only."""
    seen = ~split.unseen
    torch.manual_seed(seed)  # the head's initialisation must not depend on what ran before
    head = SDLHead(x.shape[1], method.k, vectors.shape[1])
    train_sdl(head, _loader(x[split.train], data.targets[split.train][:, seen], cfg.batch_size, True), vectors[seen], replace(cfg, loss=method.loss, seed=seed))
    return head


def train_head(method: Method, x: np.ndarray, data: MultiLabelSet, split: Split, vectors: np.ndarray, cfg: TrainConfig, seed: int) -> np.ndarray:
    """→ A for the test images [M, K, d]."""
    head = fit_head(method, x, data, split, vectors, cfg, seed)
    return predict_matrices(head, _loader(x[split.test], data.targets[split.test], 256, False), "cpu")


def train_tail(method: Method, x: np.ndarray, acts: np.ndarray, data: MultiLabelSet, split: Split, vectors: np.ndarray, bench: BenchConfig, seed: int) -> np.ndarray:
    """Partial fine-tune, linear probe first (LP-FT): the frozen-mode head, then the last blocks of
    MobileNetV2 + its final conv + the head together, on cached activations of the frozen prefix."""
    seen = ~split.unseen
    head = fit_head(method, x, data, split, vectors, bench.head, seed)
    model = TailSDL(MODEL_DIR / "model.onnx", bench.finetune_blocks, method.k, vectors.shape[1])
    model.head.load_state_dict(head.state_dict())
    tcfg = replace(bench.finetune, loss=method.loss, seed=seed, backbone_lr_scale=bench.finetune_backbone_lr_scale)
    train_sdl(model, _loader(acts[split.train], data.targets[split.train][:, seen], tcfg.batch_size, True), vectors[seen], tcfg)
    return predict_matrices(model, _loader(acts[split.test], data.targets[split.test], 128, False), "cpu")


def train_full(method: Method, x: np.ndarray, data: MultiLabelSet, split: Split, vectors: np.ndarray, bench: BenchConfig, seed: int, device: str) -> np.ndarray:
    """Full fine-tune from images (AMP on CUDA), linear probe first like train_tail."""
    seen = ~split.unseen
    head = fit_head(method, x, data, split, vectors, bench.head, seed)
    model = SDLModel(mobilenet_v2_from_onnx(MODEL_DIR / "model.onnx"), head)
    spec = SPEC
    train_set = ImageDataset(data.subset(split.train).restrict_labels([l for l, s in zip(data.labels, seen) if s]), spec, flip=True)
    tcfg = replace(bench.full, loss=method.loss, seed=seed, device=device)
    workers = min(8, os.cpu_count() or 1)
    train_sdl(model, DataLoader(train_set, batch_size=tcfg.batch_size, shuffle=True, num_workers=workers), vectors[seen], tcfg)
    test_set = ImageDataset(data.subset(split.test), spec)
    return predict_matrices(model, DataLoader(test_set, batch_size=64, num_workers=workers), device)


def summarise(runs: list[dict]) -> dict:
    out: dict = {}
    for r in runs:
        out.setdefault(r["setting"], {}).setdefault(r["method"], []).append(r["metrics"])
    table: dict = {}
    for setting, per_method in out.items():
        table[setting] = {}
        for m, rows in per_method.items():
            table[setting][m] = {k: {"mean": float(np.mean([r[k] for r in rows])), "sd": float(np.std([r[k] for r in rows], ddof=1)) if len(rows) > 1 else 0.0, "n": len(rows)} for k in METRICS}
    return table


def paired_vs(runs: list[dict], baseline: str = "sdl-k7") -> dict:
    """Per setting and method: metric − baseline's on the same seed (= the same split), mean ± sd."""
    out: dict = {}
    for setting in sorted({r["setting"] for r in runs}):
        base = {r["seed"]: r["metrics"] for r in runs if r["setting"] == setting and r["method"] == baseline}
        for m in dict.fromkeys(r["method"] for r in runs if r["setting"] == setting and r["method"] != baseline):
            rows = [r for r in runs if r["setting"] == setting and r["method"] == m and r["seed"] in base]
            if not rows:
                continue
            diffs = {k: [r["metrics"][k] - base[r["seed"]][k] for r in rows] for k in METRICS}
            out.setdefault(setting, {})[m] = {k: {"mean": float(np.mean(v)), "sd": float(np.std(v, ddof=1)) if len(v) > 1 else 0.0, "n": len(v)} for k, v in diffs.items()}
    return out


def markdown(table: dict, paired: dict, baseline: str = "sdl-k7") -> str:
    lines = []
    for setting, per_method in table.items():
        n = max(s["zsl_map"]["n"] for s in per_method.values())
        lines += [f"\n**{setting}** ({n} seeds, mean ± sd)\n", f"| method | ZSL mAP | ZSL F1@3 | GZSL mAP | GZSL F1@3 | ZSL mAP − {baseline} (paired) |", "|---|---|---|---|---|---|"]
        for m, s in per_method.items():
            cell = lambda k: f"{s[k]['mean']:.3f} ± {s[k]['sd']:.3f}"  # noqa: E731
            p = paired.get(setting, {}).get(m)
            delta = f"{p['zsl_map']['mean']:+.3f} ± {p['zsl_map']['sd']:.3f}" if p else "—"
            lines.append(f"| {m} | {cell('zsl_map')} | {cell('zsl_f1_3')} | {cell('gzsl_map')} | {cell('gzsl_f1_3')} | {delta} |")
    return "\n".join(lines)


def run(bench: BenchConfig, only: set[str] | None, node_modules: Path, cache_dir: Path, full_finetune: bool = False, device: str = "auto", bundle: Path | None = None, runs_log: Path | None = None) -> dict:
    """bundle: read data, words and features from an emoji_bundle folder (MODEL_DIR / NUS_LABELS
    must point into it, see main); runs_log: append every finished run there as a JSON line."""
    t0 = time.monotonic()
    spec = SPEC
    if bundle is not None:
        data, words, feats = read_bundle(bundle)
    else:
        words = load_glove100(cache_dir=cache_dir)
        data = build_emoji_set(node_modules, words, bench.min_images)
        feats = onnx_features(data.images, MODEL_DIR / "model.onnx", spec, ("features", "probs"), cache_dir=cache_dir)
    vectors = words.matrix(data.labels)  # [L, d]
    class_idx, class_vecs = class_name_vectors(MODEL_DIR / "imagenet_labels.txt", words)
    chosen = [m for m in methods() + (gpu_methods() if full_finetune else []) if only is None or m.name in only]
    acts = None
    if any(m.kind == "finetune" for m in chosen):
        acts = tail_activations(data, spec, bench.finetune_blocks, cache_dir, str(pick_device(device)))
    runs = []
    for setting in bench.settings:
        for seed in bench.seeds:
            split = make_split(data, setting, seed, bench)
            y_test = data.targets[split.test]
            for m in chosen:
                if setting not in m.settings:
                    continue
                t = time.monotonic()
                if m.kind == "conse":
                    a = conse_matrices(feats["probs"][split.test], class_idx, class_vecs)
                elif m.kind == "frozen":
                    a = train_head(m, feats["features"], data, split, vectors, bench.head, seed)
                elif m.kind == "finetune":
                    a = train_tail(m, feats["features"], acts, data, split, vectors, bench, seed)
                else:
                    a = train_full(m, feats["features"], data, split, vectors, bench, seed, device)
                report = evaluate_zsl_gzsl(label_scores(a, vectors), y_test, split.unseen)
                runs.append({"setting": setting, "seed": seed, "method": m.name, "metrics": report.as_dict(), "seconds": round(time.monotonic() - t, 2)})
                if runs_log is not None:
                    with runs_log.open("a") as f:
                        f.write(json.dumps(runs[-1]) + "\n")
                print(f"{setting} seed {seed} {m.name:24s} ZSL mAP {report.zsl_map:.3f} F1@3 {report.zsl_f1_3:.3f} | GZSL mAP {report.gzsl_map:.3f} F1@3 {report.gzsl_f1_3:.3f} ({runs[-1]['seconds']} s)", file=sys.stderr, flush=True)
    nus_unseen = make_split(data, "nuswide", 0, bench).unseen
    return {
        "benchmark": "emoji zero-shot multi-label (Noto emoji, CLDR + emojibase keywords, GloVe 6B 100d, ImageNet MobileNetV2)",
        "command": "cd training && python -m anytag_training.bench.emoji --out ../bench/training/emoji.json",
        "data": {"images": len(data.images), "labels": len(data.labels), "labels_per_image": float(data.targets.sum(1).mean()), "nuswide_unseen_labels": [l for l, u in zip(data.labels, nus_unseen) if u]},
        "config": json.loads(json.dumps(asdict(bench), default=str)),
        "methods": [{"name": m.name, "kind": m.kind, "k": m.k, "loss": asdict(m.loss), "note": m.note} for m in chosen],
        "summary": summarise(runs),
        "paired_vs_sdl_k7": paired_vs(runs),
        "runs": runs,
        "machine": {"python": platform.python_version(), "torch": torch.__version__, "threads": torch.get_num_threads(), "processor": platform.processor() or platform.machine(), "device": _device_name(device)},
        "seconds": round(time.monotonic() - t0, 1),
    }


def _device_name(device: str) -> str:
    dev = pick_device(device)
    return torch.cuda.get_device_name(dev) if dev.type == "cuda" else dev.type


def tail_activations(data: MultiLabelSet, spec: ImageSpec, blocks: int, cache_dir: Path, device: str = "cpu") -> np.ndarray:
    """The frozen prefix's output for every image (cached): input of the trainable tail."""
    cache = cache_dir / f"emoji-mnv2-prefix-{blocks}-{len(data.images)}.npy"
    if cache.exists():
        return np.load(cache).astype(np.float32)
    prefix, _ = mobilenet_v2_from_onnx(MODEL_DIR / "model.onnx").split(blocks)
    acts = torch_features(data.images, prefix, spec, device=device)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, acts.astype(np.float16))
    return acts.astype(np.float16).astype(np.float32)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "training" / "emoji.json")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--settings", nargs="+", default=["random15", "nuswide"])
    ap.add_argument("--methods", nargs="+", default=None, help="subset of: " + " ".join(m.name for m in methods()))
    ap.add_argument("--node-modules", type=Path, default=REPO / "node_modules")
    ap.add_argument("--cache-dir", type=Path, default=REPO / "training" / "data")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest for these tiny steps)")
    ap.add_argument("--full-finetune", action="store_true", help="also fine-tune the whole backbone from images (GPU)")
    ap.add_argument("--device", default="auto", help="training device: auto (CUDA, MPS, CPU) | cuda | cpu")
    ap.add_argument("--bundle", type=Path, default=None, help="read the inputs from an emoji_bundle folder instead of node_modules + ../shared")
    ap.add_argument("--runs-log", type=Path, default=None, help="append each finished run as a JSON line (survives an interrupted sweep)")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.bundle is not None:
        global MODEL_DIR, NUS_LABELS
        MODEL_DIR, NUS_LABELS = args.bundle / MODEL_SUBDIR, args.bundle / NUS_SUBPATH
    bench = BenchConfig(seeds=tuple(args.seeds), settings=tuple(args.settings))
    result = run(bench, set(args.methods) if args.methods else None, args.node_modules, args.cache_dir, args.full_finetune, args.device, args.bundle, args.runs_log)
    result["command"] = "cd training && python -m anytag_training.bench.emoji " + " ".join(sys.argv[1:] if argv is None else argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(markdown(result["summary"], result["paired_vs_sdl_k7"]))
    print(f"wrote {args.out} in {result['seconds']} s", file=sys.stderr)


if __name__ == "__main__":
    main()
