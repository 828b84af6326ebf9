"""Checks of `train` flag values that need no data and no torch, so bad usage is refused at once
(TrainError BAD_FLAG, exit status 2)."""

from __future__ import annotations

import argparse
import math
import re

from .errors import bad_flag

DEVICE = re.compile(r"auto|cpu|mps|cuda(?::\d+)?")
BACKBONES = ("mobilenetv2", "tiny")


def validate_train(args: argparse.Namespace) -> None:
    for flag, value, low in (("--k", args.k, 1), ("--epochs", args.epochs, 1), ("--batch-size", args.batch_size, 1), ("--workers", args.workers, 0)):
        if value < low:
            raise bad_flag(flag, f"{value} is below {low}")
    if not (args.lr > 0 and math.isfinite(args.lr)):
        raise bad_flag("--lr", f"{args.lr} must be a positive number")
    if not 0 <= args.lam <= 1:
        raise bad_flag("--lam", f"{args.lam} must be in [0, 1]")
    if not 0 <= args.test_share < 1:
        raise bad_flag("--test-share", f"{args.test_share} must be in [0, 1): 0 trains on everything, 1 leaves nothing to train on")
    if not DEVICE.fullmatch(args.device):
        raise bad_flag("--device", f"{args.device!r}: expected auto, cpu, cuda, cuda:N or mps")
    if args.backbone not in BACKBONES:
        raise bad_flag("--backbone", f"{args.backbone!r}: expected one of {', '.join(BACKBONES)}")
    if args.split_file is not None and args.group_by is not None:
        raise bad_flag("--split-file", "give --split-file or --group-by, not both")
    if args.data != "folder" and (args.split_file or args.group_by):
        raise bad_flag("--split-file" if args.split_file else "--group-by", "only for --data folder")
    if args.data == "coco" and not (args.train_ann and args.test_ann):
        raise bad_flag("--train-ann", "--data coco needs --train-ann and --test-ann")
    if not args.root.is_dir():
        raise bad_flag("--root", f"{args.root} is not a folder")
    out = args.out
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "run.json").exists() and not (out / "last.pt").exists())):
        raise bad_flag("--out", f"{out} exists and is not a run folder; choose a new folder")
