"""Two detector passes sharing one set of weights (GraphBuilder.embed with weights_of), as the
starter pack v2's two COCO passes do, on a tiny generated graph."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

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
