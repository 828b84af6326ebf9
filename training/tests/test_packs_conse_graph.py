"""The ConSE head appended to a classifier graph, against the numpy formula."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

from anytag_training.packs.conse_graph import extend_with_conse


def classifier(classes: int) -> onnx.ModelProto:
    """A stand-in classifier: probs = Softmax(x) over 1 + classes columns (column 0 background)."""
    graph = helper.make_graph(
        [helper.make_node("Softmax", ["image"], ["probs"], axis=1),
         helper.make_node("Identity", ["image"], ["features"])], "clf",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", 1 + classes])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["n", 1 + classes]),
         helper.make_tensor_value_info("features", TensorProto.FLOAT, ["n", 1 + classes])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # what the shared MobileNetV2 uses; onnxruntime may lag onnx
    return model


def test_embedding_is_topk_weighted_synset_vectors() -> None:
    rng = np.random.default_rng(1)
    classes, synsets, d, k = 6, 9, 5, 4
    membership = (rng.random((classes, synsets)) < 0.4).astype(np.float32)  # [C, S]
    vectors = rng.normal(size=(synsets, d)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)  # [S, d]
    model = extend_with_conse(classifier(classes), probs="probs", membership=membership,
                              vectors=vectors, k=k)
    assert [o.name for o in model.graph.output] == ["embedding"]
    assert model.opset_import[0].version == 17
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = rng.normal(size=(3, 1 + classes)).astype(np.float32)  # n = 3 (dynamic batch)
    (embedding,) = session.run(None, {"image": x})
    assert embedding.shape == (3, k, d)

    probs = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)  # [n, 1 + C]
    weights = probs[:, 1:] @ membership  # [n, S]
    for i in range(3):
        top = np.argsort(-weights[i], kind="stable")[:k]
        expected = vectors[top] * weights[i, top][:, None]  # [K, d]
        np.testing.assert_allclose(embedding[i], expected, rtol=1e-5, atol=1e-6)
