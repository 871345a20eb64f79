"""The intermediate representation every stage reads and writes."""

from edgernn.ir import bidirectional as _bidirectional  # noqa: F401  (registers the kind)
from edgernn.ir.build import build_graph, node_plan
from edgernn.ir.counting import ModelCount, count_model
from edgernn.ir.graph import Graph, Node, Tensor, validate_graph
from edgernn.ir.kinds import (
    LAYER_KINDS,
    InputProjection,
    LayerKind,
    get_kind,
    input_projected,
    register_kind,
)
from edgernn.ir.serialize import load_graph, save_graph

__all__ = [
    "LAYER_KINDS", "Graph", "InputProjection", "LayerKind", "ModelCount", "Node", "Tensor",
    "build_graph", "count_model", "get_kind", "input_projected", "load_graph", "node_plan",
    "register_kind", "save_graph", "validate_graph",
]
