"""An INT8 model for a pack: static quantisation (QDQ, per-channel weights), calibrated on photos.

onnxruntime runs an INT8 convolution network 2–3× faster than FP32 on a CPU with VNNI or AVX2,
for a small change in the embeddings. This module makes `model.int8.onnx` beside a pack's
model, checks it against the FP32 model on real photos (top-10 seen labels by SDL score,
s(w) = max_k ⟨A_k, w⟩, must be the same set on at least `--min-agreement` of them), and
declares it in pack.json as a model variant for the CPU provider (docs/model-pack.md):

    "model": {"file": "model.onnx", "sha256": "…",
              "variants": [{"file": "model.int8.onnx", "sha256": "…",
                            "precision": "int8", "providers": ["cpu"]}]}

GPU providers keep the FP32 file. Only the backbone's convolutions and matrix products are
quantised; the head (from the last global pooling on: classifier or SDL head, softmax, top-k)
stays in float, where INT8 rounding would reorder near-tied labels for little speed.

    python3 -m anytag_training.packs.quantise --pack DIR --calibration PHOTOS_DIR
        [--check PHOTOS_DIR …] [--min-agreement 0.95]

Prints one JSON line: {"model", "bytes", "sha256", "calibrationImages", "checked",
"top10SameSet", "top10SameOrder", "agreement"}. Exits 1 when the agreement is below the bar
(the pack is then left unchanged).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process
from PIL import Image, ImageOps

INT8_FILE = "model.int8.onnx"
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
RESAMPLE = {
    "nearest": Image.Resampling.NEAREST,
    "linear": Image.Resampling.BILINEAR,
    "cubic": Image.Resampling.BICUBIC,
    "mitchell": Image.Resampling.BICUBIC,
    "lanczos3": Image.Resampling.LANCZOS,
}


class QuantiseError(RuntimeError):
    """The INT8 model could not be made or does not agree with the FP32 model."""


def find_photos(folders: Sequence[Path]) -> list[Path]:
    return sorted(
        p for folder in folders for p in folder.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES
    )


def model_input(image: Image.Image, spec: dict[str, Any]) -> np.ndarray:
    """One photo as the pack's model input: [3, h, w] float32, x = (p·scale − mean) / std.

    Squash resize with the pack's kernel, as the app does for `resize: squash` packs.
    """
    if spec["resize"] != "squash":
        raise QuantiseError(f'input.resize "{spec["resize"]}" is not supported here (squash only)')
    rgb = image.convert("RGB").resize((spec["width"], spec["height"]), RESAMPLE[spec["kernel"]])
    mean = np.asarray(spec["mean"], dtype=np.float32)
    std = np.asarray(spec["std"], dtype=np.float32)
    hwc = (np.asarray(rgb, dtype=np.float32) * spec["scale"] - mean) / std  # [h, w, 3]
    return np.ascontiguousarray(hwc.transpose(2, 0, 1))  # [3, h, w]


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


POOLING = {"GlobalAveragePool", "GlobalMaxPool", "ReduceMean"}


def head_nodes(model: onnx.ModelProto) -> list[str]:
    """Names of the nodes from the last global pooling on (the head), to keep in float.

    The last one: squeeze-and-excitation blocks (TResNet) pool inside the backbone too.
    """
    nodes = list(model.graph.node)
    first = next((n for n in reversed(nodes) if n.op_type in POOLING), None)
    if first is None:
        return []
    tainted = set(first.output)
    head = [first.name]
    for node in nodes[nodes.index(first) + 1 :]:  # graph nodes are topologically sorted
        if tainted.intersection(node.input):
            tainted.update(node.output)
            head.append(node.name)
    return head


def quantise_model(fp32: Path, int8: Path, input_name: str, inputs: Sequence[np.ndarray]) -> None:
    """Static QDQ quantisation of the backbone: per-channel INT8 weights, UINT8 activations
    (MinMax ranges over the calibration inputs); the head stays float (head_nodes)."""
    with tempfile.TemporaryDirectory() as work:
        prepared = Path(work) / "prepared.onnx"
        quant_pre_process(str(fp32), str(prepared), skip_symbolic_shape=True)
        quantize_static(
            str(prepared),
            str(int8),
            PhotoReader(input_name, inputs),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["Conv", "MatMul", "Gemm"],
            nodes_to_exclude=head_nodes(onnx.load(str(prepared))),
            calibrate_method=CalibrationMethod.MinMax,
            extra_options={"ActivationSymmetric": False, "WeightSymmetric": True},
        )


def session(model: Path, threads: int = 0) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def label_scores(
    output: np.ndarray, labels: np.ndarray, k: int, d: int, order: str
) -> np.ndarray:
    """SDL scores of every seen label: output [n, k·d] → [n, labels], s = max_k ⟨A_k, w⟩."""
    n = output.shape[0]
    matrices = output.reshape(n, k, d) if order == "kd" else output.reshape(n, d, k).swapaxes(1, 2)
    return np.einsum("nkd,ld->nlk", matrices, labels).max(axis=2)  # [n, labels]


def compare(
    fp32: Path,
    int8: Path,
    input_name: str,
    output_name: str,
    inputs: Sequence[np.ndarray],
    labels: np.ndarray,
    output_spec: dict[str, Any],
) -> dict[str, int]:
    """How many photos keep the FP32 model's top-10 labels (as a set, and in order) in INT8."""
    a, b = session(fp32), session(int8)
    same_set = same_order = 0
    for pixels in inputs:
        feed = {input_name: pixels[None]}
        scores = [
            label_scores(s.run([output_name], feed)[0], labels, **output_spec)[0] for s in (a, b)
        ]
        tops = [np.argsort(-s, kind="stable")[:10] for s in scores]
        same_set += int(set(tops[0].tolist()) == set(tops[1].tolist()))
        same_order += int(np.array_equal(tops[0], tops[1]))
    return {"checked": len(inputs), "top10SameSet": same_set, "top10SameOrder": same_order}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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


