"""Write a model pack folder (docs/model-pack.md, format 1).

`write_pack` is the one way training code makes a pack: the starter pack and the SDL export
both call it. It copies the ONNX file and the word table in, writes the seen labels, hashes
every file, and writes pack.json last and atomically (temp file + rename), so a folder whose
pack.json exists always describes complete files; a half-written pack is never valid.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .word_table import HEADER, MAGIC

FORMAT = 1
PACK_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
Resize = Literal["squash", "cover", "contain"]
Kernel = Literal["nearest", "linear", "cubic", "mitchell", "lanczos3"]
# Whose resize feeds the model: the app's libvips, or Pillow's Image.resize (what training uses).
Resample = Literal["libvips", "pillow"]
Order = Literal["kd", "dk"]


class PackError(ValueError):
    """An argument to write_pack breaks the pack contract; the message names the field."""


@dataclass(frozen=True)
class InputSpec:
    """pack.json `input`: x = (pixel0..255 * scale - mean[c]) / std[c], layout NCHW."""

    name: str
    width: int
    height: int
    resize: Resize = "squash"
    kernel: Kernel = "linear"
    resample: Resample = "libvips"
    scale: float = 1.0
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)
    background: tuple[int, int, int] = (255, 255, 255)
    layout: Literal["NCHW"] = "NCHW"


@dataclass(frozen=True)
class OutputSpec:
    """pack.json `output`: K principal vectors of dimension d; order "kd" or "dk" (official SDL)."""

    name: str
    k: int
    d: int
    order: Order = "kd"
    # The rows computed from pixel statistics (a photo's look), which the app zeroes for a photo
    # whose decode was damaged (its pixels are partly a fill); written only when not empty.
    pixel_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class LabelEntry:
    """One seen label: lowercase display name (spaces, not underscores), optional specificity,
    optional broader labels (the names of every label it implies: a dog is a canine, a mammal…).
    """

    name: str
    specificity: int | None = None
    broader: tuple[str, ...] | None = None


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as src:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _output_json(spec: OutputSpec) -> dict[str, Any]:
    """pack.json `output`: pixelRows (camelCase) only when the pack has such rows."""
    out: dict[str, Any] = {"name": spec.name, "k": spec.k, "d": spec.d, "order": spec.order}
    if spec.pixel_rows:
        out["pixelRows"] = list(spec.pixel_rows)
    return out


def _check(input_spec: InputSpec, output_spec: OutputSpec, labels: list[LabelEntry],
           label_vectors: np.ndarray, word_map: np.ndarray | None, pack_id: str) -> None:
    if not PACK_ID.match(pack_id):
        raise PackError(f"id: {pack_id!r} does not match {PACK_ID.pattern}")
    if input_spec.width <= 0 or input_spec.height <= 0:
        raise PackError(f"input.width/height: {input_spec.width}x{input_spec.height} not positive")
    if output_spec.k <= 0 or output_spec.d <= 0:
        raise PackError(f"output.k/d: {output_spec.k}/{output_spec.d} not positive")
    rows = output_spec.pixel_rows
    if any(r < 0 or r >= output_spec.k for r in rows) or len(set(rows)) != len(rows):
        raise PackError(f"output.pixelRows: {list(rows)} must be distinct rows in 0..k-1 "
                        f"(k = {output_spec.k})")
    if label_vectors.shape != (len(labels), output_spec.d):
        raise PackError(f"labels.vectors: shape {label_vectors.shape}, "
                        f"expected ({len(labels)}, {output_spec.d})")
    names = [entry.name for entry in labels]
    for entry in labels:
        if not entry.name or entry.name != entry.name.lower() or "_" in entry.name:
            raise PackError(f"labels: name {entry.name!r} must be lowercase with spaces")
        if entry.specificity is not None and entry.specificity < 0:
            raise PackError(f"labels: {entry.name!r} specificity {entry.specificity} < 0")
    if len(set(names)) != len(names):
        raise PackError("labels: names must be unique")
    known = set(names)
    for entry in labels:
        for other in entry.broader or ():
            if other not in known or other == entry.name:
                raise PackError(f"labels: {entry.name!r} broader {other!r} is not another label")
    norms = np.linalg.norm(label_vectors, axis=1)
    if not np.allclose(norms, 1.0, atol=1e-3):
        raise PackError("labels.vectors: every row must be a unit vector")
    if word_map is not None and (word_map.ndim != 2 or word_map.shape[1] != output_spec.d):
        raise PackError(f"wordMap: shape {word_map.shape}, expected (from, {output_spec.d})")


def write_pack(out_dir: Path, *, pack_id: str, name: str, licence: str, source: str,
               description: str | None = None, onnx_path: Path, input_spec: InputSpec,
               output_spec: OutputSpec, labels: list[LabelEntry], label_vectors: np.ndarray,
               word_table: Path, word_map: np.ndarray | None = None) -> Path:
    """Write a complete pack into `out_dir` and return the path of its pack.json.

    - onnx_path: copied in as model.onnx (image batch -> [n, k*d] or [n, k, d] embeddings).
    - labels / label_vectors: the seen labels, [len(labels), d] unit float rows (labels.f32).
    - word_table: an AWT1 file (see word_table.py), copied in as words.awt; its dim is read
      from its header.
    - word_map: optional [from, to] float32 map from the word table's space into the model's
      (to must equal output_spec.d); written as word-map.f32, row-major.
    Any existing pack.json in out_dir is removed first, and the new one is written last.
    """
    label_vectors = np.asarray(label_vectors, dtype=np.float32)
    _check(input_spec, output_spec, labels, label_vectors, word_map, pack_id)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "pack.json"
    manifest_path.unlink(missing_ok=True)  # the folder is invalid until the end

    shutil.copyfile(onnx_path, out_dir / "model.onnx")
    shutil.copyfile(word_table, out_dir / "words.awt")
    with (out_dir / "words.awt").open("rb") as table:
        magic, word_dim, _, _ = HEADER.unpack(table.read(HEADER.size))
    if magic != MAGIC:
        raise PackError(f"wordTable: {word_table} is not an AWT1 word table (magic {magic!r})")
    entries = [{k: list(v) if isinstance(v, tuple) else v for k, v in asdict(e).items()
                if v is not None} for e in labels]
    (out_dir / "labels.json").write_text(json.dumps({"labels": entries}, ensure_ascii=False))
    label_vectors.astype("<f4").tofile(out_dir / "labels.f32")  # [N, d] row-major

    map_entry: dict[str, Any] | None = None
    if word_map is not None:
        if word_map.shape[0] != word_dim:
            raise PackError(f"wordMap: from {word_map.shape[0]} != word table dim {word_dim}")
        np.asarray(word_map, dtype="<f4").tofile(out_dir / "word-map.f32")  # [from, to]
        map_entry = {"file": "word-map.f32", "sha256": sha256_file(out_dir / "word-map.f32"),
                     "from": int(word_map.shape[0]), "to": int(word_map.shape[1])}
    elif word_dim != output_spec.d:
        raise PackError(f"wordMap: needed, word table dim {word_dim} != output.d {output_spec.d}")

    manifest: dict[str, Any] = {
        "format": FORMAT, "id": pack_id, "name": name, "licence": licence, "source": source,
    }
    if description:
        manifest["description"] = description
    manifest["model"] = {"file": "model.onnx", "sha256": sha256_file(out_dir / "model.onnx")}
    manifest["input"] = _input_json(input_spec)
    manifest["output"] = _output_json(output_spec)
    manifest["labels"] = {"file": "labels.json", "vectors": "labels.f32",
                          "sha256": sha256_file(out_dir / "labels.f32")}
    manifest["wordTable"] = {"file": "words.awt", "sha256": sha256_file(out_dir / "words.awt"),
                             "dim": word_dim}
    manifest["wordMap"] = map_entry

    temp = out_dir / "pack.json.tmp"
    with temp.open("w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=2, ensure_ascii=False)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, manifest_path)
    return manifest_path


def _number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def _input_json(spec: InputSpec) -> dict[str, Any]:
    return {
        "name": spec.name, "width": spec.width, "height": spec.height, "layout": spec.layout,
        "resize": spec.resize, "kernel": spec.kernel,
        "resample": spec.resample, "scale": _number(spec.scale),
        "mean": [_number(x) for x in spec.mean], "std": [_number(x) for x in spec.std],
        "background": [int(x) for x in spec.background],
    }
