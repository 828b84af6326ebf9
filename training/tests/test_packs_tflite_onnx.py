"""The TFLite -> ONNX conversion reproduces the shared float model.onnx on the reference photos."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest

from anytag_training.packs.pack_writer import InputSpec
from anytag_training.packs.photos import load_batch
from anytag_training.packs.sources import default_sources
from anytag_training.packs.tflite_onnx import _same_pads, convert
from anytag_training.packs.tflite_reader import read_tflite

SOURCES = default_sources()
TFLITE = SOURCES.mobilenet / "mobilenet_v2_1.0_224_quant.tflite"


def test_same_padding_puts_the_extra_pixel_at_the_end() -> None:
    # 224 -> 112 with a 3x3 kernel, stride 2: total padding 1, all of it after
    assert _same_pads((224, 224), (3, 3), (2, 2), (1, 1), same=True) == [0, 0, 1, 1]
    assert _same_pads((7, 7), (3, 3), (1, 1), (1, 1), same=True) == [1, 1, 1, 1]
    assert _same_pads((7, 7), (3, 3), (1, 1), (1, 1), same=False) == [0, 0, 0, 0]


@pytest.fixture(scope="module")
def sessions() -> tuple[ort.InferenceSession, ort.InferenceSession]:
    if not TFLITE.exists() or not (SOURCES.mobilenet / "model.onnx").exists():
        pytest.skip(f"{SOURCES.mobilenet} lacks the .tflite or model.onnx")
    converted = convert(TFLITE).SerializeToString()
    providers = ["CPUExecutionProvider"]
    return (ort.InferenceSession(converted, providers=providers),
            ort.InferenceSession(str(SOURCES.mobilenet / "model.onnx"), providers=providers))


def test_reader_sees_the_mobilenet_graph() -> None:
    if not TFLITE.exists():
        pytest.skip(f"{TFLITE} missing")
    graph = read_tflite(TFLITE)
    ops = [op.op for op in graph.operators]
    assert ops.count("CONV_2D") == 36 and ops.count("DEPTHWISE_CONV_2D") == 17
    assert graph.tensors[graph.outputs[0]].shape == (1, 1001)


def test_matches_the_shared_model(sessions) -> None:
    converted, shared = sessions
    photos = sorted(SOURCES.photos.glob("*.jpg"))
    x = load_batch(photos, InputSpec(name="image", width=224, height=224))  # [n, 3, 224, 224]
    ours = converted.run(["features", "probs"], {"image": x})
    theirs = shared.run(["features", "probs"], {"image": x})
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(ours[1][[p.stem for p in photos].index("parrot")].argmax()) == 89  # macaw
