"""An INT8 model for a pack: static quantisation (QDQ, per-channel weights), calibrated on photos.

onnxruntime runs an INT8 convolution network 2–3× faster than FP32 on a CPU with VNNI or AVX2,
for a small change in the embeddings. This module makes `model.int8.onnx` beside a pack's
model, checks it against the FP32 model on real photos (top-10 seen labels by SDL score,
s(w) = max_k ⟨A_k, w⟩, must be the same set on at least `--min-agreement` of them) and for
speed (model-only, at least `--min-speedup` × FP32), and declares it in pack.json as a model
variant for the CPU provider (docs/model-pack.md):

    "model": {"file": "model.onnx", "sha256": "…",
              "variants": [{"file": "model.int8.onnx", "sha256": "…",
                            "precision": "int8", "providers": ["cpu"]}]}

GPU providers keep the FP32 file. Mixed precision (quantise_plan.py): the head, each network's
first and last convolutions stay float; each network of the graph (a *branch*) is quantised or
kept float on its own. All branches are tried first; when that model misses the label bar, each
branch alone, then the passing ones together, fastest first (`plan_variant`).

    python3 -m anytag_training.packs.quantise --pack DIR --calibration PHOTOS
        [--check PHOTOS …] [--min-agreement 0.95] [--min-speedup 1.15] [--cache DIR]

PHOTOS is a folder (searched recursively) or one photo file. With --cache, the verdict (and
the INT8 file when declared) is kept under a key of the FP32 model's, the photos' and this
code's hashes, so a rebuild of the same pack reuses it. Prints one JSON line: {"model", "bytes",
"sha256", "calibrationImages", "checked", "top10SameSet", "top10SameOrder", "agreement",
"speedup", "quantised", "trials", "seconds", "cached"}. Exits 1 when no variant passes both
bars (the pack is then left unchanged).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .quantise_check import TopLabels, label_scores, photo_inputs, session
from .quantise_plan import head_nodes
from .quantise_trials import Quantiser, calibration_inputs, plan_variant

__all__ = ["QuantiseError", "head_nodes", "label_scores", "quantise_pack", "session"]

INT8_FILE = "model.int8.onnx"
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


class QuantiseError(RuntimeError):
    """The INT8 model could not be made or does not pass its bars; `summary`: the trials made."""

    def __init__(self, message: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.summary = summary or {}


def find_photos(places: Sequence[Path]) -> list[Path]:
    """The photos in `places`: folders searched recursively, photo files taken as they are."""
    found: set[Path] = set()
    for place in places:
        if place.is_file():
            found.add(place)
        else:
            found.update(p for p in place.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)
    return sorted(found)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def cache_key(fp32: Path, calibration: Sequence[Path], check: Sequence[Path], bars: str) -> str:
    """sha256 over the FP32 model, the photos' contents, this code and the bars (32 hex)."""
    digest = hashlib.sha256(sha256_of(fp32).encode())
    for label, photos in ((b"calibration", calibration), (b"check", check)):
        digest.update(label)
        for photo in photos:
            digest.update(sha256_of(photo).encode())
    here = Path(__file__).parent
    for source in ("quantise.py", "quantise_plan.py", "quantise_check.py", "quantise_trials.py"):
        digest.update(sha256_of(here / source).encode())
    digest.update(bars.encode())
    return digest.hexdigest()[:32]


def declare_variant(pack_dir: Path, manifest: dict[str, Any], file: str) -> None:
    """Adds (or replaces) the INT8 CPU variant in pack.json, written atomically."""
    model = manifest["model"]
    variants = [v for v in model.get("variants", []) if v["file"] != file]
    variants.append(
        {
            "file": file,
            "sha256": sha256_of(pack_dir / file),
            "precision": "int8",
            "providers": ["cpu"],
        }
    )
    model["variants"] = variants
    temp = pack_dir / "pack.json.tmp"
    temp.write_text(json.dumps(manifest, indent=2) + "\n")
    os.replace(temp, pack_dir / "pack.json")


