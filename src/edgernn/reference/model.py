"""The float32 golden model: streaming per step, or a whole sequence."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from edgernn.errors import VerificationError
from edgernn.ir.bidirectional import KIND as BIDIRECTIONAL
from edgernn.ir.bidirectional import needs_whole_sequence
from edgernn.ir.graph import Graph, Node
from edgernn.ir.kinds import get_kind
from edgernn.reference.cells import CELLS, State
from edgernn.reference.sequence import run_layers

F32 = np.float32

# Called after every node of every step with (node index, node, node input, node output, new
# state); calibration (edgernn.quant) records activation ranges through it. It must not modify
# the arrays it is given.
Observer = Callable[[int, Node, np.ndarray, np.ndarray, State], None]


class ReferenceModel:
    """Executes a graph one time step at a time with state, like the generated C.

    Inputs are batched: a step takes shape ``(batch, input_size)`` (token ids as numbers for an
    embedding input) and returns ``(batch, output_size)``.
    """

    def __init__(self, graph: Graph, batch: int = 1, observer: Observer | None = None) -> None:
        self.graph = graph
        self.batch = batch
        self.observer = observer
        missing = [n.kind for n in graph.nodes
                   if n.kind not in CELLS and n.kind != BIDIRECTIONAL]
        if missing:
            raise KeyError(f"no reference cell for layer kinds {missing}")
        self.reset()

    def reset(self) -> None:
        """Zero every recurrent state."""
        self.states: list[State] = [
            {
                name: np.zeros((self.batch, size), dtype=F32)
                for name, size in get_kind(node.kind).state_sizes(node.attrs).items()
            }
            for node in self.graph.nodes
        ]

    def step(self, x: np.ndarray) -> np.ndarray:
        """Advance one time step; returns the model output for this step.

        Raises:
            VerificationError: the graph holds a bidirectional layer (use :meth:`run`).
        """
        if needs_whole_sequence(self.graph):
            raise VerificationError(
                f"{self.graph.name}: a bidirectional layer needs the whole sequence; "
                "use run(), not step()"
            )
        y = np.asarray(x, dtype=F32).reshape(self.batch, -1)
        for index, node in enumerate(self.graph.nodes):
            node_input = y
            y, self.states[index] = CELLS[node.kind](node, node_input, self.states[index])
            if self.observer is not None:
                self.observer(index, node, node_input, y, self.states[index])
        return y

    def run(self, xs: np.ndarray) -> np.ndarray:
        """Run whole sequences from zero state.

        Args:
            xs: shape ``(batch, steps, input_size)`` (or ``(batch, steps)`` for token ids).

        Returns:
            ``(batch, steps, output_size)`` when the model outputs every step, otherwise
            ``(batch, output_size)`` (the last step).
        """
        xs = np.asarray(xs)
        if xs.ndim == 2:
            xs = xs[..., None]
        if xs.shape[0] != self.batch:
            self.batch = xs.shape[0]
        self.reset()
        if needs_whole_sequence(self.graph):
            return self._run_layers(xs)
        outputs = np.stack([self.step(xs[:, t]) for t in range(xs.shape[1])], axis=1)
        return outputs if self.graph.sequential_output else outputs[:, -1]

    def _run_layers(self, xs: np.ndarray) -> np.ndarray:
        """Layer-by-layer execution (:mod:`edgernn.reference.sequence`); the observer sees each
        node's steps in its own execution order (a backward half's steps last to first)."""
        index_of = {node.name: i for i, node in enumerate(self.graph.nodes)}

        def zero(node: Node, batch: int) -> State:
            sizes = get_kind(node.kind).state_sizes(node.attrs)
            return {name: np.zeros((batch, size), dtype=F32) for name, size in sizes.items()}

        def step(node: Node, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
            y, new = CELLS[node.kind](node, np.asarray(x, dtype=F32), state)
            if self.observer is not None:
                owner = node.name.rsplit("_", 1)[0] if node.name not in index_of else node.name
                self.observer(index_of[owner], node, x, y, new)
            return y, new

        return run_layers(self.graph.nodes, xs.astype(F32), step, zero,
                          self.graph.sequential_output)


def run_reference(graph: Graph, xs: np.ndarray) -> np.ndarray:
    """Golden float32 outputs of ``graph`` on a batch of sequences (see ReferenceModel.run)."""
    return ReferenceModel(graph, batch=np.asarray(xs).shape[0]).run(xs)
