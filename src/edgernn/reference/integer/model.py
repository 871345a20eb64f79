"""The integer golden model: streaming per step, or whole sequences, on quantized values."""

from __future__ import annotations

import numpy as np

from edgernn.errors import QuantizationError, VerificationError
from edgernn.ir.bidirectional import KIND as BIDIRECTIONAL
from edgernn.ir.bidirectional import needs_whole_sequence
from edgernn.ir.graph import Graph
from edgernn.ir.kinds import get_kind
from edgernn.quant.lower import LoweredNode, lower_node
from edgernn.quant.params import graph_variant
from edgernn.quant.quantize import INTEGER_RECIPES, dequantize_graph
from edgernn.reference.integer.cells import INTEGER_CELLS, State
from edgernn.reference.model import ReferenceModel
from edgernn.reference.sequence import run_layers

I64 = np.int64


class IntegerReferenceModel:
    """Executes an ``int8`` / ``int16x8`` graph one step at a time, like the generated C.

    Inputs are quantized values (``edgernn.quant.quantize_inputs``), batched ``(batch,
    input_size)`` per step; outputs are the raw int8/int16 outputs. The recurrent state starts
    at real zero: ``h`` at its zero point, the LSTM cell at 0.
    """

    def __init__(self, graph: Graph, batch: int = 1) -> None:
        variant = graph_variant(graph)
        if variant not in INTEGER_RECIPES:
            raise QuantizationError(
                f"{graph.name}: the integer golden model needs an int8 or int16x8 graph, "
                f"got {variant}"
            )
        self.graph = graph
        self.batch = batch
        self.lowered: list[LoweredNode] = [lower_node(node) for node in graph.nodes]
        missing = [n.kind for n in graph.nodes
                   if n.kind not in INTEGER_CELLS and n.kind != BIDIRECTIONAL]
        if missing:
            raise QuantizationError(f"no integer reference cell for layer kinds {missing}")
        out = graph.nodes[-1].attrs["quant"]["output"]["dtype"]
        self.output_dtype = np.dtype(out)
        self.reset()

    def reset(self) -> None:
        """Every recurrent state to real zero (``h`` = its zero point, ``c`` = 0)."""
        self.states: list[State] = []
        for low in self.lowered:
            sizes = get_kind(low.node.kind).state_sizes(low.node.attrs)
            zp = low.consts["output_zero_point"]
            self.states.append({
                name: np.full((self.batch, size), zp if name == "h" else 0, dtype=I64)
                for name, size in sizes.items()
            })

    def step(self, x: np.ndarray) -> np.ndarray:
        """Advance one time step; returns the model output of this step (output dtype).

        Raises:
            VerificationError: the graph holds a bidirectional layer (use :meth:`run`).
        """
        if needs_whole_sequence(self.graph):
            raise VerificationError(
                f"{self.graph.name}: a bidirectional layer needs the whole sequence; "
                "use run(), not step()"
            )
        y = np.asarray(x, dtype=I64).reshape(self.batch, -1)
        for index, low in enumerate(self.lowered):
            y, self.states[index] = INTEGER_CELLS[low.node.kind](low, y, self.states[index])
        return y.astype(self.output_dtype)

    def run(self, xs: np.ndarray) -> np.ndarray:
        """Whole sequences from zero state (same shapes as :meth:`ReferenceModel.run`)."""
        xs = np.asarray(xs)
        if xs.ndim == 2:
            xs = xs[..., None]
        self.batch = xs.shape[0]
        self.reset()
        if needs_whole_sequence(self.graph):  # layer by layer (edgernn.reference.sequence)
            out = run_layers(self.graph.nodes, np.asarray(xs, dtype=I64), _integer_step,
                             _integer_zero, self.graph.sequential_output, prepare=lower_node)
            return out.astype(self.output_dtype)
        outputs = np.stack([self.step(xs[:, t]) for t in range(xs.shape[1])], axis=1)
        return outputs if self.graph.sequential_output else outputs[:, -1]


def _integer_step(low: LoweredNode, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    return INTEGER_CELLS[low.node.kind](low, x, state)


def _integer_zero(low: LoweredNode, batch: int) -> State:
    zp = low.consts["output_zero_point"]
    sizes = get_kind(low.node.kind).state_sizes(low.node.attrs)
    return {name: np.full((batch, size), zp if name == "h" else 0, dtype=I64)
            for name, size in sizes.items()}


def _golden(graph: Graph, batch: int) -> IntegerReferenceModel | ReferenceModel:
    if graph_variant(graph) in INTEGER_RECIPES:
        return IntegerReferenceModel(graph, batch=batch)
    return ReferenceModel(dequantize_graph(graph), batch=batch)


def run_integer_reference(graph: Graph, xs_q: np.ndarray) -> np.ndarray:
    """Golden outputs of a quantized graph on quantized inputs.

    ``int8`` / ``int16x8``: raw integer outputs, bit-exact with the generated C. ``int8-weights``:
    the float32 golden model of the dequantized weights (:func:`edgernn.quant.dequantize_graph`),
    within the float tolerance of the C.
    """
    xs = np.asarray(xs_q)
    return _golden(graph, xs.shape[0]).run(xs)


def golden_steps(graph: Graph, xs_q: np.ndarray) -> np.ndarray:
    """Golden outputs of every time step ``(sequences, steps, outputs)`` (what ``NAME_step``
    produces), for a quantized graph."""
    xs = np.asarray(xs_q)
    if xs.ndim == 2:
        xs = xs[..., None]
    model = _golden(graph, xs.shape[0])
    model.reset()
    return np.stack([model.step(xs[:, t]) for t in range(xs.shape[1])], axis=1)
