"""Calibration: activation ranges of every node, from the float golden model on sample data.

:func:`calibrate` runs :class:`edgernn.reference.ReferenceModel` over the calibration sequences
with an observer that records, per node, the min/max of its input and output at every step, and
the largest ``|c|`` of an LSTM cell state (which fixes its power-of-two scale).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from edgernn.errors import QuantizationError
from edgernn.ir.bidirectional import needs_whole_sequence
from edgernn.ir.graph import Graph, Node
from edgernn.reference import ReferenceModel


@dataclass
class Range:
    """Running min/max of one tensor."""

    lo: float = float("inf")
    hi: float = float("-inf")

    def update(self, values: np.ndarray) -> None:
        """Widen the range to cover ``values``."""
        if values.size:
            self.lo = min(self.lo, float(np.min(values)))
            self.hi = max(self.hi, float(np.max(values)))

    @property
    def max_abs(self) -> float:
        """Largest magnitude seen."""
        return max(abs(self.lo), abs(self.hi))


@dataclass
class NodeStats:
    """Observed ranges of one node."""

    input: Range = field(default_factory=Range)
    output: Range = field(default_factory=Range)
    states: dict[str, Range] = field(default_factory=dict)


@dataclass
class Calibration:
    """Ranges of every node (by index) and how much data produced them."""

    nodes: list[NodeStats]
    sequences: int
    steps: int


def calibrate(graph: Graph, inputs: np.ndarray, batch: int = 256) -> Calibration:
    """Record activation ranges of ``graph`` on ``inputs``.

    Args:
        graph: the float model.
        inputs: calibration sequences, ``(n, steps, features)`` floats or ``(n, steps)`` token
            ids (a slice of the training inputs).
        batch: sequences run at once.

    Raises:
        QuantizationError: no calibration data, or the wrong shape for the model.
    """
    xs = np.asarray(inputs)
    if xs.ndim == 2 and graph.tokens_input:
        xs = xs[..., None]
    if xs.ndim != 3 or xs.shape[0] == 0 or xs.shape[2] != graph.input_size:
        raise QuantizationError(
            f"{graph.name}: calibration inputs must have shape (n >= 1, steps, "
            f"{graph.input_size}), got {np.asarray(inputs).shape}"
        )
    if not np.all(np.isfinite(xs)):
        raise QuantizationError(f"{graph.name}: calibration inputs contain NaN or infinity")
    stats = [NodeStats() for _ in graph.nodes]

    def observe(index: int, node: Node, x: np.ndarray, y: np.ndarray, state: dict) -> None:
        record = stats[index]
        record.input.update(x)
        record.output.update(y)
        for name, value in state.items():
            record.states.setdefault(name, Range()).update(value)

    for start in range(0, xs.shape[0], batch):
        chunk = xs[start : start + batch]
        model = ReferenceModel(graph, batch=chunk.shape[0], observer=observe)
        if needs_whole_sequence(graph):  # layer by layer; the observer sees the same values
            model.run(chunk)
            continue
        for t in range(chunk.shape[1]):
            model.step(chunk[:, t])
    return Calibration(nodes=stats, sequences=int(xs.shape[0]), steps=int(xs.shape[1]))
