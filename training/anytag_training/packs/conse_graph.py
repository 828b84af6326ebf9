"""Extend an ImageNet classifier ONNX graph into an SDL-shaped ConSE embedding model.

    probs     [n, 1 + C]  softmax, column 0 = "background"
    p         = probs[:, 1:]                      [n, C]
    weights   = p @ M                             [n, S]   M: class -> synset membership
    w, idx    = TopK(weights, K)                  [n, K]   the K heaviest synsets
    rows      = V[idx]                            [n, K, d] V: unit synset vectors
    embedding = rows * w[..., None]               [n, K, d] (order "kd")

Scoring a unit label vector u then gives s(u) = max_k w_k <V_k, u>, the SDL rule.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

PREFIX = "conse/"


def extend_with_conse(model: onnx.ModelProto, *, probs: str, membership: np.ndarray,
                      vectors: np.ndarray, k: int, output: str = "embedding") -> onnx.ModelProto:
    """Return a copy of `model` whose only output is `output` [n, k, d] (see module doc).

    membership: [C, S] float32 with C = probs width - 1; vectors: [S, d] float32 unit rows.
    """
    classes, synsets = membership.shape
    if vectors.shape[0] != synsets or k > synsets:
        raise ValueError(f"vectors {vectors.shape} / k {k} do not fit membership {membership.shape}")
    d = vectors.shape[1]
    extended = onnx.ModelProto()
    extended.CopyFrom(model)
    graph = extended.graph

    def name(x: str) -> str:
        return PREFIX + x

    graph.initializer.extend([
        numpy_helper.from_array(np.array([1], dtype=np.int64), name("starts")),
        numpy_helper.from_array(np.array([1 + classes], dtype=np.int64), name("ends")),
        numpy_helper.from_array(np.array([1], dtype=np.int64), name("axes")),
        numpy_helper.from_array(np.array([k], dtype=np.int64), name("k")),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), name("last_axis")),
        numpy_helper.from_array(membership.astype(np.float32), name("membership")),  # [C, S]
        numpy_helper.from_array(vectors.astype(np.float32), name("vectors")),  # [S, d]
    ])
    graph.node.extend([
        helper.make_node("Slice", [probs, name("starts"), name("ends"), name("axes")],
                         [name("class_probs")], name=name("slice")),  # [n, C]
        helper.make_node("MatMul", [name("class_probs"), name("membership")],
                         [name("weights")], name=name("matmul")),  # [n, S]
        helper.make_node("TopK", [name("weights"), name("k")],
                         [name("top_weights"), name("top_index")], name=name("topk"),
                         axis=-1, largest=1, sorted=1),  # [n, K], [n, K]
        helper.make_node("Gather", [name("vectors"), name("top_index")],
                         [name("rows")], name=name("gather"), axis=0),  # [n, K, d]
        helper.make_node("Unsqueeze", [name("top_weights"), name("last_axis")],
                         [name("top_weights_3d")], name=name("unsqueeze")),  # [n, K, 1]
        helper.make_node("Mul", [name("rows"), name("top_weights_3d")],
                         [output], name=name("mul")),  # [n, K, d]
    ])
    batch = model.graph.input[0].type.tensor_type.shape.dim[0]
    out = helper.make_tensor_value_info(output, TensorProto.FLOAT, [None, k, d])
    out.type.tensor_type.shape.dim[0].CopyFrom(batch)
    del graph.output[:]
    graph.output.append(out)
    onnx.checker.check_model(extended)
    return extended
