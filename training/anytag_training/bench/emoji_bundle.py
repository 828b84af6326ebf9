"""A compact, self-contained copy of the emoji benchmark's inputs, for a machine without
node_modules or ../shared (e.g. a rented GPU):

    cd training && python -m anytag_training.bench.emoji_bundle --out ../.gpu-train
    python -m anytag_training.bench.emoji --bundle ../.gpu-train …

Layout: `emoji.npz` (compressed: image file names, labels, targets, the GloVe rows of the label
words and of the ImageNet class-name tokens, the cached ONNX `features` / `probs`), `images/`
(the 64 px PNGs used), `shared/` (model.onnx, imagenet_labels.txt, the NUS-WIDE labels.json —
the same layout as ../shared). Read back, it gives the same data, words and features as the
npm + shared build.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np

from ..sdl.data import MultiLabelSet
from ..sdl.word_vectors import TOKEN, WordVectors

MODEL_SUBDIR = Path("shared") / "models" / "imagenet-mobilenet-v2"
NUS_SUBPATH = Path("shared") / "reference" / "nus-wide" / "labels.json"


def _words_needed(labels: list[str], imagenet_labels: Path, words: WordVectors) -> list[str]:
    """Label tokens + every known token of the ImageNet class names (so ConSE sees the same vectors)."""
    need = {t for label in labels for t in TOKEN.findall(label.lower())}
    for line in imagenet_labels.read_text("utf-8").splitlines():
        for lemma in line.split(","):
            need.update(TOKEN.findall(lemma.strip().replace("-", " ").replace("'", "").lower()))
    return sorted(w for w in need if w in words.index)


def write_bundle(out: Path, data: MultiLabelSet, words: WordVectors, feats: dict[str, np.ndarray], model_dir: Path, nus_labels: Path) -> None:
    names = [p.name for p in data.images]
    if len(set(names)) != len(names):
        raise ValueError("image file names must be unique")
    (out / "images").mkdir(parents=True, exist_ok=True)
    for p in data.images:
        shutil.copyfile(p, out / "images" / p.name)
    for src, dst in ((model_dir / "model.onnx", MODEL_SUBDIR / "model.onnx"), (model_dir / "imagenet_labels.txt", MODEL_SUBDIR / "imagenet_labels.txt"), (nus_labels, NUS_SUBPATH)):
        (out / dst).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out / dst)
    vocab = _words_needed(data.labels, model_dir / "imagenet_labels.txt", words)
    np.savez_compressed(
        out / "emoji.npz",
        images=np.array(names),
        labels=np.array(data.labels),
        targets=data.targets,
        words=np.array(vocab),
        vectors=words.vectors[[words.index[w] for w in vocab]].astype(np.float16),  # the glove cache's precision
        **{k: v.astype(np.float32) for k, v in feats.items()},
    )


def read_bundle(bundle: Path) -> tuple[MultiLabelSet, WordVectors, dict[str, np.ndarray]]:
    """→ (data, words, {"features": [M, 1280], "probs": [M, 1001]})."""
    z = np.load(bundle / "emoji.npz")
    data = MultiLabelSet([bundle / "images" / str(n) for n in z["images"]], [str(l) for l in z["labels"]], z["targets"])
    words = WordVectors([str(w) for w in z["words"]], z["vectors"].astype(np.float32))
    return data, words, {"features": z["features"], "probs": z["probs"]}


def main(argv: list[str] | None = None) -> None:
    from ..sdl.features import onnx_features
    from ..sdl.word_vectors import load_glove100
    from .emoji import MODEL_DIR, NUS_LABELS, REPO, SPEC, BenchConfig
    from .emoji_data import build_emoji_set

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--node-modules", type=Path, default=REPO / "node_modules")
    ap.add_argument("--cache-dir", type=Path, default=REPO / "training" / "data")
    args = ap.parse_args(argv)
    words = load_glove100(cache_dir=args.cache_dir)
    data = build_emoji_set(args.node_modules, words, BenchConfig().min_images)
    feats = onnx_features(data.images, MODEL_DIR / "model.onnx", SPEC, ("features", "probs"), cache_dir=args.cache_dir)
    write_bundle(args.out, data, words, feats, MODEL_DIR, NUS_LABELS)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {args.out}: {len(data.images)} images, {len(data.labels)} labels, {size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
