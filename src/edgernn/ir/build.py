"""Building a graph from a spec, with freshly initialised weights."""

from __future__ import annotations

import numpy as np

from edgernn.ir.graph import Graph, Node, Tensor, validate_graph
from edgernn.ir.kinds import get_kind
from edgernn.spec.schema import ModelSpec


def node_plan(spec: ModelSpec) -> list[tuple[str, str, dict, int]]:
    """The (name, kind, attrs, input_size) of each node the spec describes, in order."""
    plan: list[tuple[str, str, dict, int]] = []
    if spec.input.is_tokens:
        attrs = {"vocabulary": spec.input.vocabulary, "dim": spec.input.embedding}
        plan.append(("embedding", "embedding", attrs, 1))
        width = int(spec.input.embedding)
    else:
        width = int(spec.input.features)
    for index, layer in enumerate(spec.layers):
        # unset optional fields (an LSTM's peephole, projection) are not attributes
        attrs = layer.ir_attrs()
        plan.append((f"{layer.type}_{index}", layer.ir_kind, attrs, width))
        width = get_kind(layer.ir_kind).output_size(attrs, width)
    return plan


def _initial_weight(name: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Glorot-uniform matrices, zero biases, unit-variance embedding tables."""
    if name == "table":
        return rng.standard_normal(shape)
    if len(shape) == 1:
        return np.zeros(shape)
    limit = np.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(-limit, limit, size=shape)


def build_graph(spec: ModelSpec, seed: int = 0, random_biases: bool = False) -> Graph:
    """A graph for ``spec`` with initial weights drawn from ``seed``.

    Args:
        spec: the validated model spec.
        seed: seed of the NumPy generator drawing the weights.
        random_biases: draw biases uniformly in [-0.5, 0.5) instead of zeros (tests use this so
            every bias path is exercised).
    """
    rng = np.random.default_rng(seed)
    nodes = []
    for name, kind, attrs, n_in in node_plan(spec):
        weights = {}
        for wname, shape in get_kind(kind).weight_shapes(attrs, n_in).items():
            data = _initial_weight(wname, shape, rng)
            if random_biases and len(shape) == 1:
                data = rng.uniform(-0.5, 0.5, size=shape)
            weights[wname] = Tensor(data.astype(np.float32))
        nodes.append(Node(name=name, kind=kind, attrs=attrs, input_size=n_in, weights=weights))
    graph = Graph(spec=spec, nodes=nodes)
    validate_graph(graph)
    return graph
