"""The starter pack v2's detail input (detail_input.py) and two detector passes sharing one set of
weights (GraphBuilder.embed with weights_of), on tiny generated graphs."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from anytag_training.packs.detail_input import FACTOR, THUMB, with_detail_input
from anytag_training.packs.graph_builder import GraphBuilder


def _conv_model(side: int) -> onnx.ModelProto:
    """image [n, 3, side, side] -> Conv(3 -> 2, 1 x 1, fixed weights) -> out [n, 2, side, side]."""
    weights = np.arange(6, dtype=np.float32).reshape(2, 3, 1, 1) / 10
    graph = helper.make_graph(
        [helper.make_node("Conv", ["image", "w"], ["out"], name="conv")], "tiny",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", 3, side, side])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["n", 2, side, side])],
        [numpy_helper.from_array(weights, "w")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def _run(model: onnx.ModelProto, x: np.ndarray, outputs: list[str] | None = None) -> list:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(outputs, {"image": x})


def test_detail_input_feeds_the_classifier_the_2x2_box_average() -> None:
    larger = with_detail_input(_conv_model(4))
    dims = larger.graph.input[0].type.tensor_type.shape.dim
    assert [dims[2].dim_value, dims[3].dim_value] == [4 * FACTOR, 4 * FACTOR]
    x = np.random.default_rng(0).uniform(0, 255, (2, 3, 8, 8)).astype(np.float32)
    larger.graph.output.append(helper.make_tensor_value_info(THUMB, TensorProto.FLOAT, ["n", 3, 4, 4]))
    out, thumb = _run(larger, x, ["out", THUMB])
    box = x.reshape(2, 3, 4, 2, 4, 2).mean(axis=(3, 5))  # [2, 3, 4, 4]
    np.testing.assert_allclose(thumb, box, rtol=1e-6)
    (direct,) = _run(_conv_model(4), box)
    np.testing.assert_allclose(out, direct, rtol=1e-5)


def test_detail_input_refuses_an_input_without_a_fixed_size() -> None:
    model = _conv_model(4)
    model.graph.input[0].type.tensor_type.shape.dim[2].dim_param = "h"
    with pytest.raises(ValueError, match="fixed size"):
        with_detail_input(model)
    with pytest.raises(ValueError, match="'pixels'"):
        with_detail_input(_conv_model(4), name="pixels")


def test_a_second_pass_reads_the_first_pass_weights() -> None:
    host = _conv_model(4)
    host.graph.output.pop()
    g = GraphBuilder(host.graph)
    before = len(host.graph.initializer)
    g.embed(_conv_model(4), "a/", "image")
    g.embed(_conv_model(4), "b/", "image", weights_of="a/")
    assert len(host.graph.initializer) == before + 1  # the second copy added no weights
    assert "b/w" not in {i.name for i in host.graph.initializer}
    host.graph.output.extend([helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, 2, 4, 4])
                              for n in ("out", "a/out", "b/out")])
    onnx.checker.check_model(host)
    x = np.random.default_rng(1).uniform(0, 1, (1, 3, 4, 4)).astype(np.float32)
    own, first, second = _run(host, x, ["out", "a/out", "b/out"])
    np.testing.assert_array_equal(first, own)
    np.testing.assert_array_equal(second, own)
