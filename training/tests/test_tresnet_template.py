"""The ONNX template, filled with a state_dict, computes what the PyTorch model computes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import TensorProto, helper

from anytag_training.tresnet import SdlTResNetM, TResNetConfig, official_state_dict_shapes
from anytag_training.tresnet.export_template import build_model, fill_template, strip_weights
from anytag_training.tresnet.make_checkpoint import random_state_dict
from anytag_training.tresnet.model import AntiAliasDownsample, InPlaceABN, SpaceToDepth

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "src-main/engine/model/convert/tresnet-m.template.onnx"


def run_onnx(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, {sess.get_inputs()[0].name: x})[0]


def test_space_to_depth_matches_onnx_channel_order() -> None:
    x = torch.arange(2 * 3 * 8 * 8, dtype=torch.float32).reshape(2, 3, 8, 8)
    node = helper.make_node("SpaceToDepth", ["x"], ["y"], blocksize=4)
    g = helper.make_graph([node], "s2d", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 8, 8])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 48, 2, 2])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    np.testing.assert_array_equal(run_onnx(m, x.numpy()), SpaceToDepth(4)(x).numpy())
    # out channel (4*bh + bw)*C + c holds pixel (4*i + bh, 4*j + bw) of channel c
    y = SpaceToDepth(4)(x)
    assert y[0, (4 * 1 + 2) * 3 + 1, 1, 0] == x[0, 1, 4 + 1, 0 + 2]


def test_anti_alias_is_the_normalised_121_blur_with_reflect_padding() -> None:
    x = torch.zeros(1, 1, 6, 6)
    x[0, 0, 1, 1] = 16.0
    y = AntiAliasDownsample(1)(x)
    assert y.shape == (1, 1, 3, 3)
    # reflect padding mirrors row/column 1 into -1: the corner output sees the impulse 4 times
    np.testing.assert_allclose(y[0, 0].numpy(), [[4, 2, 0], [2, 1, 0], [0, 0, 0]])


def test_inplace_abn_uses_abs_weight_plus_eps() -> None:
    m = InPlaceABN(1, 0.1, 1e-5).eval()
    with torch.no_grad():
        m.weight.fill_(-2.0)
        m.bias.fill_(0.5)
        m.running_mean.fill_(1.0)
        m.running_var.fill_(4.0)
    with torch.no_grad():
        y = m(torch.tensor([3.0, -9.0]).reshape(2, 1, 1, 1))
    s = (2.0 + 1e-5) / np.sqrt(4.0 + 1e-5)
    np.testing.assert_allclose(y.flatten().numpy(), [(3 - 1) * s + 0.5, 0.1 * ((-9 - 1) * s + 0.5)], rtol=1e-6)


def test_committed_template_matches_a_fresh_export() -> None:
    committed = onnx.load(COMMITTED)
    fresh = strip_weights(build_model(SdlTResNetM()))
    assert committed.SerializeToString() == fresh.SerializeToString(), "re-run export_template"
    slots = {t.name: tuple(t.dims) for t in committed.graph.initializer if not t.name.startswith("const.")}
    assert slots == dict(official_state_dict_shapes())
    assert all(len(t.raw_data) == 0 for t in committed.graph.initializer if not t.name.startswith("const."))
    assert COMMITTED.stat().st_size < 1_000_000


def test_filled_template_equals_torch_on_random_weights() -> None:
    cfg = TResNetConfig()
    sd = random_state_dict(1, cfg)
    model = SdlTResNetM(cfg)
    model.load_state_dict(sd, strict=True)
    model.eval()
    x = torch.rand(2, 3, 224, 224, generator=torch.Generator().manual_seed(3))
    with torch.inference_mode():
        want = model(x).numpy()
    got = run_onnx(fill_template(onnx.load(COMMITTED), sd), x.numpy())
    assert got.shape == (2, 2100)
    assert np.isfinite(want).all()
    assert np.abs(got - want).max() < 1e-4 * np.abs(want).max()
