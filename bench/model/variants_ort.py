"""Model-only speed of ONNX files in Python onnxruntime, alternating: the half of
bench/model/variants.mjs that runs outside Node. Prints one JSON object.

    python3 bench/model/variants_ort.py --input-json SPEC [--threads 2] [--rounds 6] [--runs 4] \\
        A.onnx B.onnx …

SPEC: {"name": input name, "dims": [n, 3, h, w], "scale", "mean", "std"} (the pack's input).
Each round runs every file `runs` times in turn (after one warm-up run each); per file and
round: the median wall and process-CPU milliseconds of one batch. Sessions are set up as the
engine's CPU sessions are (src-main/engine/model/session.ts): all graph optimisations, no memory
pattern, pool threads that sleep instead of spinning.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
import onnxruntime as ort


def make_session(path: str, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.enable_mem_pattern = False
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def pixels(spec: dict) -> np.ndarray:
    """Seeded random pixels 0–255 as the pack's model input: (p·scale − mean) / std."""
    dims = spec["dims"]
    raw = np.random.default_rng(0).integers(0, 256, dims).astype(np.float32)
    mean = np.asarray(spec["mean"], np.float32).reshape(1, -1, 1, 1)
    std = np.asarray(spec["std"], np.float32).reshape(1, -1, 1, 1)
    return (raw * spec["scale"] - mean) / std


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-json", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    spec = json.loads(args.input_json)
    feed = {spec["name"]: pixels(spec)}
    sessions = [make_session(f, args.threads) for f in args.files]
    for session in sessions:
        session.run(None, feed)
    rounds: list[list[dict[str, float]]] = []
    for _ in range(args.rounds):
        this_round = []
        for session in sessions:
            wall, cpu = [], []
            for _ in range(args.runs):
                w0, c0 = time.perf_counter(), time.process_time()
                session.run(None, feed)
                wall.append((time.perf_counter() - w0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            this_round.append({"wallMs": statistics.median(wall), "cpuMs": statistics.median(cpu)})
        rounds.append(this_round)
    print(json.dumps({"onnxruntime": ort.__version__, "rounds": rounds}))


if __name__ == "__main__":
    main()