def _make_variant(
    fp32: Path,
    partial: Path,
    spec: dict[str, Any],
    out: dict[str, Any],
    labels: np.ndarray,
    photos: tuple[list[Path], list[Path]],
    bars: tuple[float, float],
) -> dict[str, Any]:
    """Plans, makes and checks the INT8 model into `partial`. Returns the summary with
    "declared" (both bars met) and, when not, "why"."""
    calibration, check_photos = photos
    min_agreement, min_speedup = bars
    with tempfile.TemporaryDirectory(prefix="anytag-int8-") as temp:
        work = Path(temp)
        quantiser = Quantiser(fp32, work, spec["name"], calibration_inputs(calibration, spec))
        check = TopLabels(fp32, spec["name"], photo_inputs(check_photos, spec), labels, out)
        if not quantiser.branches:
            raise QuantiseError("no convolution network to quantise beyond the first and last"
                                " convolutions and the head")
        chosen, trials = plan_variant(quantiser, check, work, min_agreement)
        summary: dict[str, Any] = {
            "calibrationImages": 4 * len(calibration),
            "branches": {name: len(nodes) for name, nodes in quantiser.branches.items()},
            "trials": [t.brief() for t in trials],
        }
        if chosen is None:
            best = max(trials, key=lambda t: t.agreement)
            return {**summary, **best.counts, "declared": False, "why": (
                f"INT8 top-10 labels match FP32 on {best.agreement:.1%} of photos at best"
                f" ({best.brief()}), below {min_agreement:.0%}")}
        summary.update(chosen.counts, agreement=round(chosen.agreement, 4),
                       speedup=round(chosen.speedup, 2), quantised=chosen.quantised)
        if chosen.speedup < min_speedup:
            return {**summary, "declared": False, "why": (
                f"the INT8 model that keeps the labels ({chosen.brief()}) runs only"
                f" {chosen.speedup:.2f}× FP32, below {min_speedup}×")}
        shutil.copyfile(chosen.file, partial)
        return {**summary, "declared": True}


def quantise_pack(
    pack_dir: Path,
    calibration: Sequence[Path],
    check: Sequence[Path],
    min_agreement: float = 0.95,
    min_speedup: float = 1.15,
    cache: Path | None = None,
) -> dict[str, Any]:
    """Makes, checks and declares the pack's INT8 model; raises QuantiseError (pack unchanged)
    when no INT8 model passes both bars. `cache`: a folder for verdicts and INT8 files."""
    manifest = json.loads((pack_dir / "pack.json").read_text())
    spec, out = manifest["input"], manifest["output"]
    fp32 = pack_dir / manifest["model"]["file"]
    calibration_photos = find_photos(calibration)
    check_photos = find_photos(check)
    if not calibration_photos:
        raise QuantiseError(f"no calibration photos in {', '.join(map(str, calibration))}")
    if not check_photos:
        raise QuantiseError(f"no photos to check with in {', '.join(map(str, check))}")
    started = time.perf_counter()
    int8 = pack_dir / INT8_FILE
    partial = pack_dir / f"{INT8_FILE}.partial"
    key = cache_key(fp32, calibration_photos, check_photos, f"{min_agreement}|{min_speedup}")
    kept = cache / f"{key}.json" if cache else None
    if kept and kept.is_file():
        summary = {**json.loads(kept.read_text()), "cached": True}
        if summary["declared"]:
            shutil.copyfile(kept.with_suffix(".onnx"), partial)
    else:
        labels = np.fromfile(pack_dir / manifest["labels"]["vectors"], dtype="<f4")
        summary = _make_variant(fp32, partial, spec, out, labels.reshape(-1, out["d"]),
                                (calibration_photos, check_photos), (min_agreement, min_speedup))
        summary["cached"] = False
        summary["seconds"] = round(time.perf_counter() - started, 1)
        if kept:
            kept.parent.mkdir(parents=True, exist_ok=True)
            if summary["declared"]:
                shutil.copyfile(partial, kept.with_suffix(".onnx"))
            kept.write_text(json.dumps({**summary, "cached": None}) + "\n")
    if not summary["declared"]:
        raise QuantiseError(f'{summary["why"]}: {json.dumps(summary)}', summary)
    os.replace(partial, int8)
    declare_variant(pack_dir, manifest, INT8_FILE)
    return {"model": str(int8), "bytes": int8.stat().st_size, "sha256": sha256_of(int8),
            **summary}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--calibration", type=Path, action="append", required=True)
    parser.add_argument("--check", type=Path, action="append", default=[])
    parser.add_argument("--min-agreement", type=float, default=0.95)
    parser.add_argument("--min-speedup", type=float, default=1.15)
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args(argv)
    try:
        summary = quantise_pack(
            args.pack,
            args.calibration,
            args.check or args.calibration,
            args.min_agreement,
            args.min_speedup,
            args.cache,
        )
    except QuantiseError as error:
        print(f"quantise: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
