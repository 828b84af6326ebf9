"""Run the PyTorch model of an official-format checkpoint on a raw float32 tensor file.

    python -m anytag_training.tresnet.reference --checkpoint x.pth --input in.f32 --n 6 --out out.f32

`--input` holds n x 3 x 224 x 224 float32 little-endian (already scaled to [0, 1]); `--out` gets
n x K*d float32. The converter's parity tests compare this with onnxruntime on the same tensor.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from .model import SdlTResNetM, TResNetConfig


def load_official(path: Path, cfg: TResNetConfig = TResNetConfig()) -> SdlTResNetM:
    state = torch.load(path, map_location="cpu", weights_only=True)
    model = SdlTResNetM(cfg)
    model.load_state_dict(state["model"], strict=True)
    return model.eval()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--input", type=Path, required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    x = np.fromfile(args.input, dtype="<f4").reshape(args.n, 3, args.size, args.size)
    model = load_official(args.checkpoint)
    with torch.inference_mode():
        y = model(torch.from_numpy(x)).numpy().astype("<f4")  # [n, K*d]
    y.tofile(args.out)
    print(json.dumps({"out": str(args.out), "shape": list(y.shape)}))


if __name__ == "__main__":
    main()
