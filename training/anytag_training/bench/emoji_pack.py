"""Train the emoji SDL model on every emoji and label, and export it as a model pack.

    cd training && python -m anytag_training.bench.emoji_pack --out runs/emoji-pack

The pack: ImageNet MobileNetV2 (torch, weights from the shared ONNX) + the SDL head (K = 7,
d = 100, "kd" order), seen labels = the emoji keywords, word table = GloVe 6B 100d (the starter
pack's words.awt when built), so any other word is scored zero-shot in the app.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from ..packs.pack_writer import InputSpec
from ..sdl.data import ImageSpec, load_image
from ..sdl.export import PackInfo, export_pack
from ..sdl.features import onnx_features
from ..sdl.head import SDLHead, SDLModel
from ..sdl.mobilenet_v2 import mobilenet_v2_from_onnx
from ..sdl.train import train_sdl
from ..sdl.word_table_file import glove_word_table
from ..sdl.word_vectors import load_glove100
from .emoji import MODEL_DIR, REPO, SPEC, BenchConfig, _loader, tail_activations
from .emoji_data import build_emoji_set
from .tail_model import TailSDL


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "training" / "runs" / "emoji-pack")
    ap.add_argument("--mode", choices=["frozen", "finetune"], default="finetune")
    ap.add_argument("--k", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache-dir", type=Path, default=REPO / "training" / "data")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    bench = BenchConfig()
    words = load_glove100(cache_dir=args.cache_dir)
    data = build_emoji_set(REPO / "node_modules", words, bench.min_images)
    vectors = words.matrix(data.labels)  # [L, d]
    spec = SPEC
    torch.manual_seed(args.seed)
    # linear probe: the head on frozen features (the benchmark's "sdl-k7")
    x = onnx_features(data.images, MODEL_DIR / "model.onnx", spec, ("features", "probs"), cache_dir=args.cache_dir)["features"]
    head = SDLHead(x.shape[1], args.k, vectors.shape[1])
    train_sdl(head, _loader(x, data.targets, bench.head.batch_size, True), vectors, replace(bench.head, seed=args.seed))
    model = SDLModel(mobilenet_v2_from_onnx(MODEL_DIR / "model.onnx"), head).eval()
    if args.mode == "finetune":  # then the last blocks + head together (the benchmark's "sdl-k7-finetune")
        acts = tail_activations(data, spec, bench.finetune_blocks, args.cache_dir)
        tail = TailSDL(MODEL_DIR / "model.onnx", bench.finetune_blocks, args.k, vectors.shape[1])
        tail.head.load_state_dict(head.state_dict())
        cfg = replace(bench.finetune, seed=args.seed, backbone_lr_scale=bench.finetune_backbone_lr_scale)
        train_sdl(tail, _loader(acts, data.targets, cfg.batch_size, True), vectors, cfg)
        model = tail.full_model()
    check = np.stack([load_image(p, spec) for p in data.images[:4]])  # real emoji for the ORT check
    info = PackInfo(
        pack_id=f"emoji-sdl-mobilenetv2-k{args.k}",
        name=f"Emoji SDL (MobileNetV2, K={args.k}, GloVe 100d)",
        licence="Apache-2.0",
        source="ImageNet MobileNetV2 (google-coral/test_data, Apache-2.0) + SDL head trained by anytag training/ on Noto emoji (emoji-datasource-google, Apache-2.0) with CLDR/emojibase keywords",
        description="Tags stickers, emoji and flat icons; trained on 1,911 Noto emoji. Any English word is scored zero-shot through GloVe 6B 100d.",
    )
    pack_json = export_pack(model, args.out, info, InputSpec(name="image", width=spec.width, height=spec.height, background=spec.background, resample="pillow"), args.k, vectors.shape[1], data.labels, vectors, glove_word_table(cache_dir=args.cache_dir), check_images=check)
    smoke(args.out, data.images[:3] + [REPO.parent / "shared" / "reference" / "photos" / "parrot.jpg"], data.labels, vectors, spec)
    print(pack_json)


def smoke(pack: Path, images: list[Path], labels: list[str], vectors: np.ndarray, spec: ImageSpec) -> None:
    """Run the written model.onnx and print each image's top-5 labels."""
    manifest = json.loads((pack / "pack.json").read_text())
    k, d = manifest["output"]["k"], manifest["output"]["d"]
    session = ort.InferenceSession(str(pack / "model.onnx"), providers=["CPUExecutionProvider"])
    x = np.stack([load_image(p, spec) for p in images])
    a = session.run(["embedding"], {"image": x})[0].reshape(len(images), k, d)  # "kd" order: [n, K, d]
    s = np.einsum("nkd,ld->nkl", a, vectors).max(axis=1)  # [n, L]
    for p, row in zip(images, s):
        print(p.name, [labels[i] for i in np.argsort(-row)[:5]])


if __name__ == "__main__":
    main()
