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
"speedup", "quantised", "trials", "cached"}. Exits 1 when no variant passes both bars (the pack
is then left unchanged).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process
from PIL import Image, ImageOps

from .quantise_check import TopLabels, label_scores, model_input, photo_inputs, session
from .quantise_plan import QUANTISED_OPS, always_float, branches, head_nodes

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


def calibration_inputs(photos: Sequence[Path], spec: dict[str, Any]) -> list[np.ndarray]:
    """Each photo as shown, mirrored, and as two centre crops (80 %, 60 %): 4 inputs a photo."""
    inputs: list[np.ndarray] = []
    for path in photos:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        w, h = image.size
        views = [image, ImageOps.mirror(image)]
        for share in (0.8, 0.6):
            cw, ch = int(w * share), int(h * share)
            left, top = (w - cw) // 2, (h - ch) // 2
            views.append(image.crop((left, top, left + cw, top + ch)))
        inputs += [model_input(view, spec) for view in views]
    return inputs


class PhotoReader(CalibrationDataReader):
    """Feeds the calibration inputs to onnxruntime's calibrator, one image per run."""

    def __init__(self, input_name: str, inputs: Sequence[np.ndarray]) -> None:
        self.input_name = input_name
        self.inputs = inputs
        self.rewind()

    def get_next(self) -> dict[str, np.ndarray] | None:
        item = next(self.iterator, None)
        return None if item is None else {self.input_name: item[None]}

    def rewind(self) -> None:
        self.iterator: Iterator[np.ndarray] = iter(self.inputs)


class Quantiser:
    """Static QDQ quantisation of one prepared FP32 model, calibrated once: per-channel INT8
    weights on a 7-bit range (reduce_range: no saturation on AVX2 CPUs without VNNI), UINT8
    activations with MinMax ranges over the calibration inputs (kept in `work`)."""

    def __init__(self, fp32: Path, work: Path, input_name: str, inputs: Sequence[np.ndarray]):
        self.prepared = work / "prepared.onnx"
        self.ranges = work / "calibration.json"
        self.reader = PhotoReader(input_name, inputs)
        quant_pre_process(str(fp32), str(self.prepared), skip_symbolic_shape=True)
        model = onnx.load(str(self.prepared))
        self.keep_float = always_float(model)
        self.branches = branches(model)

    def make(self, int8: Path, quantised: Sequence[str]) -> None:
        """Writes `int8` with the named branches quantised (the rest float)."""
        exclude = list(self.keep_float)
        for name, nodes in self.branches.items():
            if name not in quantised:
                exclude += nodes
        quantize_static(
            str(self.prepared),
            str(int8),
            self.reader,
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            reduce_range=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=list(QUANTISED_OPS),
            nodes_to_exclude=exclude,
            calibrate_method=CalibrationMethod.MinMax,
            calibration_cache_path=str(self.ranges),
            extra_options={"ActivationSymmetric": False, "WeightSymmetric": True},
        )


@dataclass
class Trial:
    quantised: list[str]
    file: Path
    counts: dict[str, Any]
    speedup: float

    @property
    def agreement(self) -> float:
        return self.counts["top10SameSet"] / max(1, self.counts["checked"])

    def brief(self) -> dict[str, Any]:
        return {
            "quantised": self.quantised,
            "top10SameSet": self.counts["top10SameSet"],
            "speedup": round(self.speedup, 2),
        }


def plan_variant(
    quantiser: Quantiser, check: TopLabels, work: Path, min_agreement: float
) -> tuple[Trial | None, list[Trial]]:
    """The INT8 model with the most branches quantised that keeps the labels (≥ min_agreement).

    All branches first; else each branch alone, then the passing ones added fastest first,
    each kept only while the labels hold. Returns (the chosen trial or None, every trial)."""
    trials: list[Trial] = []

    def trial(names: list[str]) -> Trial:
        path = work / f"trial{len(trials)}.onnx"
        quantiser.make(path, names)
        made = Trial(names, path, check.compare(path), check.speedup(path))
        trials.append(made)
        return made

    every = trial(list(quantiser.branches))
    if every.agreement >= min_agreement or len(quantiser.branches) < 2:
        return (every if every.agreement >= min_agreement else None), trials
    alone = [trial([name]) for name in quantiser.branches]
    passing = sorted((t for t in alone if t.agreement >= min_agreement), key=lambda t: -t.speedup)
    chosen = passing[0] if passing else None
    for single in passing[1:]:
        together = trial(chosen.quantised + single.quantised)  # type: ignore[union-attr]
        if together.agreement >= min_agreement:
            chosen = together
    return chosen, trials


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
    for source in ("quantise.py", "quantise_plan.py", "quantise_check.py"):
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
