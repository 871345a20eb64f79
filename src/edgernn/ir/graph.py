"""The intermediate representation: a chain of layer nodes carrying NumPy weights.

Every stage reads and writes this: the spec builder and the trainer produce a ``Graph``,
optimisation passes transform it, the reference interprets it, code generation consumes it.
The weight layout of each kind is documented in :mod:`edgernn.ir.kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from edgernn.errors import ModelFileError
from edgernn.ir.kinds import get_kind, input_projected
from edgernn.spec.schema import ModelSpec


@dataclass
class Tensor:
    """A weight tensor and its annotations.

    ``annotations`` holds per-tensor facts later passes attach (quantization parameters,
    sparsity format, activation approximation); it is serialised with the graph.
    """

    data: np.ndarray
    annotations: dict[str, Any] = field(default_factory=dict)


@dataclass
class Node:
    """One layer: its registered kind, attributes, input width and weights."""

    name: str
    kind: str
    attrs: dict[str, Any]
    input_size: int
    weights: dict[str, Tensor]

    @property
    def output_size(self) -> int:
        """Width of the layer's output vector per time step."""
        return get_kind(self.kind).output_size(self.attrs, self.input_size)

    @property
    def recurrent(self) -> bool:
        """True for layers with state carried across time steps."""
        return get_kind(self.kind).recurrent

    def w(self, name: str) -> np.ndarray:
        """The array of weight ``name``."""
        return self.weights[name].data


@dataclass
class Graph:
    """A whole model: the spec it came from and its nodes in execution order."""

    spec: ModelSpec
    nodes: list[Node]
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The model's name (a C identifier)."""
        return self.spec.name

    @property
    def sequence_length(self) -> int:
        """Time steps per inference."""
        return self.spec.sequence_length

    @property
    def tokens_input(self) -> bool:
        """True when each step's input is one token id (the first node is an embedding)."""
        return self.spec.input.is_tokens

    @property
    def input_size(self) -> int:
        """Values per time step fed to the model (1 for a token id)."""
        return 1 if self.tokens_input else int(self.spec.input.features)

    @property
    def output_size(self) -> int:
        """Values per time step produced by the model."""
        return self.nodes[-1].output_size

    @property
    def sequential_output(self) -> bool:
        """True when the model outputs every time step, False when only the last."""
        recurrent = [n for n in self.nodes if n.recurrent]
        return bool(recurrent[-1].attrs.get("return_sequences", True))

    def node(self, name: str) -> Node:
        """The node called ``name``."""
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)


def validate_graph(graph: Graph) -> None:
    """Check the invariants every stage relies on; raise ModelFileError naming the broken one.

    Known kinds, chained widths (an ``input_projected`` node takes ``gates * units`` values),
    the weight names and shapes of each kind, finite float values.
    """
    width = None
    if not graph.nodes:
        raise ModelFileError("graph has no nodes")
    for node in graph.nodes:
        try:
            kind = get_kind(node.kind)
        except KeyError as exc:
            raise ModelFileError(f"node {node.name}: {exc.args[0]}") from None
        if width is not None and node.input_size != width:
            raise ModelFileError(
                f"node {node.name}: input size {node.input_size} != previous output {width}"
            )
        if input_projected(node.attrs):
            if kind.input_projection is None:
                raise ModelFileError(
                    f"node {node.name}: kind {node.kind!r} cannot take a projected input "
                    "(input_projected)"
                )
            width_needed = kind.input_projection.width(node.attrs)
            if node.input_size != width_needed:
                raise ModelFileError(
                    f"node {node.name}: projected input size {node.input_size} != "
                    f"gates x units {width_needed}"
                )
        expected = kind.weight_shapes(node.attrs, node.input_size)
        if set(expected) != set(node.weights):
            raise ModelFileError(
                f"node {node.name}: weights {sorted(node.weights)} != expected {sorted(expected)}"
            )
        for wname, shape in expected.items():
            data = node.weights[wname].data
            if tuple(data.shape) != tuple(shape):
                raise ModelFileError(
                    f"node {node.name}: weight {wname} has shape {tuple(data.shape)}, "
                    f"expected {tuple(shape)}"
                )
            if data.dtype.kind == "f" and not np.all(np.isfinite(data)):
                raise ModelFileError(f"node {node.name}: weight {wname} has NaN or infinite values")
        width = node.output_size
