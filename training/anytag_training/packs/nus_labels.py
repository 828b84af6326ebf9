"""The NUS-WIDE label space of the official SDL checkpoint, as app resources (resources/sdl-labels).

Reads the official repository's data files (Alibaba-MIIL/ZS_SDL, data/NUS_WIDE):
  classes.pickle         {index: label} for the 1006 labels, in the model's output order
  unseen_classes.pickle  [label] the 81 zero-shot (unseen) labels
  wordvec_array.pickle   numpy (300, 1006) float32, column i = unit word vector of label i
and writes, into --out:
  labels.json   {"labels": [1006 names], "unseen": [81 names], "dim": 300,
                 "vectors": {"file": "wordvec-300d.f32", "sha256": "<hex>"}, "source": "..."}
  wordvec-300d.f32  1006 × 300 float32 little-endian, row i = vector of labels[i]

The caller (scripts/build-packs.mjs) checks the pickles' pinned sha256 first; the unpickler
still allows only the numpy classes an array needs, so a swapped file cannot run code.

    python -m anytag_training.packs.nus_labels --reference DIR --out DIR
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
from pathlib import Path

import numpy as np

ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
}


class _ArrayUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # noqa: ANN201 - pickle's signature
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"refusing {module}.{name}")
        return super().find_class(module, name)


def _load(path: Path) -> object:
    with path.open("rb") as f:
        return _ArrayUnpickler(f).load()


def read_label_space(reference: Path) -> tuple[list[str], list[str], np.ndarray]:
    """(labels in model order, unseen labels, [N, d] float32 unit vectors)."""
    classes = _load(reference / "classes.pickle")
    unseen = _load(reference / "unseen_classes.pickle")
    wordvec = _load(reference / "wordvec_array.pickle")
    if not isinstance(classes, dict) or sorted(classes) != list(range(len(classes))):
        raise ValueError("classes.pickle: expected {0: label, 1: label, …}")
    labels = [str(classes[i]) for i in range(len(classes))]
    if not isinstance(unseen, list) or not set(unseen) <= set(labels):
        raise ValueError("unseen_classes.pickle: expected a list of labels from classes.pickle")
    if not isinstance(wordvec, np.ndarray) or wordvec.ndim != 2 or wordvec.shape[1] != len(labels):
        raise ValueError(f"wordvec_array.pickle: expected (d, {len(labels)}), got {getattr(wordvec, 'shape', None)}")
    vectors = np.ascontiguousarray(wordvec.T, dtype="<f4")  # [N, d]
    norms = np.linalg.norm(vectors, axis=1)
    if not np.allclose(norms, 1, atol=1e-4):
        raise ValueError("wordvec_array.pickle: columns are not unit vectors")
    return labels, [str(u) for u in unseen], vectors


def write_resources(reference: Path, out: Path, source: str) -> dict[str, object]:
    labels, unseen, vectors = read_label_space(reference)
    out.mkdir(parents=True, exist_ok=True)
    data = vectors.tobytes()
    (out / "wordvec-300d.f32").write_bytes(data)
    meta = {
        "labels": labels,
        "unseen": unseen,
        "dim": int(vectors.shape[1]),
        "vectors": {"file": "wordvec-300d.f32", "sha256": hashlib.sha256(data).hexdigest()},
        "source": source,
    }
    (out / "labels.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return {"labels": len(labels), "unseen": len(unseen), "dim": meta["dim"],
            "vectorsSha256": meta["vectors"]["sha256"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", default="github.com/Alibaba-MIIL/ZS_SDL data/NUS_WIDE")
    args = parser.parse_args()
    print(json.dumps(write_resources(args.reference, args.out, args.source)))


if __name__ == "__main__":
    main()
