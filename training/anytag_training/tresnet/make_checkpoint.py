"""Write a random-weight checkpoint in the official ZS_SDL format (for tests and benchmarks).

    python -m anytag_training.tresnet.make_checkpoint --out x.pth --seed 0 [--labels labels.json]

Format: torch.save({'model': state_dict, 'num_classes': N, 'idx_to_class': {i: name}}), the
zip serialisation. Weights are random but scaled so activations stay finite through the network;
InPlaceABN weights get random signs so the |gamma| + eps rule is exercised.
"""

from __future__ import annotations

import argparse
import json
import math
import zipfile
from pathlib import Path

import torch

from .model import SdlTResNetM, TResNetConfig


def random_state_dict(seed: int, cfg: TResNetConfig = TResNetConfig()) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    sd = SdlTResNetM(cfg).state_dict()
    out = sd  # keep the OrderedDict and its _metadata, as model.state_dict() pickles them
    for key, t in list(sd.items()):
        shape = t.shape
        if key.endswith("running_mean"):
            v = torch.randn(shape, generator=g) * 0.1
        elif key.endswith("running_var"):
            v = torch.rand(shape, generator=g) * 1.5 + 0.5
        elif t.dim() == 1 and key.endswith(".bias"):
            v = torch.randn(shape, generator=g) * 0.1
        elif t.dim() == 1:  # InPlaceABN weight: random sign, smaller on residual branches' last norm
            last = ".conv2.1." in key and "layer1" in key or ".conv3.1." in key or "layer2" in key and ".conv2.1." in key
            mag = torch.rand(shape, generator=g) * (0.2 if last else 1.0) + (0.05 if last else 0.5)
            v = mag * torch.where(torch.rand(shape, generator=g) < 0.5, -1.0, 1.0)
        else:  # conv / linear weights: He-normal on fan-in
            fan_in = math.prod(shape[1:])
            v = torch.randn(shape, generator=g) * math.sqrt(2.0 / fan_in)
        out[key] = v.contiguous()
    return out


def save_official(path: Path, state_dict: dict[str, torch.Tensor], labels: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": state_dict, "num_classes": len(labels), "idx_to_class": dict(enumerate(labels))}, path)


def centre_embedding(sd: dict[str, torch.Tensor], cfg: TResNetConfig, seed: int, n: int = 16) -> None:
    """Makes a random network's output depend on the picture: projects the mean pooled feature of
    n seeded calibration images (smooth random colour fields) out of the embedding head,
    W <- W (I - m m^T) with m the unit mean feature. A random TResNet maps every picture near one
    common point, so without this its top labels are the same for any picture and cannot tell
    two input pipelines apart."""
    model = SdlTResNetM(cfg)
    model.load_state_dict(sd, strict=True)
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.nn.functional.interpolate(torch.rand(n, 3, 8, 8, generator=g), size=(224, 224), mode="bilinear")
    with torch.inference_mode():
        model.eval()
        features = x
        for name, module in model.named_children():
            if name != "embedding":
                features = module(features)  # ends [n, features] after global_avg_pool
    m = features.mean(0)
    m = m / m.norm()
    w = sd["embedding.weight"]  # [K*d, features]
    sd["embedding.weight"] = (w - (w @ m)[:, None] * m[None, :]).contiguous()


VARIANTS = ("official", "centred", "half", "small", "foreign-class", "short-storage", "legacy")


def save_variant(path: Path, variant: str, seed: int, labels: list[str]) -> int:
    """Official checkpoints and the broken ones the converter must refuse (for its tests):
    centred = official, with an embedding head whose output depends on the picture (see
    centre_embedding);
    half = float16 storages; small = another architecture (TResNet with 1 block per stage);
    foreign-class = an extra pickled Python object; short-storage = one storage cut short;
    legacy = the pre-1.6 torch.save format (not a zip)."""
    cfg = TResNetConfig(layers=(1, 1, 1, 1)) if variant in ("small", "legacy") else TResNetConfig()
    sd = random_state_dict(seed, cfg)
    if variant == "centred":
        centre_embedding(sd, cfg, seed)
    if variant == "half":
        for k in list(sd):
            sd[k] = sd[k].half()
    path.parent.mkdir(parents=True, exist_ok=True)
    if variant == "foreign-class":
        torch.save({"model": sd, "num_classes": len(labels), "args": argparse.Namespace(lr=1e-4)}, path)
        return len(sd)
    if variant == "legacy":
        torch.save({"model": sd, "num_classes": len(labels)}, path, _use_new_zipfile_serialization=False)
        return len(sd)
    save_official(path, sd, labels)
    if variant == "short-storage":
        cut_one_storage(path)
    return len(sd)


def cut_one_storage(path: Path) -> None:
    """Rewrite the zip with the last storage entry halved (a damaged download that still unzips)."""
    src = zipfile.ZipFile(path)
    names = src.namelist()
    victim = max((n for n in names if "/data/" in n), key=lambda n: int(n.rsplit("/", 1)[1]))
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as dst:
        for n in names:
            data = src.read(n)
            dst.writestr(n, data[: len(data) // 2] if n == victim else data)
    src.close()
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--labels", type=Path, help='labels.json with {"labels": [...]}; default label0..label1005')
    ap.add_argument("--variant", choices=VARIANTS, default="official")
    args = ap.parse_args()
    labels = json.loads(args.labels.read_text())["labels"] if args.labels else [f"label{i}" for i in range(1006)]
    entries = save_variant(args.out, args.variant, args.seed, labels)
    print(json.dumps({"out": str(args.out), "entries": entries, "variant": args.variant}))


if __name__ == "__main__":
    main()
