"""How an INT8 model compares with its FP32 model: the same top-10 labels, and how much faster.

Both checks run the models as the CPU provider would (onnxruntime, CPUExecutionProvider).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps

RESAMPLE = {
    "nearest": Image.Resampling.NEAREST,
    "linear": Image.Resampling.BILINEAR,
    "cubic": Image.Resampling.BICUBIC,
    "mitchell": Image.Resampling.BICUBIC,
    "lanczos3": Image.Resampling.LANCZOS,
}
TOP = 10
BATCH = 8


def model_input(image: Image.Image, spec: dict[str, Any]) -> np.ndarray:
    """One photo as the pack's model input: [3, h, w] float32, x = (p·scale − mean) / std.

    Squash resize with the pack's kernel, as the app does for `resize: squash` packs.
    Raises ValueError for another resize mode.
    """
    if spec["resize"] != "squash":
        raise ValueError(f'input.resize "{spec["resize"]}" is not supported here (squash only)')
    rgb = image.convert("RGB").resize((spec["width"], spec["height"]), RESAMPLE[spec["kernel"]])
    mean = np.asarray(spec["mean"], dtype=np.float32)
    std = np.asarray(spec["std"], dtype=np.float32)
    hwc = (np.asarray(rgb, dtype=np.float32) * spec["scale"] - mean) / std  # [h, w, 3]
    return np.ascontiguousarray(hwc.transpose(2, 0, 1))  # [3, h, w]


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


class TopLabels:
    """The FP32 model's top-10 labels on the check photos, to hold INT8 models against.

    inputs: [n, 3, h, w] model inputs; labels: [L, d] seen label vectors; output: the pack's
    output spec (name, k, d, order)."""

    def __init__(
        self,
        fp32: Path,
        input_name: str,
        inputs: np.ndarray,
        labels: np.ndarray,
        output: dict[str, Any],
    ) -> None:
        self.input_name, self.inputs, self.labels, self.output = input_name, inputs, labels, output
        self.fp32 = fp32
        self.reference = self._tops(fp32)

    def _tops(self, model: Path) -> np.ndarray:
        run = session(model)
        out = self.output
        tops = []
        for start in range(0, len(self.inputs), BATCH):
            feed = {self.input_name: self.inputs[start : start + BATCH]}
            result = run.run([out["name"]], feed)[0]
            scores = label_scores(result, self.labels, out["k"], out["d"], out["order"])
            tops.append(np.argsort(-scores, axis=1, kind="stable")[:, :TOP])
        return np.concatenate(tops)  # [n, TOP] label indices, best first

    def compare(self, int8: Path) -> dict[str, Any]:
        """{checked, top10SameSet, top10SameOrder, differ: [photo index…]} of `int8` vs FP32."""
        tops = self._tops(int8)
        same_set = [set(a.tolist()) == set(b.tolist()) for a, b in zip(self.reference, tops)]
        same_order = [bool(np.array_equal(a, b)) for a, b in zip(self.reference, tops)]
        return {
            "checked": len(tops),
            "top10SameSet": sum(same_set),
            "top10SameOrder": sum(same_order),
            "differ": [i for i, same in enumerate(same_set) if not same],
        }

    def speedup(self, int8: Path, rounds: int = 7, threads: int = 1) -> float:
        """Model-only FP32 / INT8 CPU time (this process's, so other work on the machine does
        not count) for one batch of 8 check photos: the least of `rounds` alternating runs
        each, one thread, after a warm-up run."""
        feed = {self.input_name: self.inputs[:BATCH]}
        runs = [session(self.fp32, threads), session(int8, threads)]
        times: list[list[float]] = [[], []]
        for run in runs:
            run.run(None, feed)
        for _ in range(rounds):
            for run, taken in zip(runs, times):
                start = time.process_time()
                run.run(None, feed)
                taken.append(time.process_time() - start)
        return min(times[0]) / max(min(times[1]), 1e-9)


def photo_inputs(photos: Sequence[Path], spec: dict[str, Any]) -> np.ndarray:
    """[n, 3, h, w] model inputs of the photos, EXIF orientation applied."""
    inputs = []
    for path in photos:
        with Image.open(path) as opened:
            inputs.append(model_input(ImageOps.exif_transpose(opened), spec))
    return np.stack(inputs)
