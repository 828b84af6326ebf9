"""The torch MobileNetV2 gives the same features as the ONNX model it reads its weights from."""

from pathlib import Path

import numpy as np
import pytest
import torch

from anytag_training.sdl.mobilenet_v2 import mobilenet_v2_from_onnx

MODEL = Path(__file__).resolve().parents[3] / "shared" / "models" / "imagenet-mobilenet-v2" / "model.onnx"


@pytest.mark.skipif(not MODEL.exists(), reason="../shared/models/imagenet-mobilenet-v2 not present")
def test_torch_mobilenet_v2_matches_onnxruntime() -> None:
    import onnxruntime as ort

    x = np.random.default_rng(0).uniform(0, 255, (2, 3, 224, 224)).astype(np.float32)
    want = ort.InferenceSession(str(MODEL), providers=["CPUExecutionProvider"]).run(["features"], {"image": x})[0]
    model = mobilenet_v2_from_onnx(MODEL)
    with torch.no_grad():
        got = model(torch.from_numpy(x)).numpy()
        prefix, tail = model.split(2)
        split = tail(prefix(torch.from_numpy(x))).numpy()
    assert got.shape == (2, 1280)
    assert np.abs(got - want).max() < 1e-3 * np.abs(want).max()
    assert np.allclose(split, got, atol=1e-5)
