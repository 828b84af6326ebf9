"""Multi-label data sets: NUS-WIDE (the paper's layout), COCO-format annotations (as the official
script) and a plain folder of images + labels file; seen/unseen split files; image loading.

Every reader returns a MultiLabelSet: image paths, label names and a [M, L] 0/1 target matrix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset


@dataclass
class MultiLabelSet:
    images: list[Path]  # absolute paths
    labels: list[str]  # label names, column order of targets
    targets: np.ndarray  # [M, L] uint8

    def subset(self, rows: np.ndarray | list[int]) -> "MultiLabelSet":
        rows = np.asarray(rows, dtype=np.int64)
        return MultiLabelSet([self.images[i] for i in rows], self.labels, self.targets[rows])

    def restrict_labels(self, names: list[str]) -> "MultiLabelSet":
        cols = [self.labels.index(n) for n in names]
        return MultiLabelSet(self.images, list(names), self.targets[:, cols])


def read_folder(root: Path, labels_file: Path | None = None) -> MultiLabelSet:
    """A folder of images + a labels file, as listed (no checks: see sdl/checks.py). `labels.tsv`:
    one line per image, `relative/path<TAB>label, label, …`; or `labels.json`: {"relative/path":
    ["label", …], …}. Labels are lowercased, a byte-order mark is ignored, an image listed twice
    keeps its first entry. Label columns are sorted by name."""
    from .listing import read_listing

    listing = read_listing(root, labels_file)
    per_image: dict[str, list[str]] = {}
    for entry in listing.entries:
        per_image.setdefault(entry.path, entry.labels)
    names = sorted({t for tags in per_image.values() for t in tags})
    col = {n: i for i, n in enumerate(names)}
    targets = np.zeros((len(per_image), len(names)), dtype=np.uint8)
    for i, tags in enumerate(per_image.values()):
        targets[i, [col[t] for t in tags]] = 1
    return MultiLabelSet([listing.root / p for p in per_image], names, targets)


def read_coco(image_root: Path, annotations: Path) -> MultiLabelSet:
    """COCO instances JSON (as the official ZS_SDL train script): images with ≥ 1 annotation;
    label columns in category-id order, named by category name."""
    ann = json.loads(Path(annotations).read_text("utf-8"))
    cats = sorted(ann["categories"], key=lambda c: c["id"])
    col = {c["id"]: i for i, c in enumerate(cats)}
    files = {im["id"]: im["file_name"] for im in ann["images"]}
    per_image: dict[int, set[int]] = {}
    for a in ann["annotations"]:
        per_image.setdefault(a["image_id"], set()).add(col[a["category_id"]])
    ids = sorted(per_image)
    targets = np.zeros((len(ids), len(cats)), dtype=np.uint8)
    for i, image_id in enumerate(ids):
        targets[i, sorted(per_image[image_id])] = 1
    return MultiLabelSet([Path(image_root) / files[i] for i in ids], [c["name"] for c in cats], targets)


def _read_01_rows(path: Path) -> np.ndarray:
    return np.loadtxt(path, dtype=np.uint8, ndmin=2)


def read_nus_wide(root: Path, labels: list[str], part: str = "all") -> MultiLabelSet:
    """NUS-WIDE as distributed and as used by the paper (after Huynh & Elhamifar, CVPR 2020):

        root/Flickr/<concept>/<image>.jpg          images
        root/ImageList/Imagelist.txt               all images, Windows paths (actor\\0001_2124494179.jpg)
        root/ImageList/TrainImagelist.txt, TestImagelist.txt
        root/NUS_WID_Tags/TagList1k.txt            the 1000 user tags
        root/NUS_WID_Tags/AllTags1k.txt            one row of 1000 0/1 per image
        root/Concepts81.txt                        the 81 human-annotated concepts
        root/Groundtruth/AllLabels/Labels_<concept>.txt   one 0/1 per image

    `labels` is the 1006-label list (reference/nus-wide/labels.json): a label that is one of the
    81 concepts takes the human ground truth (these are the paper's unseen labels), any other
    label takes the user-tag column. part: all | train | test.
    """
    root = Path(root)
    listed = [ln.strip().replace("\\", "/") for ln in (root / "ImageList" / "Imagelist.txt").read_text().splitlines() if ln.strip()]
    tag_names = [ln.strip() for ln in (root / "NUS_WID_Tags" / "TagList1k.txt").read_text().splitlines() if ln.strip()]
    concepts = [ln.strip() for ln in (root / "Concepts81.txt").read_text().splitlines() if ln.strip()]
    tags = _read_01_rows(root / "NUS_WID_Tags" / "AllTags1k.txt")  # [M, 1000]
    if tags.shape != (len(listed), len(tag_names)):
        raise ValueError(f"{root}/NUS_WID_Tags/AllTags1k.txt: shape {tags.shape}, expected {(len(listed), len(tag_names))}")
    targets = np.zeros((len(listed), len(labels)), dtype=np.uint8)
    tag_col = {t: i for i, t in enumerate(tag_names)}
    for j, name in enumerate(labels):
        if name in concepts:
            column = _read_01_rows(root / "Groundtruth" / "AllLabels" / f"Labels_{name}.txt")[:, 0]
            targets[:, j] = column
        elif name in tag_col:
            targets[:, j] = tags[:, tag_col[name]]
        else:
            raise ValueError(f"{root}: label {name!r} is neither a concept nor a tag of TagList1k.txt")
    data = MultiLabelSet([root / "Flickr" / p for p in listed], list(labels), targets)
    if part == "all":
        return data
    file = {"train": "TrainImagelist.txt", "test": "TestImagelist.txt"}[part]
    wanted = {ln.strip().replace("\\", "/") for ln in (root / "ImageList" / file).read_text().splitlines() if ln.strip()}
    return data.subset([i for i, p in enumerate(listed) if p in wanted])


def read_split(path: Path, labels: list[str]) -> np.ndarray:
    """Unseen-label mask [L] from a split file: JSON {"unseen": [...]} (like reference/nus-wide/
    labels.json) or plain text, one unseen label per line."""
    path = Path(path)
    if path.suffix == ".json":
        unseen = json.loads(path.read_text("utf-8"))["unseen"]
    else:
        unseen = [ln.strip() for ln in path.read_text("utf-8").splitlines() if ln.strip()]
    unknown = sorted(set(unseen) - set(labels))
    if unknown:
        raise ValueError(f"{path}: unseen labels not in the label list: {unknown[:5]}")
    return np.isin(np.asarray(labels, dtype=object), np.asarray(unseen, dtype=object))


@dataclass(frozen=True)
class ImageSpec:
    """How an image becomes the model input: squash-resized, alpha flattened onto background, 0..255."""

    width: int = 224
    height: int = 224
    background: tuple[int, int, int] = (255, 255, 255)


def load_image(path: Path, spec: ImageSpec) -> np.ndarray:
    """→ float32 [3, H, W], RGB 0..255 (bilinear squash resize; alpha flattened onto background).
    OSError naming the file if it cannot be read (folder data is checked before, sdl/checks.py)."""
    try:
        with Image.open(path) as im:
            im = im.convert("RGBA")
            canvas = Image.new("RGBA", im.size, spec.background + (255,))
            rgb = Image.alpha_composite(canvas, im).convert("RGB")
            rgb = rgb.resize((spec.width, spec.height), Image.Resampling.BILINEAR)
    except (OSError, ValueError) as e:
        raise OSError(f"{path}: unreadable image ({e})") from e
    return np.asarray(rgb, dtype=np.float32).transpose(2, 0, 1).copy()  # [H, W, 3] → [3, H, W]


class ImageDataset(Dataset):
    """(image [3, H, W] 0..255, targets [L]) pairs; optional horizontal flip for training."""

    def __init__(self, data: MultiLabelSet, spec: ImageSpec, flip: bool = False) -> None:
        self.data, self.spec, self.flip = data, spec, flip

    def __len__(self) -> int:
        return len(self.data.images)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        x = torch.from_numpy(load_image(self.data.images[i], self.spec))
        if self.flip and torch.rand(()) < 0.5:
            x = x.flip(-1)
        return x, torch.from_numpy(self.data.targets[i].astype(np.float32))
