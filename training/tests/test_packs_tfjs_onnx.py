"""tfjs graph model -> ONNX: a small hand-made graph against numpy, and NanoDet on real photos."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from PIL import Image

from anytag_training.packs.sources import default_sources
from anytag_training.packs.starter_signals import coco_model
from anytag_training.packs.tfjs_onnx import convert_tfjs, read_tfjs

SOURCES = default_sources()


def _node(name: str, op: str, inputs: list[str], **attr: dict) -> dict:
    return {"name": name, "op": op, "input": inputs, "attr": attr}


def _write_model(folder: Path, kernel: np.ndarray, bias: np.ndarray) -> Path:
    """Placeholder [1, 4, 4, 2] NHWC -> Pad 1 -> Conv2D 3x3 VALID -> + bias -> LeakyRelu(0.1)
    -> ResizeBilinear to 8 x 8 -> Sigmoid. Kernel stored as float16, bias as float32."""
    nhwc = {"s": base64.b64encode(b"NHWC").decode()}
    valid = {"s": base64.b64encode(b"VALID").decode()}
    ones = {"list": {"i": ["1", "1", "1", "1"]}}
    nodes = [
        _node("x", "Placeholder", [], shape={"shape": {"dim": [{"size": "1"}, {"size": "4"},
                                                               {"size": "4"}, {"size": "2"}]}}),
        _node("pads", "Const", []), _node("kernel", "Const", []), _node("bias", "Const", []),
        _node("size", "Const", []),
        _node("padded", "Pad", ["x", "pads"]),
        _node("conv", "Conv2D", ["padded", "kernel"], data_format=nhwc, padding=valid,
              strides=ones, dilations=ones),
        _node("biased", "AddV2", ["conv", "bias"]),
        _node("leaky", "LeakyRelu", ["biased"], alpha={"f": 0.1}),
        _node("resized", "ResizeBilinear", ["leaky", "size"], half_pixel_centers={"b": True},
              align_corners={"b": False}),
        _node("out", "Sigmoid", ["resized"]),
    ]
    weights = [("pads", np.array([[0, 0], [1, 1], [1, 1], [0, 0]], np.int32), None),
               ("kernel", kernel.astype(np.float16), "float16"),
               ("bias", bias.astype(np.float32), None),
               ("size", np.array([8, 8], np.int32), None)]
    manifest = [{"name": n, "shape": list(a.shape),
                 "dtype": "float32" if a.dtype.kind == "f" else "int32",
                 **({"quantization": {"dtype": q, "original_dtype": "float32"}} if q else {})}
                for n, a, q in weights]
    (folder / "model.bin").write_bytes(b"".join(a.astype(a.dtype.newbyteorder("<")).tobytes()
                                                for _, a, _ in weights))
    spec = {"format": "graph-model", "modelTopology": {"node": nodes},
            "weightsManifest": [{"paths": ["model.bin"], "weights": manifest}]}
    path = folder / "model.json"
    path.write_text(json.dumps(spec))
    return path


def test_reader_decodes_float16_and_int32_weights(tmp_path: Path) -> None:
    kernel = np.arange(36, dtype=np.float32).reshape(3, 3, 2, 2) / 8
    path = _write_model(tmp_path, kernel, np.array([0.5, -0.5]))
    graph = read_tfjs(path)
    np.testing.assert_array_equal(graph.constants["kernel"], kernel)  # exact in float16
    assert graph.constants["pads"].dtype == np.int32
    assert graph.nodes["conv"]["op"] == "Conv2D"


def test_small_graph_matches_numpy_at_two_sizes(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(3, 3, 2, 2)).astype(np.float16).astype(np.float32)
    bias = np.array([0.25, -0.25], np.float32)
    model = convert_tfjs(_write_model(tmp_path, kernel, bias), outputs={"y": "out"},
                         input_shape=[1, 4, 4, 2])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    for side in (4, 6):
        # a spatially constant input per channel keeps the bilinear resize closed-form
        x = np.broadcast_to(np.array([1.0, -2.0], np.float32), (2, side, side, 2)).copy()
        (y,) = session.run(None, {"image": x})
        padded = np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)])
        windows = np.stack([padded[:, i:i + side, j:j + side]
                            for i in range(3) for j in range(3)], 3)  # [n, h, w, 9, c]
        conv = np.einsum("nhwkc,kco->nhwo", windows, kernel.reshape(9, 2, 2)) + bias
        leaky = np.where(conv > 0, conv, 0.1 * conv)
        assert y.shape == (2, 2 * side, 2 * side, 2)
        # corners of the 2x upsampled map equal the corners of the source map
        expected = 1 / (1 + np.exp(-leaky))
        np.testing.assert_allclose(y[:, 0, 0], expected[:, 0, 0], atol=1e-5)
        np.testing.assert_allclose(y[:, -1, -1], expected[:, -1, -1], atol=1e-5)


def test_unknown_op_is_refused(tmp_path: Path) -> None:
    path = _write_model(tmp_path, np.zeros((3, 3, 2, 2), np.float32), np.zeros(2))
    spec = json.loads(path.read_text())
    spec["modelTopology"]["node"][-1]["op"] = "Erf"
    path.write_text(json.dumps(spec))
    with pytest.raises(ValueError, match="operator Erf is not supported"):
        convert_tfjs(path, outputs={"y": "out"}, input_shape=[1, 4, 4, 2])


def test_nanodet_finds_people_dogs_and_a_kite() -> None:
    if not SOURCES.nanodet.exists():
        pytest.skip(f"{SOURCES.nanodet} missing (npm run build:packs caches it)")
    session = ort.InferenceSession(coco_model(SOURCES.nanodet).SerializeToString(),
                                   providers=["CPUExecutionProvider"])

    def best(photo: str) -> np.ndarray:  # [80] each class's best score
        image = Image.open(SOURCES.photos / f"{photo}.jpg").convert("RGB").resize((224, 224))
        x = (np.asarray(image, np.float32) / 255).transpose(2, 0, 1)[None]
        return np.max([h.reshape(80, -1).max(1) for h in session.run(None, {"image": x})], axis=0)

    person, dog, kite = 0, 16, 33
    assert best("grace_hopper")[person] > 0.6
    assert best("pets")[dog] > 0.45
    assert best("kite_and_cold")[kite] > 0.5
    assert best("owl")[person] < 0.3
