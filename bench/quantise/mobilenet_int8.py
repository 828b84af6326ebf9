"""INT8 plans for the starter pack's MobileNetV2 branch, held to the pack build's label bar.

The pack build (training/anytag_training/packs/quantise.py) leaves the MobileNetV2 classifier of
the starter pack v2 in float because its INT8 form changes the top-10 labels on too many photos.
This study makes one INT8 model per plan, each quantising only MobileNetV2 convolutions (the face
and COCO branches stay float unless a plan names COCO), and measures what the build measures:
the photos whose top-10 seen labels by SDL score are the same set as FP32's (TopLabels.compare)
and the model-only CPU speed-up (TopLabels.speedup: batch 8, one thread, least of 7 alternating
runs). Plans (docs/model-pack.md, "Why MobileNetV2 stays float"):

- `build`: the build's own settings (per-channel INT8 weights on 7 bits, MinMax activations);
- `pointwise` / `depthwise`: only the 1×1 or only the depthwise convolutions;
- `8-bit`: as `build` with 8-bit weights; `percentile`, `entropy`: other calibrations;
- `more-photos`: MinMax over the calibration photos and 2 views of each --extra-calibration one;
- `source*`: the source TFLite's own quantisation (mobilenet_v2_1.0_224_quant.tflite, uint8,
  trained quantisation-aware): its per-tensor activation scales and zero points, and its weights
  on its own grid — `source-u8` as uint8 per tensor (exact), `source` as symmetric int8 per
  channel (exact except the 1–3 channels a layer whose q − zero point leaves ±127), with
  `-pointwise` / `-depthwise` / `+coco` (the NanoDet branch as the build quantises it) forms.

    cd training && python3 ../bench/quantise/mobilenet_int8.py --pack ../resources/packs/starter \\
        --tflite ../../shared/models/imagenet-mobilenet-v2/mobilenet_v2_1.0_224_quant.tflite \\
        --calibration ../../shared/reference/photos --check ../../shared/reference/photos \\
        --check ../../shared/reference/nus-wide/pics --package-root /tmp/photo-debs/root \\
        [--extra-calibration DIR] [--plan NAME …] [--layers]

--package-root adds the search-quality photos (bench/search-quality/photos.json) found there to
the check photos, as the pack build does. --layers adds each MobileNetV2 convolution alone in
the `source` form (top-10 only), then the 3 least sensitive together and all but the 10 or 25
most sensitive (ranked on the check photos themselves: an upper bound for unseen photos).
Prints one JSON object: {"checked", "plans": [{"plan", "int8Convs", "top10SameSet", "agreement",
"cpuSpeedup"}], "layers": {"alone": […], "sets": […]}}. ~15 s a plan on 2 loaded cores.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))

from onnxruntime.quantization import (  # noqa: E402
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)

from anytag_training.packs.quantise import find_photos  # noqa: E402
from anytag_training.packs.quantise_check import TopLabels, photo_inputs  # noqa: E402
from anytag_training.packs.quantise_plan import QUANTISED_OPS  # noqa: E402
from anytag_training.packs.quantise_trials import (  # noqa: E402
    PhotoReader,
    Quantiser,
    calibration_inputs,
)
from anytag_training.packs.tflite_reader import read_tflite  # noqa: E402


def search_quality_photos(roots: list[Path]) -> list[Path]:
    """The search-quality set's package photos found under `roots` (first root that has it)."""
    listed = json.loads((ROOT / "bench/search-quality/photos.json").read_text())["photos"]
    found = []
    for photo in listed:
        if photo["source"] == "shared":
            continue
        place = next((Path(f"{r}{photo['path']}") for r in roots
                      if Path(f"{r}{photo['path']}").is_file()), None)
        if place:
            found.append(place)
    return found


def source_convs(model: onnx.ModelProto, tflite: Path) -> list[tuple[onnx.NodeProto, Any]]:
    """(ONNX Conv, TFLite operator) pairs: every CONV_2D / DEPTHWISE_CONV_2D of the source
    matched to the ONNX convolution holding its dequantised weights (NCHW). Raises ValueError
    when one has no match (the pack's classifier is not this TFLite's conversion)."""
    graph = read_tflite(tflite)
    weights = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    convs = [n for n in model.graph.node if n.op_type == "Conv" and n.input[1] in weights]
    pairs = []
    for op in (o for o in graph.operators if o.op in ("CONV_2D", "DEPTHWISE_CONV_2D")):
        source = graph.tensors[op.inputs[1]].dequantized()
        nchw = source.transpose(3, 0, 1, 2) if op.op == "DEPTHWISE_CONV_2D" else \
            source.transpose(0, 3, 1, 2)
        match = next((c for c in convs if weights[c.input[1]].shape == nchw.shape
                      and np.array_equal(weights[c.input[1]], nchw)), None)
        if match is None:
            raise ValueError(f"no ONNX convolution has the weights of {op.op} {op.outputs[0]}")
        pairs.append((match, op))
    return pairs


