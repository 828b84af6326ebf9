"""The merged graph's pieces in closed form, and the face detector conversion on real photos."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper
from PIL import Image

from anytag_training.packs.class_synsets import read_class_lines
from anytag_training.packs.graph_builder import GraphBuilder
from anytag_training.packs.merged_graph import _count_per_image
from anytag_training.packs.signals import (COCO, COCO_WORD, LOOK_ROWS, LOOK_WORDS, PEOPLE_ROWS,
                                          SCENES, Ramp)
from anytag_training.packs.sources import default_sources
from anytag_training.packs.starter_signals import face_model, row_vectors

SOURCES = default_sources()


def _run(build, inputs: dict[str, np.ndarray], types: dict[str, int]) -> np.ndarray:
    declared = [helper.make_tensor_value_info(n, t, None) for n, t in types.items()]
    graph = helper.make_graph([], "t", declared, [])
    g = GraphBuilder(graph)
    out = build(g)
    graph.output.append(helper.make_tensor_value_info(out, TensorProto.FLOAT, None))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, inputs)[0]


def test_ramp_is_clipped_linear() -> None:
    x = np.array([0.0, 0.45, 0.6, 0.75, 1.0], np.float32)
    y = _run(lambda g: g.ramp("x", Ramp(0.45, 0.75), "y"), {"x": x}, {"x": TensorProto.FLOAT})
    np.testing.assert_allclose(y, [0, 0, 0.5, 1, 1], atol=1e-6)


def test_count_per_image_counts_nms_rows_by_batch_index() -> None:
    kept = np.array([[0, 0, 5], [2, 0, 1], [2, 0, 9], [2, 0, 3]], np.int64)  # [m, 3]
    like = np.zeros((4, 7), np.float32)  # four images
    counts = _run(lambda g: _count_per_image(g, "kept", "like", "count"),
                  {"kept": kept, "like": like},
                  {"kept": TensorProto.INT64, "like": TensorProto.FLOAT})
    np.testing.assert_array_equal(counts, [1, 0, 3, 0])
    empty = _run(lambda g: _count_per_image(g, "kept", "like", "count"),
                 {"kept": np.zeros((0, 3), np.int64), "like": like},
                 {"kept": TensorProto.INT64, "like": TensorProto.FLOAT})
    np.testing.assert_array_equal(empty, [0, 0, 0, 0])


def test_scene_table_names_real_classes() -> None:
    labels = SOURCES.mobilenet / "imagenet_labels.txt"
    if not labels.exists():
        pytest.skip(f"{labels} missing")
    words = [*PEOPLE_ROWS, *SCENES, *(w for row in LOOK_ROWS for w in row.split())]
    words += [w for name in COCO for w in COCO_WORD.get(name, name).split()]
    words += [w for listed in LOOK_WORDS.values() for w in listed]
    vectors = np.eye(len(set(words)), 8, dtype=np.float32) + 1  # any non-zero rows will do
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    lines = read_class_lines(labels)
    with pytest.raises(ValueError, match="wn:geological_formation"):
        row_vectors(sorted(set(words)), vectors, lines)  # a "wn:" key needs its classes
    under = [i for i, line in enumerate(lines) if line.startswith(("seashore", "alp"))]
    rows = row_vectors(sorted(set(words)), vectors, lines, {"wn:geological_formation": under})
    seashore = 1 + next(i for i, line in enumerate(lines) if line.startswith("seashore"))
    beach = list(SCENES).index("beach")
    assert rows.scene_evidence[seashore, beach] == 1
    landscape = list(SCENES).index("landscape")
    assert sorted(np.flatnonzero(rows.scene_evidence[:, landscape])) == [1 + i for i in under]
    assert rows.look.shape == (len(LOOK_ROWS), 8)
    assert rows.scene_evidence[0].sum() == 0  # background says nothing
    assert rows.people.shape == (len(PEOPLE_ROWS), 8) and rows.coco.shape == (80, 8)


def test_face_detector_conversion_on_real_photos() -> None:
    if not SOURCES.face.exists():
        pytest.skip(f"{SOURCES.face} missing (npm run build:packs caches it)")
    model = face_model(SOURCES.face)
    onnx.checker.check_model(model)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])

    def best(photo: str) -> float:
        image = Image.open(SOURCES.photos / f"{photo}.jpg").convert("RGB").resize((192, 192))
        x = np.asarray(image, np.float32).transpose(2, 0, 1)[None]
        _, logits = session.run(None, {"image": x})  # regressors [1, 2304, 16], scores [1, 2304, 1]
        return float(1 / (1 + np.exp(-logits.max())))

    assert best("face") > 0.75 and best("grace_hopper") > 0.75
    for photo in ("owl", "cat", "pets", "parrot"):
        assert best(photo) < 0.45, photo
