"""A folder data set made ready for training: checked (sdl/checks.py, skips counted), labels
split seen/unseen, images split train/test by groups (sdl/splits.py) or by a split file."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .checks import CheckReport, check_folder
from .data import MultiLabelSet
from .errors import TrainError
from .repro import listing_hash
from .splits import Grouping, default_grouping, keys_by, read_split_file, split_by_groups
from .word_vectors import WordVectors


@dataclass
class PreparedData:
    train: MultiLabelSet
    test: MultiLabelSet
    unseen: np.ndarray  # [L] bool over train.labels
    train_hashes: list[str] | None = None  # image sha256, when known (feature cache key)
    test_hashes: list[str] | None = None
    info: dict = field(default_factory=dict)  # what run.json records about the data
    sides: list[tuple[str, str]] = field(default_factory=list)  # (relative path, train|test): split.tsv
    notes: list[str] = field(default_factory=list)  # what was checked and decided, for the log


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _split(args: argparse.Namespace, report: CheckReport) -> tuple[np.ndarray, str, int]:
    """(test mask, how it was made, number of groups)."""
    paths = [u.path for u in report.usable]
    if args.split_file is not None:
        skipped = {e.path for e in report.listing.entries} - set(paths)
        return read_split_file(args.split_file, paths, skipped), f"split file {args.split_file}", len(paths)
    if args.group_by is not None:
        grouping = Grouping(keys_by(args.group_by, paths), f"grouped by --group-by {args.group_by}")
    else:
        grouping = default_grouping(paths, [u.dhash for u in report.usable], [u.dhash_mirror for u in report.usable])
    if args.test_share == 0:
        return np.zeros(len(paths), bool), "--test-share 0: every image trains, no evaluation", len(set(grouping.keys))
    return split_by_groups(grouping.keys, args.test_share, args.seed), grouping.how, len(set(grouping.keys))


def prepare_folder(args: argparse.Namespace, words: WordVectors) -> PreparedData:
    """Check the folder, drop what the check lists, split; each decision is in `notes`."""
    report = check_folder(args.root, words, args.labels_file, args.split)
    notes = [f"check: {line}" for line in report.lines()]
    if report.unseen_unknown:
        raise TrainError("BAD_SPLIT", f"{args.split}: unseen labels on no image: {', '.join(report.unseen_unknown[:5])}", str(args.split))
    if not report.usable:
        counts = ", ".join(f"{v} {k}" for k, v in report.skipped().items() if v)
        raise TrainError("NO_DATA", f"no usable image left after the checks ({counts}); see anytag-train check", str(report.listing.file))
    labels = report.labels
    col = {l: j for j, l in enumerate(labels)}
    targets = np.zeros((len(report.usable), len(labels)), np.uint8)
    for i, u in enumerate(report.usable):
        targets[i, [col[l] for l in u.labels]] = 1
    unseen = np.isin(np.asarray(labels, object), np.asarray(report.unseen, object))
    if unseen.all():
        raise TrainError("NO_SEEN_LABELS", f"{args.split}: every label is unseen; nothing to train on", str(args.split))
    test, how, groups = _split(args, report)
    if test.all():
        raise TrainError("BAD_SPLIT", "every image is in the test part; nothing to train on", str(args.split_file or "--test-share"))
    data = MultiLabelSet([args.root / u.path for u in report.usable], labels, targets)
    hashes = [u.sha256 for u in report.usable]
    rows = np.flatnonzero(~test), np.flatnonzero(test)
    skipped = {k: v for k, v in report.skipped().items() if v}
    notes.append(f"labels: {int((~unseen).sum())} seen, {int(unseen.sum())} unseen" + (f" ({', '.join(report.unseen)})" if unseen.any() else ""))
    notes.append(f"split: {len(rows[0])} train / {len(rows[1])} test images; {how}")
    notes.append("skipped: " + (", ".join(f"{v} {k}" for k, v in skipped.items()) if skipped else "nothing"))
    info = {
        "listing_sha256": listing_hash((u.path, u.labels, "test" if t else "train") for u, t in zip(report.usable, test)),
        "labels_file": str(report.listing.file), "train_images": len(rows[0]), "test_images": len(rows[1]),
        "seen_labels": int((~unseen).sum()), "unseen_labels": int(unseen.sum()), "split": how, "groups": groups,
        "skipped": report.skipped(), "check": report.as_dict(),
    }
    sides = [(u.path, "test" if t else "train") for u, t in zip(report.usable, test)]
    return PreparedData(data.subset(rows[0]), data.subset(rows[1]), unseen,
                        [hashes[i] for i in rows[0]], [hashes[i] for i in rows[1]], info, sides, notes)
