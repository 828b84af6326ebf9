"""Making and trying INT8 models of one FP32 model: calibration, quantisation, the branch search.

`Quantiser` prepares the FP32 model once and calibrates it once (MinMax ranges cached in its
work folder); `plan_variant` tries branch sets (quantise_plan.py) against the FP32 model's
top-10 labels and speed (quantise_check.py).
"""

from __future__ import annotations

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

from .quantise_check import TopLabels, model_input
from .quantise_plan import QUANTISED_OPS, always_float, branches


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


def name_nodes(model: onnx.ModelProto) -> bool:
    """Gives every unnamed or same-named node a unique name (the plan and onnxruntime's
    nodes_to_exclude go by name). Returns whether any name changed."""
    seen: set[str] = set()
    changed = False
    for i, node in enumerate(model.graph.node):
        if not node.name or node.name in seen:
            node.name = f"{node.name or node.op_type}#{i}"
            changed = True
        seen.add(node.name)
    return changed


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
        if name_nodes(model):
            onnx.save(model, str(self.prepared))
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


def improves(candidate: Trial, chosen: Trial, min_agreement: float) -> bool:
    """Whether `candidate` (more branches INT8) should replace `chosen`: it keeps the labels
    (top-10 agreement ≥ min_agreement) and runs at least as fast (speed-up over FP32)."""
    return candidate.agreement >= min_agreement and candidate.speedup >= chosen.speedup


def plan_variant(
    quantiser: Quantiser, check: TopLabels, work: Path, min_agreement: float
) -> tuple[Trial | None, list[Trial]]:
    """The INT8 model with the most branches quantised that keeps the labels (≥ min_agreement).

    All branches first; else each branch alone, then the passing ones added fastest first,
    each kept only while the labels hold and the model gets no slower (`improves`): a branch
    whose INT8 form runs slower than FP32 (MediaPipe's face detector here) is left float.
    Returns (the chosen trial or None, every trial)."""
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
        if improves(together, chosen, min_agreement):  # type: ignore[arg-type]
            chosen = together
    return chosen, trials