def source_overrides(model: onnx.ModelProto, pairs: list, tflite: Path, chosen: set[str],
                     weights: str) -> dict[str, list[dict[str, Any]]]:
    """onnxruntime TensorQuantOverrides giving the `chosen` convolutions the source's
    quantisation: activations (input, output and a Clip/Relu after it) with the TFLite's
    uint8 scale and zero point; weights "u8" (per tensor, exact) or "s8" (per channel,
    symmetric, on the source's grid)."""
    graph = read_tflite(tflite)
    after: dict[str, list[onnx.NodeProto]] = {}
    for node in model.graph.node:
        for name in node.input:
            after.setdefault(name, []).append(node)

    def u8(t: Any) -> list[dict[str, Any]]:
        return [{"scale": np.array(t.scale[0], np.float32),
                 "zero_point": np.array(t.zero_point[0], np.uint8),
                 "quant_type": QuantType.QUInt8}]

    found: dict[str, list[dict[str, Any]]] = {}
    for conv, op in pairs:
        if conv.name not in chosen:
            continue
        x, w, y = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        found[conv.input[0]] = u8(x)
        found[conv.output[0]] = u8(y)
        for node in after.get(conv.output[0], []):
            if node.op_type in ("Clip", "Relu"):
                found[node.output[0]] = u8(y)
        if weights == "u8":
            found[conv.input[1]] = [{"scale": np.array(w.scale[0], np.float32),
                                     "zero_point": np.array(w.zero_point[0], np.uint8),
                                     "quant_type": QuantType.QUInt8}]
            continue
        steps = w.data.astype(np.int32) - int(w.zero_point[0])  # [O, kh, kw, I] or [1, kh, kw, C]
        per_channel = steps.reshape(-1, steps.shape[-1]).T if op.op == "DEPTHWISE_CONV_2D" \
            else steps.reshape(steps.shape[0], -1)
        peaks = np.abs(per_channel).max(axis=1)
        found[conv.input[1]] = [{"scale": np.array(w.scale[0] * max(1.0, p / 127), np.float32),
                                 "zero_point": np.array(0, np.int8), "quant_type": QuantType.QInt8,
                                 "axis": 0} for p in peaks]
    return found


