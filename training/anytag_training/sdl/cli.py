"""Command line (`anytag-train`, or `python -m anytag_training.sdl.cli`): check a folder, train an
SDL model on NUS-WIDE, COCO-format or folder data and evaluate it, export a model pack.

    anytag-train check --root my-photos --split my-photos/unseen.txt
    anytag-train train --data folder --root my-photos --split my-photos/unseen.txt --mode frozen --out runs/mine
    anytag-train export --run runs/mine --out runs/mine-pack --id my-pack
Errors are one line on stderr, `anytag-train: error CODE (flag or file): message`; exit status 2
for bad usage or bad input, 1 for a failure while running. See training/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from .errors import TrainError
from .flags import BACKBONES, validate_train

REPO = Path(__file__).resolve().parents[3]
DEFAULT_ONNX = REPO.parent / "shared" / "models" / "imagenet-mobilenet-v2" / "model.onnx"
NUS_REFERENCE = REPO.parent / "shared" / "reference" / "nus-wide" / "labels.json"


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors are TrainError BAD_USAGE (one line, exit status 2)."""

    def error(self, message: str) -> NoReturn:
        raise TrainError("BAD_USAGE", f"{message} (see {self.prog} --help)", self.prog.split()[-1])


def cmd_check(args: argparse.Namespace) -> None:
    from .checks import check_folder
    from .listing import find_labels_file
    from .word_vectors import load_words

    find_labels_file(args.root, args.labels_file)  # before the word vectors load
    report = check_folder(args.root, load_words(args.word_table), args.labels_file, args.split)
    if args.json:
        print(json.dumps(report.as_dict(), indent=1))
        return
    for line in report.lines(limit=args.limit):
        print(line)
    skipped = {k: v for k, v in report.skipped().items() if v}
    print("training would skip: " + (", ".join(f"{v} {k}" for k, v in skipped.items()) if skipped else "nothing"))


def cmd_train(args: argparse.Namespace) -> None:
    validate_train(args)  # before torch is imported: bad flags are refused at once
    if args.data == "folder":
        from .listing import find_labels_file

        find_labels_file(args.root, args.labels_file)
    from .train_cmd import cmd_train as run

    run(args)


def cmd_export(args: argparse.Namespace) -> None:
    from .export_cmd import cmd_export as run

    run(args)


def _folder_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, required=True, help="data root (NUS-WIDE folder, COCO image folder, or image folder)")
    p.add_argument("--labels-file", type=Path, default=None, help="folder: labels.tsv / labels.json (default: the one in --root)")
    p.add_argument("--split", type=Path, default=None, help="unseen labels: one per line, or JSON {unseen: [...]}")
    p.add_argument("--word-table", type=Path, default=None, help="AWT1 word table for label vectors (default: GloVe 6B 100d)")


def parser() -> argparse.ArgumentParser:
    ap = Parser(prog="anytag-train", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(required=True, metavar="{check,train,export}")
    c = sub.add_parser("check", help="list what training a folder would skip, and why")
    _folder_args(c)
    c.add_argument("--json", action="store_true", help="the whole report as JSON")
    c.add_argument("--limit", type=int, default=10, help="examples per finding")
    c.set_defaults(func=cmd_check)
    t = sub.add_parser("train", help="check + split + train + evaluate (ZSL/GZSL on the test part)")
    t.add_argument("--data", choices=["nus-wide", "coco", "folder"], required=True)
    _folder_args(t)
    t.add_argument("--labels", type=Path, default=NUS_REFERENCE, help="nus-wide: the 1006-label list (labels.json)")
    t.add_argument("--train-ann", type=Path, help="coco: train annotations JSON")
    t.add_argument("--test-ann", type=Path, help="coco: test annotations JSON")
    t.add_argument("--test-share", type=float, default=0.2, help="folder: share of images held out for testing; 0 = train on all, no evaluation")
    t.add_argument("--group-by", default=None, help="folder: keep groups on one side: folder, folder:N, stem, image or a regex (group 1 = key); default: detect near-duplicates")
    t.add_argument("--split-file", type=Path, default=None, help="folder: lines 'relative/path<TAB>train|test' instead of a random split")
    t.add_argument("--backbone", default="mobilenetv2", help=f"one of {', '.join(BACKBONES)} (tiny: tests only)")
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
    t.add_argument("--device", default="auto", help="auto (CUDA, then MPS, then CPU), cpu, cuda, cuda:N or mps")
    t.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1), help="finetune: image loading processes")
    t.add_argument("--seed", type=int, default=0, help="seeds the head, split, shuffling and augmentation")
    t.add_argument("--cache-dir", type=Path, default=None, help="frozen features cache (default training/data)")
    t.add_argument("--resume", action="store_true", help="continue <out> (or an interrupted <out>.partial); more --epochs extends it")
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
    e.add_argument("--all-labels", action="store_true", help="ship the held-out (unseen) labels as seen labels too: the app then gives them the seen threshold and no unseen mark")
    e.add_argument("--install-into", type=Path, default=None, metavar="DATA_DIR", help="also install into the app's data folder, replacing a pack of the same id (the app re-embeds once)")
    e.set_defaults(func=cmd_export)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run a command; errors become one line on stderr. Returns the exit status (0, 1 or 2);
    ANYTAG_TRAIN_DEBUG=1 re-raises unexpected errors with their traceback."""
    try:
        args = parser().parse_args(argv)
        args.func(args)
        return 0
    except TrainError as error:
        print(error.one_line(), file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("anytag-train: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last resort: one line, not a traceback
        if os.environ.get("ANYTAG_TRAIN_DEBUG"):
            raise
        text = " ".join(str(error).split())[:300]
        print(f"anytag-train: error INTERNAL: {type(error).__name__}: {text} (ANYTAG_TRAIN_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1


def run() -> None:
    """Console entry point (pyproject: anytag-train)."""
    sys.exit(main())


if __name__ == "__main__":
    run()
