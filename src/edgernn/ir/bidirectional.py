"""The ``bidirectional`` layer kind: a recurrent layer run forwards and backwards in time.

One IR node wraps the two directions (docs/ir.md, "Bidirectional layers"), so the graph stays a
chain: ``attrs`` holds ``merge`` (``concat`` or ``sum``), ``return_sequences`` and the wrapped
layer as ``layer: {kind, attrs}``; the weights are the wrapped kind's, prefixed ``fw_`` (forward)
and ``bw_`` (backward). :func:`direction_node` gives each direction as an ordinary node of the
wrapped kind, which is how the golden models, the PyTorch module, the quantizers and the code
generators reuse the wrapped kind's cell, layer, quantizer and emitter.

A bidirectional node needs the whole sequence before its first output: the golden models run a
graph holding one layer by layer (:func:`needs_whole_sequence`), and generated C has only the
whole-sequence ``NAME_run`` (``NAME_step`` returns ``EDGERNN_NEEDS_SEQUENCE``).
"""

from __future__ import annotations

from typing import Any

from edgernn.ir.kinds import LayerKind, OpCounts, Shapes, get_kind, register_kind

KIND = "bidirectional"
DIRECTIONS = ("fw", "bw")
MERGES = ("concat", "sum")


def inner(attrs: dict) -> tuple[str, dict]:
    """The wrapped layer's kind and attributes."""
    layer = attrs["layer"]
    return str(layer["kind"]), dict(layer["attrs"])


def _inner_width(attrs: dict, n_in: int) -> int:
    kind, inner_attrs = inner(attrs)
    return int(get_kind(kind).output_size(inner_attrs, n_in))


def _shapes(attrs: dict, n_in: int) -> Shapes:
    kind, inner_attrs = inner(attrs)
    shapes = get_kind(kind).weight_shapes(inner_attrs, n_in)
    return {f"{d}_{name}": shape for d in DIRECTIONS for name, shape in shapes.items()}


def _output_size(attrs: dict, n_in: int) -> int:
    width = _inner_width(attrs, n_in)
    return 2 * width if attrs.get("merge", "concat") == "concat" else width


def _states(attrs: dict) -> dict[str, int]:
    kind, inner_attrs = inner(attrs)
    sizes = get_kind(kind).state_sizes(inner_attrs)
    return {f"{d}_{name}": size for d in DIRECTIONS for name, size in sizes.items()}


def _ops(attrs: dict, n_in: int) -> OpCounts:
    # two wrapped layers; a sum merge adds one value per output
    kind, inner_attrs = inner(attrs)
    one = get_kind(kind).op_counts(inner_attrs, n_in)
    merge = _inner_width(attrs, n_in) if attrs.get("merge", "concat") == "sum" else 0
    return OpCounts(macs=2 * one.macs, elementwise=2 * one.elementwise + merge,
                    nonlinear=2 * one.nonlinear)


register_kind(
    LayerKind(
        name=KIND,
        recurrent=True,
        weight_shapes=_shapes,
        output_size=_output_size,
        state_sizes=_states,
        op_counts=_ops,
    )
)


def needs_whole_sequence(graph: Any) -> bool:
    """True when ``graph`` holds a bidirectional node (no step-by-step execution)."""
    return any(node.kind == KIND for node in graph.nodes)


def direction_node(node: Any, direction: str) -> Any:
    """The ``fw`` or ``bw`` half of a bidirectional node as a node of the wrapped kind.

    Its name is ``<node>_<direction>``, its weights the prefixed ones (same Tensor objects, so
    annotations come along) and, for a quantized node, its ``quant`` record is
    ``attrs["quant"][direction]``.
    """
    from edgernn.ir.graph import Node  # the graph module imports the kinds registry

    kind, attrs = inner(node.attrs)
    quant = node.attrs.get("quant")
    if isinstance(quant, dict) and direction in quant:
        attrs["quant"] = quant[direction]
    prefix = f"{direction}_"
    weights = {name[len(prefix):]: tensor for name, tensor in node.weights.items()
               if name.startswith(prefix)}
    return Node(name=f"{node.name}_{direction}", kind=kind, attrs=attrs,
                input_size=node.input_size, weights=weights)


def merge_outputs(merge: str, forward: Any, backward: Any, xp: Any) -> Any:
    """``concat`` (forward values first) or ``sum`` of the two directions' outputs (last axis);
    ``xp`` is the array module (NumPy or PyTorch)."""
    if merge == "concat":
        return xp.concatenate([forward, backward], -1)
    return forward + backward
