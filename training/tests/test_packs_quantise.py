"""INT8 pack variants: the head stays float, SDL scores, the agreement gate, pack.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

from anytag_training.packs.quantise import (
    QuantiseError,
    head_nodes,
    label_scores,
    quantise_pack,
)

K, D, SIZE = 2, 3, 16


def conv_model(with_se: bool = False) -> onnx.ModelProto:
    """image [n,3,16,16] → Conv → Relu → (SE: ReduceMean·Mul) → Conv → GAP → Flatten → MatMul."""
    rng = np.random.default_rng(0)
    inits = [
        numpy_helper.from_array(rng.normal(0, 0.3, (8, 3, 3, 3)).astype(np.float32), "w1"),
        numpy_helper.from_array(rng.normal(0, 0.3, (8, 8, 3, 3)).astype(np.float32), "w2"),
        numpy_helper.from_array(rng.normal(0, 0.3, (8, K * D)).astype(np.float32), "head"),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
    ]
    trunk = "r1"
    if with_se:
        nodes += [
            helper.make_node("ReduceMean", ["r1"], ["se"], name="se_pool", axes=[2, 3]),
            helper.make_node("Mul", ["r1", "se"], ["scaled"], name="se_mul"),
        ]
        trunk = "scaled"
    nodes += [
        helper.make_node("Conv", [trunk, "w2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("GlobalAveragePool", ["c2"], ["pooled"], name="pool"),
        helper.make_node("Flatten", ["pooled"], ["features"], name="flatten"),
        helper.make_node("MatMul", ["features", "head"], ["embedding"], name="head_matmul"),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", 3, SIZE, SIZE])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", K * D])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def test_head_is_everything_from_the_last_global_pooling() -> None:
    assert head_nodes(conv_model()) == ["pool", "flatten", "head_matmul"]
    # A squeeze-and-excitation pooling inside the backbone is not the head.
    assert head_nodes(conv_model(with_se=True)) == ["pool", "flatten", "head_matmul"]


def test_label_scores_are_the_best_row_dot_product_in_either_order() -> None:
    rows = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]], dtype=np.float32)  # [k, d]
    labels = np.array([[1.0, 0.0, 0.0], [0.0, 0.6, 0.8], [0.0, 0.0, -1.0]], dtype=np.float32)
    kd = rows.reshape(1, K * D)
    dk = rows.T.reshape(1, K * D)  # element (row k, dim j) at j·K + k
    expected = [[1.0, 0.7, 0.0]]  # max over rows: [1, 0], [0, .7], [0, −.5]
    np.testing.assert_allclose(label_scores(kd, labels, K, D, "kd"), expected, atol=1e-6)
    np.testing.assert_allclose(label_scores(dk, labels, K, D, "dk"), expected, atol=1e-6)


def write_pack(folder: Path) -> Path:
    folder.mkdir(parents=True)
    onnx.save(conv_model(), str(folder / "model.onnx"))
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(12, D)).astype("<f4")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    (folder / "labels.f32").write_bytes(vectors.tobytes())
    digest = hashlib.sha256((folder / "model.onnx").read_bytes()).hexdigest()
    manifest = {
        "format": 1,
        "model": {"file": "model.onnx", "sha256": digest},
        "input": {
            "name": "image",
            "width": SIZE,
            "height": SIZE,
            "layout": "NCHW",
            "resize": "squash",
            "kernel": "linear",
            "scale": 1 / 255,
            "mean": [0, 0, 0],
            "std": [1, 1, 1],
            "background": [255, 255, 255],
        },
        "output": {"name": "embedding", "k": K, "d": D, "order": "kd"},
        "labels": {"file": "labels.json", "vectors": "labels.f32", "sha256": "0" * 64},
    }
    (folder / "pack.json").write_text(json.dumps(manifest))
    return folder


def write_photos(folder: Path) -> Path:
    folder.mkdir(parents=True)
    rng = np.random.default_rng(2)
    for i in range(4):
        pixels = rng.integers(0, 256, (40, 60, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / f"p{i}.png")
    return folder


def test_quantise_pack_declares_a_checked_cpu_variant(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack")
    photos = write_photos(tmp_path / "photos")
    summary = quantise_pack(pack, [photos], [photos], min_agreement=0.0)
    manifest = json.loads((pack / "pack.json").read_text())
    (variant,) = manifest["model"]["variants"]
    int8 = (pack / variant["file"]).read_bytes()
    assert variant["providers"] == ["cpu"] and variant["precision"] == "int8"
    assert variant["sha256"] == hashlib.sha256(int8).hexdigest() == summary["sha256"]
    assert summary["checked"] == 4 and summary["calibrationImages"] == 16
    ops = {node.op_type for node in onnx.load_from_string(int8).graph.node}
    assert "QuantizeLinear" in ops and "DequantizeLinear" in ops


def test_quantise_pack_leaves_the_pack_alone_below_the_bar(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack")
    photos = write_photos(tmp_path / "photos")
    before = (pack / "pack.json").read_text()
    with pytest.raises(QuantiseError, match="below"):
        quantise_pack(pack, [photos], [photos], min_agreement=1.01)
    assert (pack / "pack.json").read_text() == before
    assert not (pack / "model.int8.onnx").exists()
