"""Merge the starter pack v2's detectors into its ConSE graph: one image in, one SDL matrix out.

    image      [n, 3, H, W]  pixels 0..255, the pack's one input (H = W = 224)
    conse      [n, K0, d]    ImageNet ConSE rows (conse_graph.py)
    face       Resize(image, 192) -> BlazeFace full range -> scores [n, A], boxes [n, A, 4]
    coco       per pass: Resize(image, C) / 255 -> NanoDet -> class scores [n, 80] (max over
               cells, scales and passes), people counted (C: each pass's side, a multiple of
               32; the passes share one set of weights)
    people     [n, P]        person, human, people, face, portrait, group, crowd (signals.py)
    scenes     [n, S]        clip(probs @ Wi + ramp(coco) @ Wc, 0, 1)
    coco rows  [n, T]        the T best non-person COCO classes, ramped scores
    look       [n, L]        photo look from the pixels (look_graph.py; sunset uses the
                             landscape scene weight)
    embedding  = Concat(conse, people x Vp, scenes x Vs, coco_rows x Vc[idx], look x Vl)
                 [n, K0+P+S+T+L, d]

Every extra row is weight x unit word vector, so the engine scores it like any SDL row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
from onnx import helper

from .graph_builder import GraphBuilder
from .look_graph import look_weights
from .signals import (COCO_RAMP, COCO_TOP, CROWD_COUNT, FACE_ALONE, FACE_RAMP, FACE_SCORE,
                      FACE_SIZE, FACE_SMALL, GROUP_COUNT, PEOPLE_ROWS, PEOPLE_SINGLE,
                      PERSON_PEAK, PERSON_RAMP, PORTRAIT_FACE, PORTRAIT_MOST, SCENES, WORN_PERSON,
                      Ramp)

FACE_SIDE = 192  # full-range BlazeFace input side
FACE_ANCHORS = 48  # one anchor per cell of a 48 x 48 grid (stride 4)


@dataclass(frozen=True)
class RowVectors:
    """Unit word vectors of the extra rows: people [P, d], scenes [S, d], COCO classes [80, d],
    look [L, d] (signals.LOOK_ROWS)."""

    people: np.ndarray
    scenes: np.ndarray
    coco: np.ndarray
    look: np.ndarray
    scene_evidence: np.ndarray  # [1 + classes + 80, S]: probs (background first) then COCO
    worn: np.ndarray  # [1 + classes + 80, 1]: signals.WORN classes (person evidence)


@dataclass(frozen=True)
class FaceSignals:
    """What the face branch gives per image, each [n]: the best face score; the best over faces
    of ramp(score, FACE_RAMP) x ramp(height, FACE_SIZE) (a face big enough to be a subject);
    the same with PORTRAIT_FACE; the faces counted after NMS."""

    best: str
    clear: str
    portrait: str
    count: str


def _face(g: GraphBuilder, model: onnx.ModelProto, size: int) -> FaceSignals:
    """Face branch on "image" (side `size`), heights relative to the image height."""
    g.embed(model, "face/", g.resize("image", FACE_SIDE / size, "face/in"))
    logits = g.squeeze("face/reshaped_classifier_face_4", 2, "face/logits")  # [n, A]
    scores = g.node("Sigmoid", [logits], "face/scores")  # [n, A]
    # regressors [n, A, 16]: dx, dy, w, h in input pixels, then 6 keypoints
    box = g.slice("face/reshaped_regressor_face_4", 0, 4, 2, "face/box_px")  # [n, A, 4]
    cell = (np.arange(FACE_ANCHORS, dtype=np.float32) + 0.5) / FACE_ANCHORS
    ys, xs = np.meshgrid(cell, cell, indexing="ij")
    zeros = np.zeros(xs.size)
    anchors = np.stack([xs.ravel(), ys.ravel(), zeros, zeros], 1).astype(np.float32)  # [A, 4]
    relative = g.node("Div", [box, g.scalar("face/px", float(FACE_SIDE))], "face/box_rel")
    boxes = g.node("Add", [relative, g.const("face/anchors", anchors)], "face/boxes")  # cx cy w h
    height = g.squeeze(g.slice(boxes, 3, 4, 2, "face/h3d"), 2, "face/height")  # [n, A]
    sure = g.ramp(scores, FACE_RAMP, "face/sure")  # [n, A]
    large = g.node("Mul", [sure, g.ramp(height, PORTRAIT_FACE, "face/large")], "face/large_w")
    clear = g.node("Mul", [sure, g.ramp(height, FACE_SIZE, "face/sized")], "face/clear_w")
    g.graph.node.append(helper.make_node(
        "NonMaxSuppression",
        [boxes, g.unsqueeze(scores, 1, "face/nms_scores"),  # [n, 1, A]
         g.const("face/max_out", np.array([64], np.int64)), g.scalar("face/iou", 0.3),
         g.scalar("face/thresh", FACE_SCORE)],
        ["face/kept"], name="face/nms", center_point_box=1))  # [m, 3]: batch, class, box
    return FaceSignals(g.max_over(scores, [1], "face/best"), g.max_over(clear, [1], "face/clear"),
                       g.max_over(large, [1], "face/portrait"),
                       _count_per_image(g, "face/kept", scores, "face/count"))


def _count_per_image(g: GraphBuilder, kept: str, like: str, out: str) -> str:
    """[n] float: how many rows of NMS output `kept` [m, 3] belong to each image of `like`."""
    batch = g.slice(kept, 0, 1, 1, out + "/batch")  # [m, 1]
    n = g.node("Gather", [g.node("Shape", [like], out + "/shape"),
                          g.const(out + "/i0", np.array(0, np.int64))], out + "/n")
    images = g.node("Range", [g.const(out + "/r0", np.array(0, np.int64)), n,
                              g.const(out + "/r1", np.array(1, np.int64))], out + "/images")  # [n]
    hit = g.as_float(g.node("Equal", [batch, images], out + "/eq"), out + "/hit")  # [m, n]
    return g.node("ReduceSum", [hit, g.axes(out + "/ax0", 0)], out, keepdims=0)  # [n]


def _coco_pass(g: GraphBuilder, model: onnx.ModelProto, heads: list[str], size: int,
               coco_side: int, prefix: str,
               weights_of: str | None) -> tuple[list[str], list[str]]:
    """One pass on "image" (side `size`) resized to `coco_side`: per scale, each class's best
    score [n, 80, 1] and the people counted [n]."""
    scaled = g.node("Mul", ["image", g.scalar(prefix + "inv255", 1 / 255)], prefix + "scaled")
    feed = scaled if coco_side == size else g.resize(scaled, coco_side / size, prefix + "in")
    g.embed(model, prefix, feed, weights_of)
    best, counts = [], []
    for head in (f"{prefix}{h}" for h in heads):  # [n, 80, h, w] each
        best.append(g.unsqueeze(g.max_over(head, [2, 3], head + "/best"), 2, head + "/best3"))
        person = g.slice(head, 0, 1, 1, head + "/person")  # [n, 1, h, w]
        pooled = g.node("MaxPool", [person], head + "/pooled", kernel_shape=[3, 3],
                        pads=[1, 1, 1, 1])
        peak = g.node("And", [g.node("Equal", [person, pooled], head + "/is_max"),
                              g.node("Greater", [person, g.scalar(head + "/min", PERSON_PEAK)],
                                     head + "/high")], head + "/peak")
        counts.append(g.node("ReduceSum", [g.as_float(peak, head + "/peakf"),
                                           g.axes(head + "/all", 1, 2, 3)],
                             head + "/count", keepdims=0))  # [n]
    return best, counts


def _coco(g: GraphBuilder, model: onnx.ModelProto, heads: list[str], size: int,
          coco_sides: list[int]) -> tuple[str, str]:
    """COCO branch: (each class's best score over cells, scales and passes [n, 80], people
    counted [n]). The passes share one set of weights.

    People are counted as local maxima (3 x 3) of the person heat map above PERSON_PEAK, per
    scale; the count is the largest over scales and passes (one person may peak at two)."""
    best, counts = [], []
    for i, side in enumerate(coco_sides):
        prefix = "coco/" if i == 0 else f"coco{i + 1}/"
        b, c = _coco_pass(g, model, heads, size, side, prefix, None if i == 0 else "coco/")
        best += b
        counts += c
    stacked = g.node("Concat", best, "coco/per_scale", axis=2)  # [n, 80, scales x passes]
    return g.max_over(stacked, [2], "coco/scores"), g.node("Max", counts, "coco/person_count")


def _people(g: GraphBuilder, faces: FaceSignals, coco: str, person_count: str,
            worn: str) -> str:
    """[n, P] weights of PEOPLE_ROWS (signals.py):
        person = max(det, face x (FACE_ALONE + (1 - FACE_ALONE) x det), WORN_PERSON x worn)
        (det, face: ramped scores; worn: summed probability of clothes and people classes)
        human = person;  people = person x (PEOPLE_SINGLE + (1 - PEOPLE_SINGLE) x ramp(count, 1, 3))
        face = max(FACE_SMALL x face, clear face)   (a face too small to be the subject counts
               FACE_SMALL)
        portrait = large face x clip((PORTRAIT_MOST + 1 - faces) / 2, 0, 1)
        group = person x ramp(count, GROUP_COUNT);  crowd = person x ramp(count, CROWD_COUNT)
    with count = max(faces counted, people counted by the COCO detector)."""
    face = g.ramp(faces.best, FACE_RAMP, "people/face")
    detected = g.ramp(g.squeeze(g.slice(coco, 0, 1, 1, "people/coco2d"), 1, "people/coco_person"),
                      PERSON_RAMP, "people/detected")
    agree = g.affine(detected, 1 - FACE_ALONE, FACE_ALONE, "people/agree")
    dressed = g.node("Mul", [worn, g.scalar("people/worn_w", WORN_PERSON)], "people/dressed")
    person = g.node("Max", [detected, g.node("Mul", [face, agree], "people/face_person"), dressed],
                    "people/person")
    count = g.node("Max", [faces.count, person_count], "people/count")
    several = g.affine(g.ramp(count, Ramp(1.0, 3.0), "people/several_n"), 1 - PEOPLE_SINGLE,
                       PEOPLE_SINGLE, "people/several")
    few = g.clip01(g.affine(faces.count, -0.5, (PORTRAIT_MOST + 1) / 2, "people/few_lin"),
                   "people/few")
    subject = g.node("Max", [g.node("Mul", [face, g.scalar("people/small_w", FACE_SMALL)],
                                    "people/small_face"),
                             faces.clear], "people/subject")
    weights = {
        "person": person, "human": person,
        "people": g.node("Mul", [person, several], "people/people"),
        "face": subject,
        "portrait": g.node("Mul", [faces.portrait, few],
                           "people/portrait"),
        "group": g.node("Mul", [g.ramp(count, GROUP_COUNT, "people/group_n"), person],
                        "people/group"),
        "crowd": g.node("Mul", [g.ramp(count, CROWD_COUNT, "people/crowd_n"), person],
                        "people/crowd"),
    }
    columns = [g.unsqueeze(weights[row], 1, f"people/col{i}") for i, row in enumerate(PEOPLE_ROWS)]
    return g.node("Concat", columns, "people/weights", axis=1)  # [n, P]


def _rows(g: GraphBuilder, weights: str, vectors: np.ndarray, name: str) -> str:
    """weights [n, R] x unit vectors [R, d] -> rows [n, R, d]."""
    return g.node("Mul", [g.unsqueeze(weights, 2, name + "/w3"),  # [n, R, 1]
                          g.const(name + "/vectors", vectors.astype(np.float32))], name)


def _coco_rows(g: GraphBuilder, coco_weights: str, vectors: np.ndarray) -> str:
    """The COCO_TOP best classes but person (it has its own rows): [n, T, d]."""
    objects = g.slice(coco_weights, 1, 80, 1, "coco/objects")  # [n, 79]
    g.graph.node.append(helper.make_node("TopK", [objects, g.axes("coco/k", COCO_TOP)],
                                         ["coco/top_w", "coco/top_i"], name="coco/topk", axis=-1))
    gathered = g.node("Gather", [g.const("coco/vectors", vectors[1:].astype(np.float32)),
                                 "coco/top_i"], "coco/top_vectors", axis=0)  # [n, T, d]
    return g.node("Mul", [gathered, g.unsqueeze("coco/top_w", 2, "coco/top_w3")], "rows/coco")


def extend_with_signals(conse: onnx.ModelProto, *, face: onnx.ModelProto, coco: onnx.ModelProto,
                        coco_outputs: list[str], rows: RowVectors, size: int,
                        coco_sides: list[int]) -> onnx.ModelProto:
    """The merged model: conse's graph (output "embedding" [n, K0, d], input "image" of side
    `size`, "probs" inside) plus the face and COCO detectors; output "embedding" [n, K', d].
    The COCO detector runs once per side of coco_sides (multiples of 32; the image resized to
    it), one set of weights, its scores maxed over the passes."""
    merged = onnx.ModelProto()
    merged.CopyFrom(conse)
    g = GraphBuilder(merged.graph)
    for node in g.graph.node:  # the ConSE rows become one part of the new output
        for i, name in enumerate(node.output):
            if name == "embedding":
                node.output[i] = "conse/embedding"
    faces = _face(g, face, size)
    coco_scores, person_count = _coco(g, coco, coco_outputs, size, coco_sides)
    coco_weights = g.ramp(coco_scores, COCO_RAMP, "coco/weights")  # [n, 80]
    evidence = g.node("Concat", ["probs", coco_weights], "scenes/evidence", axis=1)  # [n, 1+C+80]
    worn = g.clip01(g.squeeze(g.node("MatMul", [evidence, g.const("people/worn", rows.worn)],
                                     "people/worn_sum"), 1, "people/worn_1d"), "people/worn01")
    people = _people(g, faces, coco_scores, person_count, worn)
    scene_sum = g.node("MatMul", [evidence, g.const("scenes/matrix", rows.scene_evidence)],
                       "scenes/sum")  # [n, S]
    scenes = g.clip01(scene_sum, "scenes/weights")  # [n, S]
    at = list(SCENES).index("landscape")
    landscape = g.squeeze(g.slice(scenes, at, at + 1, 1, "look/landscape2d"), 1, "look/landscape")
    parts = [_rows(g, people, rows.people, "rows/people"),
             _rows(g, scenes, rows.scenes, "rows/scenes"),
             _coco_rows(g, coco_weights, rows.coco),
             _rows(g, look_weights(g, "image", landscape, size), rows.look, "rows/look")]
    g.node("Concat", ["conse/embedding", *parts], "embedding", axis=1)
    out = merged.graph.output[0].type.tensor_type.shape.dim[1]
    out.dim_value += len(rows.people) + len(rows.scenes) + COCO_TOP + len(rows.look)
    onnx.checker.check_model(merged)
    return merged
