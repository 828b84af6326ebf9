"""`train`: data → checks and split → SDL training → ZSL/GZSL evaluation → a run folder with
model.pt, last.pt, run.json (settings, versions, device used, split sizes, data hash),
metrics.json (valid JSON: null where a metric is undefined) and, for folders, split.tsv (each
image's side, reusable as --split-file)."""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from .backbones import Backbone, build_backbone
from .data import ImageDataset, read_coco, read_nus_wide, read_split
from .errors import TrainError
from .features import cached_torch_features
from .flags import validate_train
from .folder_data import PreparedData, log, prepare_folder
from .head import SDLHead, SDLModel
from .loss import SDLLossConfig
from .metrics import evaluate_zsl_gzsl
from .repro import seed_everything, versions
from .run_folder import RunFolder, write_signature
from .train import TrainConfig, label_scores, pick_device, predict_matrices, train_sdl
from .word_vectors import WordVectors, default_cache_dir, load_words

METRIC_KEYS = ("zsl_map", "zsl_f1_3", "zsl_f1_5", "gzsl_map", "gzsl_f1_3", "gzsl_f1_5")


def load_other(args: argparse.Namespace, words: WordVectors) -> PreparedData:
    """NUS-WIDE or COCO: their own train/test parts; labels without a word vector dropped.
    TrainError BAD_DATA when a file is missing or malformed."""
    try:
        return _load_other(args, words)
    except (OSError, ValueError, KeyError, IndexError) as e:
        raise TrainError("BAD_DATA", f"--data {args.data}: {type(e).__name__}: {e}", str(args.root)) from None


def _load_other(args: argparse.Namespace, words: WordVectors) -> PreparedData:
    if args.data == "nus-wide":
        ref = json.loads(Path(args.labels).read_text("utf-8"))
        train, test = (read_nus_wide(args.root, ref["labels"], part) for part in ("train", "test"))
        unseen = read_split(Path(args.split or args.labels), train.labels)
    else:
        train, test = read_coco(args.root, args.train_ann), read_coco(args.root, args.test_ann)
        unseen = read_split(args.split, train.labels) if args.split else np.zeros(len(train.labels), bool)
    known = np.asarray([words.has(label) for label in train.labels])
    if not known.all():
        log(f"dropping {int((~known).sum())} labels without a word vector: {[l for l, k in zip(train.labels, known) if not k][:10]}")
    names = [label for label, k in zip(train.labels, known) if k]
    info = {"train_images": len(train.images), "test_images": len(test.images), "split": f"{args.data} official parts",
            "seen_labels": int((~unseen[known]).sum()), "unseen_labels": int(unseen[known].sum())}
    return PreparedData(train.restrict_labels(names), test.restrict_labels(names), unseen[known], info=info)


def fit(args: argparse.Namespace, data: PreparedData, backbone: Backbone, head: SDLHead, vectors: np.ndarray,
        cfg: TrainConfig, device: str) -> tuple[np.ndarray | None, dict]:
    """Train; → (A [M_test, K, d] for the test images or None without any, feature-cache counts)."""
    seen = ~data.unseen
    y_train = data.train.targets[:, seen].astype(np.float32)
    has_test = len(data.test.images) > 0
    if args.mode == "frozen":  # features once (cached by image hash), then the head alone
        cache = args.cache_dir or default_cache_dir()
        x_train, hits = cached_torch_features(data.train.images, backbone.module, backbone.key, backbone.spec, cache, data.train_hashes, args.batch_size, device)
        loader = DataLoader(TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train)), batch_size=cfg.batch_size, shuffle=True)
        train_sdl(head, loader, vectors[seen], cfg)
        stats = {"cached": hits, "computed": len(x_train) - hits}
        if not has_test:
            return None, stats
        x_test, hits = cached_torch_features(data.test.images, backbone.module, backbone.key, backbone.spec, cache, data.test_hashes, args.batch_size, device)
        stats = {"cached": stats["cached"] + hits, "computed": stats["computed"] + len(x_test) - hits}
        return predict_matrices(head, DataLoader(TensorDataset(torch.from_numpy(x_test), torch.zeros(len(x_test))), batch_size=256), device), stats
    model = SDLModel(backbone.module, head)
    ds = ImageDataset(replace(data.train, targets=y_train), backbone.spec, flip=True)
    loader = DataLoader(ds, batch_size=cfg.batch_size, shuffle=True, num_workers=args.workers, pin_memory=device.startswith("cuda"))
    train_sdl(model, loader, vectors[seen], cfg)
    if not has_test:
        return None, {}
    test_loader = DataLoader(ImageDataset(data.test, backbone.spec), batch_size=cfg.batch_size, num_workers=args.workers)
    return predict_matrices(model, test_loader, device), {}


