"""The photo-look weights (look_graph.py) against their definitions in signals.py, on images
built to have (or lack) each look."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper

from anytag_training.packs.graph_builder import GraphBuilder
from anytag_training.packs.look_graph import look_weights
from anytag_training.packs.signals import LOOK_CEILING, LOOK_ROWS

SIDE = 224


def _look(images: np.ndarray, landscape: float = 1.0) -> dict[str, np.ndarray]:
    """Run look_weights on images [n, 3, SIDE, SIDE] (0..255): row name -> weights [n]."""
    inputs = [helper.make_tensor_value_info("image", TensorProto.FLOAT, [None, 3, SIDE, SIDE]),
              helper.make_tensor_value_info("landscape", TensorProto.FLOAT, [None])]
    graph = helper.make_graph([], "look", inputs, [])
    out = look_weights(GraphBuilder(graph), "image", "landscape", SIDE)
    graph.output.append(helper.make_tensor_value_info(out, TensorProto.FLOAT, None))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    n = len(images)
    weights = session.run(None, {"image": images.astype(np.float32),
                                 "landscape": np.full(n, landscape, np.float32)})[0]
    assert weights.shape == (n, len(LOOK_ROWS))
    assert (weights >= 0).all() and (weights <= 1).all()
    return {row: weights[:, i] for i, row in enumerate(LOOK_ROWS)}


def _flat(rgb: tuple[float, float, float]) -> np.ndarray:
    return np.broadcast_to(np.array(rgb, np.float32)[:, None, None], (3, SIDE, SIDE)).copy()


def _texture(seed: int, low: float, high: float) -> np.ndarray:
    """Grey noise between low and high: full of local contrast."""
    grey = np.random.default_rng(seed).uniform(low, high, (SIDE, SIDE)).astype(np.float32)
    return np.stack([grey] * 3)


def test_grey_images_are_black_and_white_and_colour_ones_are_not() -> None:
    grey = _texture(1, 0, 255)
    tinted = grey.copy()
    tinted[0] = np.clip(tinted[0] + 60, 0, 255)  # every pixel reddened: chroma 60/255 > 0.1
    look = _look(np.stack([grey, _flat((128, 128, 128)), tinted, _flat((30, 120, 200))]))
    np.testing.assert_allclose(look["black and white"], [1, 1, 0, 0], atol=1e-6)


def test_a_dark_cool_smooth_image_is_night_and_a_warm_bright_or_textured_one_is_not() -> None:
    squares = (np.indices((SIDE, SIDE)) // 8).sum(axis=0) % 2 * 60.0  # 8-pixel checkerboard
    textured = np.stack([squares] * 3).astype(np.float32)  # dark (luma 0.12), grey, no smooth sky
    look = _look(np.stack([_flat((0, 0, 0)), _flat((10, 20, 50)), _flat((60, 30, 5)),
                           _flat((200, 200, 220)), textured]))
    # black: luma 0, warmth 0; dark blue: luma ~0.07, cool; lamplight brown: warmth 0.22
    np.testing.assert_allclose(look["night"], [1, 1, 0, 0, 0], atol=1e-6)


def test_a_warm_bright_top_half_over_a_landscape_is_a_sunset() -> None:
    sky = _flat((250, 150, 40))  # warmth 0.82, luma 0.66: every pixel glows
    sky[:, SIDE // 2:] = 20  # dark foreground
    blue = _flat((90, 150, 230))
    warm_close_up = sky.copy()
    assert _look(np.stack([sky, blue]))["sunset"].tolist() == [1, 0]
    # the same pixels without landscape evidence (a warm close-up) are no sunset
    assert _look(np.stack([warm_close_up]), landscape=0.0)["sunset"].tolist() == [0]
    half = sky.copy()
    half[:, : SIDE // 2 - 39] = 20  # glow on 39 of the top 112 rows (0.35): ramp(0.2, 0.5) = 0.5
    np.testing.assert_allclose(_look(half[None])["sunset"], [0.5], atol=0.05)


def test_a_bright_flat_grey_image_is_fog_and_a_textured_or_dark_one_is_not() -> None:
    look = _look(np.stack([_flat((200, 200, 205)), _texture(2, 60, 255), _flat((40, 40, 40)),
                           _flat((230, 200, 20))]))
    # flat light grey: fog; noise: local contrast; dark grey: too dark; bright yellow: chroma
    np.testing.assert_allclose(look["fog"], [1, 0, 0, 0], atol=1e-6)


def test_a_blue_top_third_is_sky_at_its_ceiling() -> None:
    blue_top = _flat((40, 40, 40))
    blue_top[:, : SIDE // 3] = np.array([110, 160, 230], np.float32)[:, None, None]  # sky blue
    green_top = blue_top.copy()
    green_top[:, : SIDE // 3] = np.array([60, 200, 120], np.float32)[:, None, None]  # B < G
    dark_blue = _flat((10, 20, 60))  # B - R 0.2 but luma 0.06: a night sky, not a blue sky
    look = _look(np.stack([blue_top, green_top, dark_blue]))
    np.testing.assert_allclose(look["sky"], [LOOK_CEILING["sky"], 0, 0], atol=1e-6)
