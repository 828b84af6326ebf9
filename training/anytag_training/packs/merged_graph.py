"""Merge the starter pack v2's detectors into its ConSE graph: one image in, one SDL matrix out.

    image      [n, 3, H, W]  pixels 0..255, the pack's one input (H = W = 224)
    conse      [n, K0, d]    ImageNet ConSE rows (conse_graph.py)
    face       Resize(image, 192) -> BlazeFace full range -> scores [n, A], boxes [n, A, 4]
    coco       image / 255 -> NanoDet -> class scores [n, 80] (max over cells and scales)
    people     [n, P]        person, human, people, face, portrait, group, crowd (signals.py)
    scenes     [n, S]        clip(probs @ Wi + ramp(coco) @ Wc, 0, 1)
    coco rows  [n, T]        the T best non-person COCO classes, ramped scores
    embedding  = Concat(conse, people x Vp, scenes x Vs, coco_rows x Vc[idx])   [n, K0+P+S+T, d]

Every extra row is weight x unit word vector, so the engine scores it like any SDL row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.compose import add_prefix

from .signals import (COCO_RAMP, COCO_TOP, CROWD_COUNT, FACE_ALONE, FACE_RAMP, FACE_SCORE,
                      GROUP_COUNT, PEOPLE_ROWS, PEOPLE_SINGLE, PERSON_PEAK, PERSON_RAMP,
                      PORTRAIT_FACE, Ramp)

FACE_ANCHORS = 48  # full-range BlazeFace: one anchor per cell of a 48 x 48 grid (stride 4)


@dataclass(frozen=True)
class RowVectors:
    """Unit word vectors of the extra rows: people [P, d], scenes [S, d], COCO classes [80, d]."""

    people: np.ndarray
    scenes: np.ndarray
    coco: np.ndarray
    scene_evidence: np.ndarray  # [1 + classes + 80, S]: probs (background first) then COCO


class _Graph:
    def __init__(self, graph: onnx.GraphProto) -> None:
        self.graph = graph

    def const(self, name: str, value: np.ndarray) -> str:
        self.graph.initializer.append(numpy_helper.from_array(value, name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: object) -> str:
        self.graph.node.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def scalar(self, name: str, value: float) -> str:
        return self.const(name, np.array(value, np.float32))

    def ramp(self, x: str, ramp: Ramp, out: str) -> str:
        """clip((x - low) / (high - low), 0, 1)."""
        shifted = self.node("Sub", [x, self.scalar(out + "/low", ramp.low)], out + "/sub")
        scaled = self.node("Div", [shifted, self.scalar(out + "/span", ramp.high - ramp.low)], out + "/div")
        return self.node("Clip", [scaled, self.scalar(out + "/0", 0.0), self.scalar(out + "/1", 1.0)], out)

    def axes(self, name: str, *axes: int) -> str:
        return self.const(name, np.array(axes, np.int64))

    def embed(self, sub: onnx.ModelProto, prefix: str, feed: str) -> None:
        """Append `sub` (prefixed) to the graph, its one input fed from tensor `feed`."""
        sub = add_prefix(sub, prefix)
        self.node("Identity", [feed], sub.graph.input[0].name)
        self.graph.initializer.extend(sub.graph.initializer)
        self.graph.node.extend(sub.graph.node)


def _face(g: _Graph, model: onnx.ModelProto, size: int) -> tuple[str, str, str]:
    """Face branch: (best score [n], best large-face score [n], faces counted [n])."""
    scales = g.const("face/in_scales", np.array([1, 1, 192 / size, 192 / size], np.float32))
    g.embed(model, "face/", g.node("Resize", ["image", "", scales], "face/in", mode="linear"))
    logits = g.node("Squeeze", ["face/reshaped_classifier_face_4", g.axes("face/ax2", 2)], "face/logits")
    scores = g.node("Sigmoid", [logits], "face/scores")  # [n, A]
    best = g.node("ReduceMax", [scores], "face/best", axes=[1], keepdims=0)  # [n]
    reg = "face/reshaped_regressor_face_4"  # [n, A, 16]: dx, dy, w, h (pixels of 192), keypoints
    box = g.node("Slice", [reg, g.axes("face/b0", 0), g.axes("face/b4", 4), g.axes("face/b_ax", 2)],
                 "face/box_px")  # [n, A, 4]
    cell = (np.arange(FACE_ANCHORS, dtype=np.float32) + 0.5) / FACE_ANCHORS
    ys, xs = np.meshgrid(cell, cell, indexing="ij")
    anchors = np.stack([xs.ravel(), ys.ravel(), np.zeros(xs.size), np.zeros(xs.size)], 1)  # [A, 4]
    boxes = g.node("Add", [g.node("Div", [box, g.scalar("face/px", 192.0)], "face/box_rel"),
                           g.const("face/anchors", anchors.astype(np.float32))], "face/boxes")
    height = g.node("Squeeze", [g.node("Slice", [boxes, g.axes("face/h3", 3), g.axes("face/h4", 4),
                                                   g.axes("face/h_ax", 2)], "face/h3d"),
                                g.axes("face/ax2b", 2)], "face/height")  # [n, A]
    large = g.ramp(height, PORTRAIT_FACE, "face/large")
    portrait = g.node("ReduceMax", [g.node("Mul", [scores, large], "face/large_scores")],
                      "face/portrait", axes=[1], keepdims=0)  # [n]
    nms_scores = g.node("Unsqueeze", [scores, g.axes("face/ax1", 1)], "face/nms_scores")  # [n, 1, A]
    kept = helper.make_node("NonMaxSuppression", [
        boxes, nms_scores, g.const("face/max_out", np.array([64], np.int64)),
        g.scalar("face/iou", 0.3), g.scalar("face/thresh", FACE_SCORE)],
        ["face/kept"], name="face/nms", center_point_box=1)  # [m, 3]: batch, class, box
    g.graph.node.append(kept)
    return best, portrait, _count_per_image(g, "face/kept", scores, "face/count")


def _count_per_image(g: _Graph, kept: str, like: str, out: str) -> str:
    """[n] float: how many rows of NMS output `kept` [m, 3] belong to each image of `like` [n, ...]."""
    batch = g.node("Slice", [kept, g.axes(out + "/s0", 0), g.axes(out + "/s1", 1), g.axes(out + "/sa", 1)],
                   out + "/batch")  # [m, 1]
    n = g.node("Gather", [g.node("Shape", [like], out + "/shape"), g.const(out + "/i0", np.array(0, np.int64))],
               out + "/n")
    images = g.node("Range", [g.const(out + "/r0", np.array(0, np.int64)), n,
                              g.const(out + "/r1", np.array(1, np.int64))], out + "/images")  # [n]
    hit = g.node("Cast", [g.node("Equal", [batch, images], out + "/eq")], out + "/hit",
                 to=TensorProto.FLOAT)  # [m, n]
    return g.node("ReduceSum", [hit, g.axes(out + "/ax0", 0)], out, keepdims=0)  # [n]


def _coco(g: _Graph, model: onnx.ModelProto, outputs: list[str], size: int,
          coco_size: int) -> tuple[str, str]:
    """COCO branch: (each class's best score over cells and scales [n, 80], people counted [n]).

    People are counted as local maxima (3 x 3) of the person heat map above PERSON_PEAK, per
    scale; the count is the largest over the scales (one person may peak at two scales)."""
    scaled = g.node("Mul", ["image", g.scalar("coco/inv255", 1 / 255)], "coco/scaled")
    factor = coco_size / size
    scales = g.const("coco/in_scales", np.array([1, 1, factor, factor], np.float32))
    g.embed(model, "coco/", g.node("Resize", [scaled, "", scales], "coco/in", mode="linear"))
    outputs = [f"coco/{o}" for o in outputs]
    per_scale = [g.node("ReduceMax", [o], f"{o}/best", axes=[2, 3], keepdims=0) for o in outputs]
    stacked = g.node("Concat", [g.node("Unsqueeze", [b, g.axes(f"{b}/ax", 2)], f"{b}/3d") for b in per_scale],
                     "coco/per_scale", axis=2)  # [n, 80, scales]
    counts = []
    for o in outputs:
        person = g.node("Slice", [o, g.axes(f"{o}/p0", 0), g.axes(f"{o}/p1", 1), g.axes(f"{o}/pa", 1)],
                        f"{o}/person")  # [n, 1, h, w]
        pooled = g.node("MaxPool", [person], f"{o}/pooled", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
        peak = g.node("And", [g.node("Equal", [person, pooled], f"{o}/is_max"),
                              g.node("Greater", [person, g.scalar(f"{o}/min", PERSON_PEAK)], f"{o}/high")],
                      f"{o}/peak")
        counts.append(g.node("ReduceSum", [g.node("Cast", [peak], f"{o}/peakf", to=TensorProto.FLOAT),
                                           g.axes(f"{o}/all", 1, 2, 3)], f"{o}/count", keepdims=0))
    count = g.node("Max", counts, "coco/person_count")  # [n]
    return g.node("ReduceMax", [stacked], "coco/scores", axes=[2], keepdims=0), count


def _people(g: _Graph, face_best: str, face_portrait: str, face_count: str, coco: str,
            person_count: str) -> str:
    """[n, P] weights of PEOPLE_ROWS (signals.py):
        person = max(det, face x (FACE_ALONE + (1 - FACE_ALONE) x det))   det, face: ramped scores
        human = person;  people = person x (PEOPLE_SINGLE + (1 - PEOPLE_SINGLE) x ramp(count, 1, 3))
        face = face;  portrait = ramp(large face) x clip(3 - faces, 0, 1)
        group = person x ramp(count, GROUP_COUNT);  crowd = person x ramp(count, CROWD_COUNT)
    with count = max(faces counted, people counted by the COCO detector)."""
    face = g.ramp(face_best, FACE_RAMP, "people/face")
    person_score = g.node("Squeeze", [g.node("Slice", [coco, g.axes("people/p0", 0), g.axes("people/p1", 1),
                                                         g.axes("people/pa", 1)], "people/coco_person2d"),
                                      g.axes("people/pax", 1)], "people/coco_person")
    detected = g.ramp(person_score, PERSON_RAMP, "people/detected")
    agree = g.node("Add", [g.scalar("people/alone", FACE_ALONE),
                           g.node("Mul", [detected, g.scalar("people/rest", 1 - FACE_ALONE)], "people/det_part")],
                   "people/agree")
    person = g.node("Max", [detected, g.node("Mul", [face, agree], "people/face_person")], "people/person")
    count = g.node("Max", [face_count, person_count], "people/count")
    several = g.node("Add", [g.scalar("people/single", PEOPLE_SINGLE),
                             g.node("Mul", [g.ramp(count, Ramp(1.0, 3.0), "people/several_n"),
                                            g.scalar("people/more", 1 - PEOPLE_SINGLE)], "people/several_part")],
                     "people/several")
    people = g.node("Mul", [person, several], "people/people")
    few = g.node("Clip", [g.node("Sub", [g.scalar("people/three", 3.0), face_count], "people/3-count"),
                          g.scalar("people/f0", 0.0), g.scalar("people/f1", 1.0)], "people/few")
    portrait = g.node("Mul", [g.ramp(face_portrait, FACE_RAMP, "people/large_face"), few], "people/portrait")
    group = g.node("Mul", [g.ramp(count, GROUP_COUNT, "people/group_n"), person], "people/group")
    crowd = g.node("Mul", [g.ramp(count, CROWD_COUNT, "people/crowd_n"), person], "people/crowd")
    weights = {"person": person, "human": person, "people": people, "face": face,
               "portrait": portrait, "group": group, "crowd": crowd}
    columns = [g.node("Unsqueeze", [weights[row], g.axes(f"people/ax{i}", 1)], f"people/col{i}")
               for i, row in enumerate(PEOPLE_ROWS)]
    return g.node("Concat", columns, "people/weights", axis=1)  # [n, P]


def _rows(g: _Graph, weights: str, vectors: np.ndarray, name: str) -> str:
    """weights [n, R] x unit vectors [R, d] -> rows [n, R, d]."""
    w3 = g.node("Unsqueeze", [weights, g.axes(name + "/ax", 2)], name + "/w3")  # [n, R, 1]
    return g.node("Mul", [w3, g.const(name + "/vectors", vectors.astype(np.float32))], name)


def extend_with_signals(conse: onnx.ModelProto, *, face: onnx.ModelProto, coco: onnx.ModelProto,
                        coco_outputs: list[str], rows: RowVectors, size: int,
                        coco_size: int) -> onnx.ModelProto:
    """The merged model: conse's graph (output "embedding" [n, K0, d], input "image" of side
    `size`, "probs" inside) plus the face and COCO detectors; output "embedding" [n, K', d].
    The COCO detector sees the image resized to coco_size (a multiple of 32)."""
    merged = onnx.ModelProto()
    merged.CopyFrom(conse)
    g = _Graph(merged.graph)
    for node in g.graph.node:  # the ConSE rows become one part of the new output
        for i, name in enumerate(node.output):
            if name == "embedding":
                node.output[i] = "conse/embedding"
    face_best, face_portrait, face_count = _face(g, face, size)
    coco_scores, person_count = _coco(g, coco, coco_outputs, size, coco_size)
    people = _rows(g, _people(g, face_best, face_portrait, face_count, coco_scores, person_count),
                   rows.people, "rows/people")
    coco_weights = g.ramp(coco_scores, COCO_RAMP, "coco/weights")  # [n, 80]
    evidence = g.node("Concat", ["probs", coco_weights], "scenes/evidence", axis=1)  # [n, 1+C+80]
    scene_w = g.node("Clip", [g.node("MatMul", [evidence, g.const("scenes/matrix", rows.scene_evidence)],
                                     "scenes/sum"), g.scalar("scenes/0", 0.0), g.scalar("scenes/1", 1.0)],
                     "scenes/weights")
    scenes = _rows(g, scene_w, rows.scenes, "rows/scenes")
    objects = g.node("Slice", [coco_weights, g.axes("coco/o1", 1), g.axes("coco/o80", 80), g.axes("coco/oa", 1)],
                     "coco/objects")  # [n, 79] (person has its own rows)
    top_w, top_i = "coco/top_w", "coco/top_i"
    g.graph.node.append(helper.make_node("TopK", [objects, g.axes("coco/k", COCO_TOP)], [top_w, top_i],
                                         name="coco/topk", axis=-1))
    gathered = g.node("Gather", [g.const("coco/vectors", rows.coco[1:].astype(np.float32)), top_i],
                      "coco/top_vectors", axis=0)  # [n, T, d]
    coco_rows = g.node("Mul", [gathered, g.node("Unsqueeze", [top_w, g.axes("coco/tax", 2)], "coco/top_w3")],
                       "rows/coco")
    g.node("Concat", ["conse/embedding", people, scenes, coco_rows], "embedding", axis=1)
    k = conse.graph.output[0].type.tensor_type.shape.dim[1].dim_value + rows.people.shape[0] \
        + rows.scenes.shape[0] + COCO_TOP
    out = merged.graph.output[0]
    out.type.tensor_type.shape.dim[1].dim_value = k
    onnx.checker.check_model(merged)
    return merged
