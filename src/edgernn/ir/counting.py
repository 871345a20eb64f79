"""Parameter and operation counts per layer and per model, from the IR.

``macs`` counts the multiply-accumulates of the matrix-vector products only (one per weight
element per time step, the survey's Table 3 convention), times the sequence length.

EdgeMark's published "MACs" are TensorFlow profiler FLOPs divided by two: each matrix MAC is
2 FLOPs, each elementwise addition or multiplication (bias adds, gate sums, state updates) is
1 FLOP, a softmax costs 5 FLOPs per element and other activations 0. ``edgemark_macs`` applies
that rule to the same per-layer counts, which reproduces the seven published figures exactly
(see tests/ir/test_counting.py); ``edgemark_macs - macs`` is the elementwise work.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction

from edgernn.ir.graph import Graph, Node
from edgernn.ir.kinds import get_kind


@dataclass(frozen=True)
class LayerCount:
    """Counts of one layer: parameters, and operations per time step and per sequence."""

    name: str
    kind: str
    parameters: int
    macs_per_step: int
    elementwise_per_step: int
    nonlinear_per_step: int
    macs: int
    edgemark_macs: Fraction

    def as_dict(self) -> dict:
        """Plain-value view (JSON output)."""
        out = asdict(self)
        out["edgemark_macs"] = float(self.edgemark_macs)
        return out


@dataclass(frozen=True)
class ModelCount:
    """Per-layer counts and their model totals."""

    layers: list[LayerCount]

    @property
    def parameters(self) -> int:
        """All weights and biases of the model."""
        return sum(layer.parameters for layer in self.layers)

    @property
    def macs(self) -> int:
        """Matrix-vector multiply-accumulates of one inference (whole sequence)."""
        return sum(layer.macs for layer in self.layers)

    @property
    def edgemark_macs(self) -> int:
        """The MAC figure as EdgeMark reports it (TF profiler FLOPs / 2), rounded."""
        return round(sum(layer.edgemark_macs for layer in self.layers))


def count_node(node: Node, steps: int) -> LayerCount:
    """Counts of one node over ``steps`` time steps."""
    kind = get_kind(node.kind)
    ops = kind.op_counts(node.attrs, node.input_size)
    flops_per_step = (
        2 * ops.macs + ops.elementwise + kind.activation_flops(node.attrs) * node.output_size
    )
    return LayerCount(
        name=node.name,
        kind=node.kind,
        parameters=sum(int(t.data.size) for t in node.weights.values()),
        macs_per_step=ops.macs,
        elementwise_per_step=ops.elementwise,
        nonlinear_per_step=ops.nonlinear,
        macs=ops.macs * steps,
        edgemark_macs=Fraction(flops_per_step * steps, 2),
    )


def count_model(graph: Graph) -> ModelCount:
    """Counts of every node of ``graph`` over its sequence length."""
    return ModelCount([count_node(n, graph.sequence_length) for n in graph.nodes])