class Study:
    """One prepared, calibrated model and its FP32 top-10 labels; `plan` makes and checks one."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        manifest = json.loads((args.pack / "pack.json").read_text())
        spec, out = manifest["input"], manifest["output"]
        fp32 = args.pack / manifest["model"]["file"]
        labels = np.fromfile(args.pack / manifest["labels"]["vectors"], dtype="<f4")
        check = sorted(set(find_photos(args.check) + search_quality_photos(args.package_root)))
        self.check = TopLabels(fp32, spec["name"], photo_inputs(check, spec),
                               labels.reshape(-1, out["d"]), out)
        calibration = calibration_inputs(find_photos(args.calibration), spec)
        self.quantiser = Quantiser(fp32, work, spec["name"], calibration)
        self.more = calibration + [
            view for photo in find_photos(args.extra_calibration)
            for view in calibration_inputs([photo], spec)[:2]]
        self.model = onnx.load(str(self.quantiser.prepared))
        self.work, self.tflite = work, args.tflite
        self.pairs = source_convs(self.model, args.tflite)
        inner = {c.name for c, _ in self.pairs[1:-1]}  # the first and classifier stay float
        branch = next(n for n, nodes in self.quantiser.branches.items() if inner <= set(nodes))
        groups = {c.name: _group(c) for c, _ in self.pairs}
        self.mobilenet = [n for n in self.quantiser.branches[branch] if n in inner]
        self.pointwise = [n for n in self.mobilenet if groups[n] == 1]
        self.depthwise = [n for n in self.mobilenet if groups[n] > 1]
        # The NanoDet branch (for `+coco`): the one the pack's graph names coco/.
        self.coco = next(nodes for name, nodes in self.quantiser.branches.items()
                         if name.startswith("coco"))

    def plan(self, name: str) -> dict[str, Any]:
        nodes = {"pointwise": self.pointwise, "depthwise": self.depthwise}.get(
            name.split("-")[-1], self.mobilenet)
        options: dict[str, Any] = {}
        if name == "8-bit":
            options = {"reduce_range": False}
        elif name in ("percentile", "entropy"):
            options = {"reduce_range": False, "method": CalibrationMethod[name.capitalize()]}
        elif name == "more-photos":
            options = {"reduce_range": False, "inputs": self.more}
        elif name.startswith("source"):
            weights = "u8" if name == "source-u8" else "s8"
            options = {"reduce_range": False, "weights": weights, "overrides": source_overrides(
                self.model, self.pairs, self.tflite, set(nodes), weights)}
        if name.endswith("+coco"):
            nodes = nodes + self.coco
        return self.measure(name, nodes, options)

    def measure(self, name: str, nodes: list[str], options: dict[str, Any],
                speed: bool = True) -> dict[str, Any]:
        """Makes the model quantising `nodes` and checks it (speed-up unless not `speed`)."""
        path = self.work / "plan.onnx"
        self.make(path, nodes, **options)
        counts = self.check.compare(path)
        found = {"plan": name, "int8Convs": len(nodes), "top10SameSet": counts["top10SameSet"],
                 "agreement": round(counts["top10SameSet"] / counts["checked"], 3)}
        return {**found, "cpuSpeedup": round(self.check.speedup(path), 2)} if speed else found

    def layers(self) -> dict[str, Any]:
        """Each MobileNetV2 convolution alone in INT8 (the `source` form), then sets of them:
        the 3 least sensitive together, all but the 10 and all but the 25 most sensitive."""
        def source(nodes: list[str]) -> dict[str, Any]:
            return {"reduce_range": False, "overrides": source_overrides(
                self.model, self.pairs, self.tflite, set(nodes), "s8")}

        alone = [self.measure(n, [n], source([n]), speed=False) for n in self.mobilenet]
        ranked = [a["plan"] for a in sorted(alone, key=lambda a: -a["top10SameSet"])]
        sets = [("3 least sensitive", ranked[:3]), ("all but 10 most sensitive", ranked[:-10]),
                ("all but 25 most sensitive", ranked[:-25])]
        return {"alone": alone, "sets": [self.measure(f"source, {what}", nodes, source(nodes))
                                         for what, nodes in sets]}


    def make(self, path: Path, nodes: list[str], reduce_range: bool = True,
             method: CalibrationMethod = CalibrationMethod.MinMax, inputs: list | None = None,
             weights: str = "s8", overrides: dict | None = None) -> None:
        """quantise_static as Quantiser.make does, quantising exactly `nodes`, with the plan's
        reduce_range, calibration method and inputs, weight type and overrides."""
        keep = [n.name for n in self.model.graph.node if n.name not in set(nodes)]
        reader = PhotoReader(self.quantiser.reader.input_name,
                             inputs or self.quantiser.reader.inputs)
        ranges = self.work / f"ranges-{method.name}-{len(reader.inputs)}.json"
        quantize_static(
            str(self.quantiser.prepared), str(path), reader, quant_format=QuantFormat.QDQ,
            per_channel=True, reduce_range=reduce_range, activation_type=QuantType.QUInt8,
            weight_type=QuantType.QUInt8 if weights == "u8" else QuantType.QInt8,
            op_types_to_quantize=list(QUANTISED_OPS), nodes_to_exclude=keep,
            calibrate_method=method, calibration_cache_path=str(ranges),
            extra_options={"ActivationSymmetric": False, "WeightSymmetric": weights != "u8",
                           "TensorQuantOverrides": overrides or {}})


def _group(conv: onnx.NodeProto) -> int:
    return next((a.i for a in conv.attribute if a.name == "group"), 1)


PLANS = ["build", "pointwise", "depthwise", "8-bit", "percentile", "entropy", "more-photos",
         "source-u8", "source", "source-pointwise", "source-depthwise", "source+coco"]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--tflite", type=Path, required=True)
    parser.add_argument("--calibration", type=Path, action="append", required=True)
    parser.add_argument("--check", type=Path, action="append", required=True)
    parser.add_argument("--package-root", type=Path, action="append", default=[])
    parser.add_argument("--extra-calibration", type=Path, action="append", default=[])
    parser.add_argument("--plan", action="append", choices=PLANS)
    parser.add_argument("--layers", action="store_true",
                        help="also each convolution alone, then the least sensitive ones")
    args = parser.parse_args()
    # onnxruntime's calibrators print their progress on stdout: keep it for the JSON alone.
    with tempfile.TemporaryDirectory(prefix="anytag-int8-study-") as temp, \
            contextlib.redirect_stdout(sys.stderr):
        study = Study(args, Path(temp))
        plans = []
        for name in args.plan or PLANS:
            if name == "more-photos" and not args.extra_calibration:
                continue
            plans.append(study.plan(name))
            print(json.dumps(plans[-1]), file=sys.stderr, flush=True)
        layers = study.layers() if args.layers else None
    print(json.dumps({"checked": len(study.check.inputs), "plans": plans,
                      **({"layers": layers} if layers else {})}, indent=2))


if __name__ == "__main__":
    main()
