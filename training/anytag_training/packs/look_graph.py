"""The starter pack's "photo look" weights, computed in-graph from the pixels (signals.py).

    image      [n, 3, H, W]  pixels 0..255 (the pack's input)
    Y, C, W    [n, 1, H, W]  luma, chroma (max - min of R, G, B), warmth (R - B), all 0..1
    mono       1 - ramp(share of pixels with C > COLOURFUL, MONOCHROME)
    night      (1 - ramp(mean Y, LOW_LIGHT)) x (1 - ramp(mean W, COOL))
               x (1 - ramp(local contrast of the top third, HAZE_CONTRAST))   (a smooth sky)
    sunset     ramp(share of top-half pixels with W > GLOW_WARMTH and Y > GLOW_LUMA, GLOW)
               x landscape (the scene row's weight, from the classifier)
    fog        (1 - ramp(local contrast, HAZE_CONTRAST)) x ramp(mean Y, HAZE_LUMA)
               x (1 - ramp(mean C, HAZE_CHROMA)); local contrast = mean |Y4 - 3 x 3 mean of Y4|
               over Y4, the luma averaged over 4 x 4 blocks
    sky        ramp(share of top-third pixels with B - R > SKY_BLUE[0], B >= G and
               Y > SKY_BLUE[1], BLUE_SKY)   (a blue sky)
    weights    [n, 5]        in signals.LOOK_ROWS order, each x its LOOK_CEILING (else 1)
"""

from __future__ import annotations

import numpy as np

from .graph_builder import GraphBuilder
from .signals import (BLUE_SKY, COLOURFUL, COOL, GLOW, GLOW_LUMA, GLOW_WARMTH, HAZE_CHROMA,
                      HAZE_CONTRAST, HAZE_LUMA, LOOK_CEILING, LOOK_ROWS, LOW_LIGHT, MONOCHROME,
                      SKY_BLUE, Ramp)

LUMA = (0.299, 0.587, 0.114)  # ITU-R BT.601 luma weights of R, G, B


def _mean(g: GraphBuilder, x: str, out: str) -> str:
    """[n, 1, h, w] -> [n]: the mean over the image."""
    return g.node("ReduceMean", [x], out, axes=[1, 2, 3], keepdims=0)


def _share(g: GraphBuilder, x: str, threshold: float, out: str) -> str:
    """[n, 1, h, w] -> [n]: the fraction of pixels above threshold."""
    above = g.node("Greater", [x, g.scalar(out + "/t", threshold)], out + "/above")
    return _mean(g, g.as_float(above, out + "/f"), out)


def _falling(g: GraphBuilder, x: str, ramp: Ramp, out: str) -> str:
    """1 - ramp(x): 1 at or below ramp.low, 0 at or above ramp.high."""
    return g.affine(g.ramp(x, ramp, out + "/ramp"), -1.0, 1.0, out)


def _channels(g: GraphBuilder, image: str, weights: tuple[float, float, float], out: str) -> str:
    """[n, 3, h, w] -> [n, 1, h, w]: the weighted sum of R, G, B."""
    w = g.const(out + "/w", np.array(weights, np.float32).reshape(1, 3, 1, 1))
    return g.node("ReduceSum", [g.node("Mul", [image, w], out + "/mul"), g.axes(out + "/c", 1)],
                  out, keepdims=1)


def _blue_sky(g: GraphBuilder, x: str, luma: str, rows: int) -> str:
    """[n]: ramp(share of sky-blue pixels in the top `rows` rows, BLUE_SKY)."""
    top = g.slice(x, 0, rows, 2, "look/sky_top")  # [n, 3, rows, W]
    red, green, blue = (g.slice(top, c, c + 1, 1, f"look/sky_{n}") for c, n in enumerate("rgb"))
    bluish = g.node("Greater", [g.node("Sub", [blue, red], "look/sky_b_r"),
                                g.scalar("look/sky_margin", SKY_BLUE[0])], "look/sky_bluish")
    not_green = g.node("GreaterOrEqual", [blue, green], "look/sky_b_g")
    lit = g.node("Greater", [g.slice(luma, 0, rows, 2, "look/sky_y"),
                             g.scalar("look/sky_luma", SKY_BLUE[1])], "look/sky_lit")
    sky_px = g.node("And", [g.node("And", [bluish, not_green], "look/sky_hue"), lit], "look/sky_px")
    return g.ramp(_mean(g, g.as_float(sky_px, "look/sky_f"), "look/sky_share"), BLUE_SKY,
                  "look/sky")