def quantise_pack(
    pack_dir: Path,
    calibration: Sequence[Path],
    check: Sequence[Path],
    min_agreement: float = 0.95,
) -> dict[str, Any]:
    """Makes, checks and declares the pack's INT8 model; raises QuantiseError below the bar."""
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
    quantise_model(fp32, partial, spec["name"], calibration_inputs(calibration_photos, spec))
    labels = np.fromfile(pack_dir / manifest["labels"]["vectors"], dtype="<f4")
    labels = labels.reshape(-1, out["d"])  # [labels, d]
    checked_inputs = []
    for path in check_photos:
        with Image.open(path) as opened:
            checked_inputs.append(model_input(ImageOps.exif_transpose(opened), spec))
    counts = compare(
        fp32,
        partial,
        spec["name"],
        out["name"],
        checked_inputs,
        labels,
        {"k": out["k"], "d": out["d"], "order": out["order"]},
    )
    agreement = counts["top10SameSet"] / counts["checked"]
    summary = {
        "model": str(int8),
        "bytes": partial.stat().st_size,
        "calibrationImages": 4 * len(calibration_photos),
        **counts,
        "agreement": round(agreement, 4),
    }
    if agreement < min_agreement:
        partial.unlink()
        raise QuantiseError(
            f"INT8 top-10 labels match FP32 on {agreement:.1%} of photos, below {min_agreement:.0%}"
            f": {json.dumps(summary)}"
        )
    os.replace(partial, int8)
    declare_variant(pack_dir, manifest, INT8_FILE)
    summary["sha256"] = sha256_of(int8)
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--calibration", type=Path, action="append", required=True)
    parser.add_argument("--check", type=Path, action="append", default=[])
    parser.add_argument("--min-agreement", type=float, default=0.95)
    args = parser.parse_args(argv)
    try:
        summary = quantise_pack(
            args.pack, args.calibration, args.check or args.calibration, args.min_agreement
        )
    except QuantiseError as error:
        print(f"quantise: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