def metrics_json(a: np.ndarray | None, data: PreparedData, vectors: np.ndarray) -> dict:
    """The six metrics (null when undefined: no test images, no unseen label, no positive)."""
    out: dict = {"evaluated": a is not None, "test_images": len(data.test.images)}
    if a is None:
        return {**out, **{k: None for k in METRIC_KEYS}, "note": "no test images (--test-share 0): trained on everything, not evaluated"}
    report = evaluate_zsl_gzsl(label_scores(a, vectors), data.test.targets, data.unseen).as_dict()
    return {**out, **{k: (float(v) if math.isfinite(v) else None) for k, v in report.items()}}


def cmd_train(args: argparse.Namespace) -> None:
    started = time.monotonic()
    validate_train(args)
    seed_everything(args.seed)  # first: the head, splits, loaders and augmentation all draw after this
    device = str(pick_device(args.device))
    words = load_words(args.word_table)
    data = prepare_folder(args, words) if args.data == "folder" else load_other(args, words)
    vectors = words.matrix(data.train.labels)  # [L, d]
    backbone = build_backbone(args.backbone, args.backbone_onnx)
    unseen_names = [l for l, u in zip(data.train.labels, data.unseen) if u]
    signature = {"k": args.k, "d": int(vectors.shape[1]), "mode": args.mode, "backbone": backbone.key, "labels": data.train.labels,
                 "unseen": unseen_names, "batch_size": args.batch_size, "train_listing": data.info.get("listing_sha256")}
    run = RunFolder(args.out)
    if args.resume:
        run.check_resume(signature, args.epochs)
    for note in data.notes:
        log(note)
    head = SDLHead(backbone.n_features, args.k, vectors.shape[1])
    log(f"device: {device}; {args.mode} {backbone.key.split('-')[0]}, K = {args.k}, {args.epochs} epochs, batch {args.batch_size}, seed {args.seed}")
    work = run.open(args.resume)
    try:
        write_signature(work, signature)
        cfg = TrainConfig(
            epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, device=device, seed=args.seed,
            loss=SDLLossConfig(lam=args.lam, use_diversity=not args.no_diversity, use_regulariser=not args.no_regulariser),
            amp=not args.no_amp, checkpoint_dir=work, resume=args.resume, backbone_lr_scale=args.backbone_lr_scale,
        )
        a, feature_stats = fit(args, data, backbone, head, vectors, cfg, device)
        metrics = metrics_json(a, data, vectors)
        torch.save({"head": head.state_dict(), "backbone": backbone.module.state_dict() if args.mode == "finetune" else None}, work / "model.pt")
        meta = {
            "args": {k: str(v) for k, v in vars(args).items() if k != "func"}, "labels": data.train.labels, "unseen": unseen_names,
            "k": args.k, "d": int(vectors.shape[1]), "config": json.loads(json.dumps(asdict(cfg), default=str)),
            "seed": args.seed, "device": device, "threads": torch.get_num_threads(), "versions": versions(),
            "data": data.info, "features": feature_stats, "seconds": round(time.monotonic() - started, 2),
        }
        (work / "run.json").write_text(json.dumps(meta, indent=1, allow_nan=False), "utf-8")
        if data.sides:  # the split, reusable as --split-file
            (work / "split.tsv").write_text("".join(f"{p}\t{side}\n" for p, side in data.sides), "utf-8")
        (work / "metrics.json").write_text(json.dumps(metrics, indent=1, allow_nan=False), "utf-8")
    except BaseException:
        note = run.abandon()
        if note:
            log(note)
        raise
    run.commit()
    log(f"wrote {args.out} in {time.monotonic() - started:.1f} s" + ("" if metrics["evaluated"] else "; not evaluated (no test images)"))
    print(json.dumps(metrics, indent=1))
