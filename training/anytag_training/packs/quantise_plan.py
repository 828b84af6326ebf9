"""Which nodes of a pack's model an INT8 variant quantises: mixed precision by graph structure.

A pack's graph may hold several networks side by side (the starter pack v2: MobileNetV2, a face
detector and a COCO detector, merged into one ONNX graph). They differ in how much INT8 rounding
moves the pack's labels and in how much time INT8 saves, so each is quantised or kept float on
its own. Everything here reads the graph's structure only (op types and edges), never node names,
so a graph that gains a network (or loses one) is planned the same way:

- always float: the head (from the last global pooling on, `head_nodes`), the first convolution
  of each network (it sees the raw pixels) and its last ones (classifier and detector heads: no
  convolution follows them), where INT8 rounding reorders near-tied scores for little speed;
- a *branch* is every other quantisable node (Conv, MatMul, Gemm) grouped by the first
  convolutions upstream of it: one branch per network.
"""

from __future__ import annotations

import onnx

QUANTISED_OPS = ("Conv", "MatMul", "Gemm")
POOLING = {"GlobalAveragePool", "GlobalMaxPool", "ReduceMean"}


def head_nodes(model: onnx.ModelProto) -> list[str]:
    """Names of the nodes from the last global pooling on (the head), to keep in float.

    The last one: squeeze-and-excitation blocks (TResNet) pool inside the backbone too.
    """
    nodes = list(model.graph.node)
    first = next((n for n in reversed(nodes) if n.op_type in POOLING), None)
    if first is None:
        return []
    tainted = set(first.output)
    head = [first.name]
    for node in nodes[nodes.index(first) + 1 :]:  # graph nodes are topologically sorted
        if tainted.intersection(node.input):
            tainted.update(node.output)
            head.append(node.name)
    return head


def _input_roots(model: onnx.ModelProto) -> dict[str, frozenset[str]]:
    """For every node, the first convolutions upstream of it or itself (a network's input
    convolutions: those with no convolution upstream). Nodes are in topological order (ONNX)."""
    tensor_roots: dict[str, frozenset[str]] = {}
    roots: dict[str, frozenset[str]] = {}
    for node in model.graph.node:
        above = frozenset().union(*(tensor_roots.get(i, frozenset()) for i in node.input))
        if node.op_type == "Conv" and not above:
            above = frozenset([node.name])
        roots[node.name] = above
        for out in node.output:
            tensor_roots[out] = above
    return roots


def _conv_below(model: onnx.ModelProto) -> dict[str, bool]:
    """For every node, whether a convolution lies downstream of it (not counting itself)."""
    tensor_below: dict[str, bool] = {}
    below: dict[str, bool] = {}
    for node in reversed(model.graph.node):
        found = any(tensor_below.get(out, False) for out in node.output)
        below[node.name] = found
        for name in node.input:
            tensor_below[name] = tensor_below.get(name, False) or found or node.op_type == "Conv"
    return below


def edge_convs(model: onnx.ModelProto) -> list[str]:
    """Convolutions with no convolution upstream (a network's first) or downstream (its last)."""
    roots, below = _input_roots(model), _conv_below(model)
    return [
        n.name
        for n in model.graph.node
        if n.op_type == "Conv" and (roots[n.name] == {n.name} or not below[n.name])
    ]


def always_float(model: onnx.ModelProto) -> list[str]:
    """Nodes no INT8 variant quantises: the head and the edge convolutions, in graph order."""
    keep = set(head_nodes(model)) | set(edge_convs(model))
    return [n.name for n in model.graph.node if n.name in keep]


def branches(model: onnx.ModelProto) -> dict[str, list[str]]:
    """The quantisable nodes outside `always_float`, grouped by network.

    Returns {branch: [node names in graph order]}, the branch named by the first convolution(s)
    upstream of its nodes ("+"-joined), in the order the branches first appear in the graph.
    """
    keep = set(always_float(model))
    input_roots = _input_roots(model)
    grouped: dict[str, list[str]] = {}
    for node in model.graph.node:
        if node.op_type not in QUANTISED_OPS or node.name in keep:
            continue
        roots = input_roots[node.name]
        key = "+".join(sorted(roots)) if roots else "(no convolution upstream)"
        grouped.setdefault(key, []).append(node.name)
    return grouped
