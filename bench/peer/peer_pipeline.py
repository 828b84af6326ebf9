"""The Python peer of `anytag index`: what a user would otherwise run to tag photos locally.

It is the pipeline of Immich's machine-learning service, doing the same work per photo as
Anytag's indexer: read the file, sha256 it, decode with Pillow in JPEG draft mode (DCT-domain
shrink-on-load), apply the EXIF orientation, write a JPEG thumbnail (longer side 320 px, quality
80), resize to the model's input as the pack's pack.json says (the starter pack: 224×224 squash,
bilinear, x = p·scale − mean over std) and run the same ONNX model with onnxruntime in batches of 8. Decoding runs on a pool of `--threads`
threads (Pillow releases the GIL while it decodes) ahead of the model, which uses `--threads`
intra-op threads. The embeddings are written to one .npy file at the end.

    python3 bench/peer/peer_pipeline.py --photos DIR --pack PACK_DIR --out DIR
        [--threads 2] [--batch 8] [--thumb 320]

Prints one JSON line: {"photos", "seconds", "imagesPerSecond"}. Only the project's pinned
Python requirements (Pillow, numpy, onnxruntime) are used.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps


@dataclass(frozen=True)
class PeerConfig:
    """Sizes in pixels; threads for both the decode pool and onnxruntime's intra-op pool."""

    thumb: int
    width: int
    height: int
    scale: float
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    threads: int
    batch: int

    @staticmethod
    def from_pack(pack: dict, thumb: int, threads: int, batch: int) -> "PeerConfig":
        spec = pack["input"]
        if spec["resize"] != "squash" or spec["layout"] != "NCHW":
            raise SystemExit("peer_pipeline: only squash-resized NCHW packs are supported")
        return PeerConfig(
            thumb=thumb,
            width=spec["width"],
            height=spec["height"],
            scale=spec["scale"],
            mean=tuple(spec["mean"]),
            std=tuple(spec["std"]),
            threads=threads,
            batch=batch,
        )


@dataclass(frozen=True)
class Prepared:
    """One photo ready for the model: its content hash and [3, size, size] float32 input."""

    path: Path
    sha256: str
    pixels: np.ndarray


def prepare(path: Path, thumbs: Path, config: PeerConfig) -> Prepared:
    """Read → sha256 → draft decode → EXIF transpose → thumbnail file → model input."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    with Image.open(io.BytesIO(data)) as image:
        # Draft mode: libjpeg scales by 1/2, 1/4 or 1/8 while decoding, to the smallest size
        # that still covers the request in both dimensions.
        side = max(config.thumb, config.width, config.height)
        image.draft("RGB", (side, side))
        rgb = ImageOps.exif_transpose(image).convert("RGB")
    thumb = rgb.copy()
    thumb.thumbnail((config.thumb, config.thumb), Image.Resampling.BILINEAR)
    shard = thumbs / digest[:2]
    shard.mkdir(parents=True, exist_ok=True)
    thumb.save(shard / f"{digest}.jpg", "JPEG", quality=80)
    model_input = rgb.resize((config.width, config.height), Image.Resampling.BILINEAR)
    mean = np.asarray(config.mean, dtype=np.float32)
    std = np.asarray(config.std, dtype=np.float32)
    hwc = (np.asarray(model_input, dtype=np.float32) * config.scale - mean) / std  # [h, w, 3]
    pixels = hwc.transpose(2, 0, 1)  # [3, h, w]
    return Prepared(path, digest, np.ascontiguousarray(pixels))


def find_photos(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg"})


def run(photos: Path, model: Path, out: Path, config: PeerConfig) -> dict[str, float]:
    """Indexes every JPEG under `photos`; returns the photo count and the wall time."""
    started = time.perf_counter()
    options = ort.SessionOptions()
    options.intra_op_num_threads = config.threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    files = find_photos(photos)
    thumbs = out / "thumbnails"
    embeddings: list[np.ndarray] = []
    hashes: list[str] = []
    with ThreadPoolExecutor(max_workers=config.threads) as pool:
        prepared = pool.map(lambda p: prepare(p, thumbs, config), files)
        batch: list[Prepared] = []
        for item in prepared:
            batch.append(item)
            if len(batch) == config.batch:
                embeddings.append(run_batch(session, input_name, batch))
                hashes += [b.sha256 for b in batch]
                batch = []
        if batch:
            embeddings.append(run_batch(session, input_name, batch))
            hashes += [b.sha256 for b in batch]
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "embeddings.npy", np.concatenate(embeddings))
    (out / "hashes.json").write_text(json.dumps(hashes))
    seconds = time.perf_counter() - started
    return {
        "photos": len(files),
        "seconds": round(seconds, 3),
        "imagesPerSecond": round(len(files) / seconds, 2),
    }


def run_batch(session: ort.InferenceSession, input_name: str, batch: list[Prepared]) -> np.ndarray:
    pixels = np.stack([b.pixels for b in batch])  # [n, 3, h, w]
    (output,) = session.run(None, {input_name: pixels})[:1]
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=Path, required=True)
    parser.add_argument("--pack", type=Path, required=True, help="a model pack folder")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--thumb", type=int, default=320)
    args = parser.parse_args()
    pack = json.loads((args.pack / "pack.json").read_text())
    config = PeerConfig.from_pack(pack, args.thumb, args.threads, args.batch)
    model = args.pack / pack["model"]["file"]
    print(json.dumps(run(args.photos, model, args.out, config)))


if __name__ == "__main__":
    main()
