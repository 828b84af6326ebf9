"""Tiny labelled folders for the training-command tests: distinct generated photos (random
blobs), Pillow variants of each (flip, crop, colour change) named <source>_<variant>.png, labels
per source photo, and a tiny AWT1 word table holding the labels (and a few other words)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageOps

from anytag_training.packs.word_table import write_word_table

LABELS = ["red", "green", "blue", "square", "circle", "sky", "tree", "water", "sand", "snow", "owl", "fox"]
WORDS = LABELS + ["other", "thing", "rock", "cat"]


def photo(seed: int, size: int = 40) -> Image.Image:
    """A distinct picture: a random background gradient and random shapes."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, (2, 2, 3)).astype(np.uint8)
    im = Image.fromarray(base).resize((size, size), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(im)
    for _ in range(4):
        x0, y0 = rng.integers(0, size - 12, 2)
        w, h = rng.integers(6, 20, 2)
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((int(x0), int(y0), int(x0 + w), int(y0 + h)), fill=colour)
    return im


def variants(im: Image.Image) -> dict[str, Image.Image]:
    w, h = im.size
    return {
        "orig": im,
        "flip": ImageOps.mirror(im),
        "crop": im.crop((2, 2, w - 3, h - 2)).resize((w, h)),
        "warm": ImageEnhance.Color(im).enhance(1.6),
    }


def labelled_folder(root: Path, sources: int, per_source: int = 4, seed: int = 0) -> dict[str, list[str]]:
    """Writes `sources` × `per_source` images + labels.tsv; returns {path: labels}."""
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    listing: dict[str, list[str]] = {}
    for s in range(sources):
        tags = [LABELS[i] for i in sorted(rng.choice(len(LABELS), size=3, replace=False))]
        for name, im in list(variants(photo(seed * 1000 + s)).items())[:per_source]:
            path = f"src{s:02d}_{name}.png"
            im.save(root / path)
            listing[path] = tags
    (root / "labels.tsv").write_text("".join(f"{p}\t{', '.join(t)}\n" for p, t in listing.items()), "utf-8")
    return listing


def word_table(path: Path, d: int = 8, seed: int = 0) -> Path:
    write_word_table(path, WORDS, np.random.default_rng(seed).normal(size=(len(WORDS), d)))
    return path


def train_args(root: Path, words: Path, out: Path, *extra: str) -> list[str]:
    """A fast frozen run on the tiny backbone (features cached under root's parent)."""
    return ["train", "--data", "folder", "--root", str(root), "--backbone", "tiny", "--mode", "frozen", "--k", "2",
            "--epochs", "3", "--batch-size", "8", "--lr", "1e-2", "--device", "cpu", "--word-table", str(words),
            "--cache-dir", str(root.parent / "cache"), "--out", str(out), *extra]
