"""PyTorch CPU throughput of the SDL TResNet-M on an official-format checkpoint (for bench/convert).

    python -m anytag_training.tresnet.bench --checkpoint x.pth [--batches 1 8] [--seconds 5]

Prints one JSON line: {"torch": version, "threads": n, "batch1": images/s, "batch8": images/s}.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from .reference import load_official


def images_per_second(model: torch.nn.Module, batch: int, seconds: float) -> float:
    x = torch.rand(batch, 3, 224, 224)
    with torch.inference_mode():
        model(x)  # warm-up
        runs, start = 0, time.perf_counter()
        while runs < 2 or time.perf_counter() - start < seconds:
            model(x)
            runs += 1
        return runs * batch / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    model = load_official(args.checkpoint)
    out: dict[str, object] = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    for b in args.batches:
        out[f"batch{b}"] = images_per_second(model, b, args.seconds)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
