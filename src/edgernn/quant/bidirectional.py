"""Integer quantization of a bidirectional node: each half by its wrapped kind's quantizer.

Both halves get the node's calibrated ranges (the observer of the layer-by-layer golden model
records both directions' outputs and states under the node), so they share one output
quantization: the concatenated int8/int16 vector has one scale and zero point, as every
activation tensor. A ``sum`` merge would need a requantized addition and is refused.
"""

from __future__ import annotations

import copy

from edgernn.errors import QuantizationError
from edgernn.ir.bidirectional import DIRECTIONS, KIND, direction_node
from edgernn.ir.graph import Node, Tensor
from edgernn.quant.calibrate import NodeStats
from edgernn.quant.quantize import INTEGER_RECIPES, Context, get_recipe, register_node_quantizer


@register_node_quantizer(*INTEGER_RECIPES, kind=KIND)
def quantize_bidirectional(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """Quantize the ``fw`` and ``bw`` halves alike; ``attrs["quant"]`` keeps each half's record
    under its direction and the shared input and output parameters at the top."""
    merge = node.attrs.get("merge", "concat")
    if merge != "concat":
        raise QuantizationError(
            f"layer {node.name}: bidirectional merge {merge!r} has no {ctx.variant} quantizer "
            "(supported: concat)"
        )
    recipe = get_recipe(ctx.variant)
    weights: dict[str, Tensor] = {}
    records: dict[str, dict] = {}
    for direction in DIRECTIONS:
        half = direction_node(node, direction)
        quantizer = recipe.kinds.get(half.kind)
        if quantizer is None or half.kind == KIND:
            raise QuantizationError(
                f"layer {node.name}: wrapped kind {half.kind!r} has no {ctx.variant} quantizer"
            )
        done = quantizer(half, stats, ctx)
        records[direction] = done.attrs["quant"]
        weights |= {f"{direction}_{k}": t for k, t in done.weights.items()}
    if records["fw"]["output"] != records["bw"]["output"]:
        raise QuantizationError(f"layer {node.name}: the two directions' outputs differ")
    attrs = copy.deepcopy(node.attrs)
    attrs["quant"] = {"variant": ctx.variant, **{k: records["fw"][k] for k in ("input", "output")
                                                  if k in records["fw"]}, **records}
    ordered = {name: weights[name] for name in node.weights}
    return Node(name=node.name, kind=node.kind, attrs=attrs, input_size=node.input_size,
                weights=ordered)