def look_weights(g: GraphBuilder, image: str, landscape: str, size: int) -> str:
    """[n, len(LOOK_ROWS)] weights from `image` (0..255, side `size`) and `landscape` [n]."""
    x = g.node("Mul", [image, g.scalar("look/inv255", 1 / 255)], "look/x")
    luma = _channels(g, x, LUMA, "look/luma")
    warmth = _channels(g, x, (1.0, 0.0, -1.0), "look/warmth")
    chroma = g.node("Sub", [g.node("ReduceMax", [x], "look/max", axes=[1], keepdims=1),
                            g.node("ReduceMin", [x], "look/min", axes=[1], keepdims=1)],
                    "look/chroma")
    mean_luma = _mean(g, luma, "look/mean_luma")
    mono = _falling(g, _share(g, chroma, COLOURFUL, "look/colourful"), MONOCHROME, "look/mono")
    top = size // 2
    glowing = g.node("And", [
        g.node("Greater", [g.slice(warmth, 0, top, 2, "look/top_w"),
                           g.scalar("look/glow_w", GLOW_WARMTH)], "look/warm_px"),
        g.node("Greater", [g.slice(luma, 0, top, 2, "look/top_y"),
                           g.scalar("look/glow_y", GLOW_LUMA)], "look/bright_px")],
        "look/glowing")
    glow = g.ramp(_mean(g, g.as_float(glowing, "look/glowing_f"), "look/glow_share"), GLOW,
                  "look/glow")
    sunset = g.node("Mul", [glow, landscape], "look/sunset")
    blocks = g.node("AveragePool", [luma], "look/luma4", kernel_shape=[4, 4], strides=[4, 4])
    around = g.node("AveragePool", [blocks], "look/around", kernel_shape=[3, 3],
                    pads=[1, 1, 1, 1], count_include_pad=0)
    detail = g.node("Abs", [g.node("Sub", [blocks, around], "look/diff")], "look/detail")
    contrast = _mean(g, detail, "look/contrast")
    top_contrast = _mean(g, g.slice(detail, 0, size // 4 // 3, 2, "look/top_detail"),
                         "look/top_contrast")
    dark_cool = g.node("Mul", [_falling(g, mean_luma, LOW_LIGHT, "look/low_light"),
                               _falling(g, _mean(g, warmth, "look/mean_warmth"), COOL,
                                        "look/cool")], "look/dark_cool")
    night = g.node("Mul", [dark_cool, _falling(g, top_contrast, HAZE_CONTRAST, "look/smooth_top")],
                   "look/night")
    fog = g.node("Mul", [
        g.node("Mul", [_falling(g, contrast, HAZE_CONTRAST, "look/smooth"),
                       g.ramp(mean_luma, HAZE_LUMA, "look/light")], "look/smooth_light"),
        _falling(g, _mean(g, chroma, "look/mean_chroma"), HAZE_CHROMA, "look/grey")], "look/fog")
    columns = {"black and white": mono, "night": night, "sunset": sunset, "fog": fog,
               "sky": _blue_sky(g, x, luma, size // 3)}
    ceilings = np.array([LOOK_CEILING.get(row, 1.0) for row in LOOK_ROWS], np.float32)
    stacked = g.node("Concat", [g.unsqueeze(columns[row], 1, f"look/col{i}")
                                for i, row in enumerate(LOOK_ROWS)], "look/stacked", axis=1)
    return g.node("Mul", [stacked, g.const("look/ceilings", ceilings)], "look/weights")
