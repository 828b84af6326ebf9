"""A larger input for a classifier graph: the detail pass of the starter pack v2.

    image  [n, 3, 2s, 2s]  the pack's input (pixels as the classifier expects them)
    thumb  = AveragePool(image, 2 x 2, stride 2)          [n, 3, s, s]
    thumb  feeds the classifier where its old input `image` did

The app squash-resizes a photo to the pack's input side with libvips; a box average of 2 x 2
pixels of that is close to the photo at side s, so the classifier and the face detector (which
read `thumb`) see about what they saw before, while the COCO detector can read `image` at twice
the resolution (small and distant people). The classifier's probabilities move a little (another
resampling path): measured on the search-quality bench, docs/starter-pack-card.md.
"""

from __future__ import annotations

import onnx
from onnx import helper

THUMB = "thumb"
FACTOR = 2


def with_detail_input(model: onnx.ModelProto, name: str = "image") -> onnx.ModelProto:
    """A copy of `model` whose input `name` [n, C, s, s] is fed by AveragePool(2 x 2, stride 2)
    of a new input `name` [n, C, 2s, 2s]; the pooled tensor is called THUMB.

    ValueError: `name` is not an NCHW input with a fixed height and width.
    """
    larger = onnx.ModelProto()
    larger.CopyFrom(model)
    graph = larger.graph
    inputs = [i for i in graph.input if i.name == name]
    dims = inputs[0].type.tensor_type.shape.dim if inputs else []
    if len(dims) != 4 or not (dims[2].dim_value and dims[3].dim_value):
        raise ValueError(f"detail input: {name!r} is not an NCHW input with a fixed size")
    for node in graph.node:
        node.input[:] = [THUMB if x == name else x for x in node.input]
    graph.node.insert(0, helper.make_node("AveragePool", [name], [THUMB], name="detail/pool",
                                          kernel_shape=[FACTOR, FACTOR],
                                          strides=[FACTOR, FACTOR]))  # [n, C, s, s]
    dims[2].dim_value *= FACTOR
    dims[3].dim_value *= FACTOR
    onnx.checker.check_model(larger)
    return larger
