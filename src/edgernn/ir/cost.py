"""The survey's Table 3 cost formulas next to what edgernn's IR and golden model measure.

:func:`survey_costs` gives, per layer and in total, the five quantities of Table 3 of Rezk et
al. 2020 ("Recurrent Neural Networks: An Embedded Computing Perspective", Section III-B):
multiplications, additions and nonlinear evaluations per time step, weights and biases — each
as the survey's formula and as measured:

* weights and biases from the IR: every element of the node's tensors, a tensor being a bias
  when its name is ``b`` or starts with ``b_`` (``b_x``, ``b_h``);
* operations by running the golden model's float32 cell (:mod:`edgernn.reference.cells`) once,
  batch 1, on :class:`CountingArray` values that count what NumPy computes
  (:func:`measure_cell_ops`).

Counting convention (the survey's, Section III-B1): a matrix-vector product of an
``(rows, cols)`` matrix is ``rows * cols`` multiply-accumulates, one multiplication and one
addition each, its accumulator starting at zero; adding two such products of the same rows is
free (one accumulator over the concatenated input ``[h, x]``, as ``edgernn_matvec_pair_f32``
does); every other elementwise ``+``/``-`` is one addition per element and every elementwise
``*`` one multiplication; each sigmoid, tanh, softmax or ReLU output is one nonlinear
evaluation. Where a layer form is not in Table 3 (SimpleRNN, Dense) the formula follows the same
convention. docs/counting.md lists where the table and edgernn legitimately differ; the
:class:`Quantity` of each such figure carries that note.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from edgernn.ir.graph import Graph, Node
from edgernn.ir.kinds import get_kind

QUANTITIES = ("multiplications", "additions", "nonlinear", "weights", "biases")


# ---- instrumented golden model ----------------------------------------------------------------

@dataclass
class OpTally:
    """Operations counted while a cell ran (batch 1: per time step)."""

    multiplications: int = 0
    additions: int = 0
    nonlinear: int = 0


_TALLY: list[OpTally] = []
_NONLINEAR_UFUNCS = {np.tanh, np.exp, np.maximum}


class CountingArray(np.ndarray):
    """An ndarray whose ufunc calls add to the active :class:`OpTally` (see module docstring).

    ``accumulator`` marks the result of a matrix-vector product (or a sum of two), whose rows
    are still open accumulators: adding another such product to it costs nothing.
    """

    accumulator: bool = False

    def __array_finalize__(self, obj: Any) -> None:
        self.accumulator = bool(getattr(obj, "accumulator", False))

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        plain = [np.asarray(x).view(np.ndarray) if isinstance(x, CountingArray) else x
                 for x in inputs]
        result = getattr(ufunc, method)(*plain, **kwargs)
        if method != "__call__" or not isinstance(result, np.ndarray):
            return result
        tally = _TALLY[-1] if _TALLY else OpTally()
        accumulators = [bool(getattr(x, "accumulator", False)) for x in inputs]
        out = result.view(CountingArray)
        out.accumulator = False
        if ufunc is np.matmul:
            a, b = (np.asarray(x) for x in plain)
            macs = int(result.size) * int(a.shape[-1])
            tally.multiplications += macs
            tally.additions += macs
            out.accumulator = True
        elif ufunc in (np.add, np.subtract):
            if all(accumulators) and len(accumulators) == 2:
                out.accumulator = True  # two products of the same rows: one accumulator
            else:
                tally.additions += int(result.size)
        elif ufunc in (np.multiply, np.divide):
            tally.multiplications += int(result.size)
        elif ufunc in _NONLINEAR_UFUNCS:
            tally.nonlinear += int(result.size)
        return out


def _counted_activation(kind: str):
    from edgernn.reference.activations import ACTIVATIONS

    def activation(x: np.ndarray) -> np.ndarray:
        if kind != "linear" and _TALLY:
            _TALLY[-1].nonlinear += int(np.asarray(x).size)
        y = ACTIVATIONS[kind](np.asarray(x).view(np.ndarray))
        return np.asarray(y).view(CountingArray)

    return activation


@contextmanager
def _counting_activations() -> Iterator[None]:
    """Sigmoid and the Dense activations count as one evaluation per output, not their parts."""
    from edgernn.reference import cells

    saved = cells.sigmoid, cells.ACTIVATIONS
    cells.sigmoid = _counted_activation("sigmoid")
    cells.ACTIVATIONS = {name: _counted_activation(name) for name in saved[1]}
    try:
        yield
    finally:
        cells.sigmoid, cells.ACTIVATIONS = saved


def measure_cell_ops(node: Node, seed: int = 0) -> OpTally:
    """Operations the golden float32 cell of ``node`` performs in one time step (batch 1).

    The cell runs on :class:`CountingArray` input and state (random values: the counts do not
    depend on them); nothing else is changed.
    """
    from edgernn.reference.cells import CELLS

    rng = np.random.default_rng(seed)
    kind = get_kind(node.kind)
    x = rng.uniform(-1, 1, (1, node.input_size)).astype(np.float32).view(CountingArray)
    state = {name: rng.uniform(-1, 1, (1, size)).astype(np.float32).view(CountingArray)
             for name, size in kind.state_sizes(node.attrs).items()}
    tally = OpTally()
    _TALLY.append(tally)
    try:
        with _counting_activations():
            CELLS[node.kind](node, x, state)
    finally:
        _TALLY.pop()
    return tally


# ---- the survey's formulas ----------------------------------------------------------------------

@dataclass(frozen=True)
class SurveyRow:
    """Table 3's figures for one layer per time step, with the row they come from."""

    row: str
    multiplications: int
    additions: int
    nonlinear: int
    weights: int
    biases: int


def _is_bias(name: str) -> bool:
    return name == "b" or name.startswith("b_")


def survey_row(node: Node) -> SurveyRow:
    """The survey's Table 3 figures for ``node`` (m inputs, n units, p projection).

    LSTM rows: multiplications ``4n² + 4nm + 3n``, additions ``4n² + 4nm + 5n``, nonlinear
    ``5n``, weights ``4n² + 4nm``, biases ``4n``; peepholes add ``3n²`` (full) or ``3n``
    (diagonalized) to multiplications, additions and weights; a projection replaces ``4n²`` by
    ``4np`` and adds ``np`` (the optional ``{po}`` output layer is a separate Dense layer in
    edgernn, so it is left out). GRU: ``3n² + 3nm + 3n``, ``3n² + 3nm + 2n``, ``3n``,
    ``3n² + 3nm``, no biases. QRNN (filter width k): ``3knm + 3n``, ``3knm + 2n``, ``3n``,
    ``3knm``, no biases. SRU: ``3nm + 6n``, ``3nm + 8n``, ``2n``, ``3nm + 2n``, ``2n`` (the table
    assumes ``m == n``; edgernn's projected highway for ``m != n`` adds ``nm`` to
    multiplications, additions and weights: the ``W_hw x`` product).
    SimpleRNN and Dense are not in Table 3; their figures follow the
    same convention (RNN ``n² + nm`` MACs, ``n`` bias adds, ``n`` tanh; Dense ``om`` MACs,
    ``o`` bias adds, ``o`` activations unless linear).
    """
    a, m = node.attrs, int(node.input_size)
    if node.kind == "dense":
        o = int(a["units"])
        act = 0 if a.get("activation", "linear") == "linear" else o
        return SurveyRow("Dense (not in Table 3; the {po} term plus a bias)",
                         o * m, o * m + o, act, o * m, o)
    n = int(a["units"])
    if node.kind == "rnn":
        return SurveyRow("SimpleRNN (not in Table 3; same convention)",
                         n * n + n * m, n * n + n * m + n, n, n * n + n * m, n)
    if node.kind == "gru":
        return SurveyRow("GRU", 3 * n * n + 3 * n * m + 3 * n, 3 * n * n + 3 * n * m + 2 * n,
                         3 * n, 3 * n * n + 3 * n * m, 0)
    if node.kind in ("lstm", "lstmp"):
        p = a.get("projection")
        peephole = a.get("peephole")
        recurrent = 4 * n * p + n * p if p else 4 * n * n
        mul, add, weights = recurrent + 4 * n * m + 3 * n, recurrent + 4 * n * m + 5 * n, \
            recurrent + 4 * n * m
        extra = {None: 0, "diagonal": 3 * n, "full": 3 * n * n}[peephole]
        row = "LSTM" + {None: "", "diagonal": " + peepholes (diagonalized)",
                        "full": " + peepholes"}[peephole] + (" + projection" if p else "")
        return SurveyRow(row, mul + extra, add + extra, 5 * n, weights + extra, 4 * n)
    if node.kind == "qrnn":  # k taps; no biases
        k = int(a.get("kernel_size", 2))
        return SurveyRow("QRNN", 3 * k * n * m + 3 * n, 3 * k * n * m + 2 * n, 3 * n,
                         3 * k * n * m, 0)
    if node.kind == "sru":  # the survey's form, with v_f, v_r; Table 3 assumes m == n
        if m == n:
            return SurveyRow("SRU", 3 * n * m + 6 * n, 3 * n * m + 8 * n, 2 * n,
                             3 * n * m + 2 * n, 2 * n)
        # the projected highway W_hw x (m != n): a fourth product, nm more of each
        return SurveyRow("SRU + projected highway (Table 3 + nm W_hw x)", 4 * n * m + 6 * n,
                         4 * n * m + 8 * n, 2 * n, 4 * n * m + 2 * n, 2 * n)
    raise KeyError(f"layer kind {node.kind!r} has no survey cost formula")


# Known, legitimate differences between the table and edgernn (docs/counting.md).
def _notes(node: Node) -> dict[str, str]:
    if node.kind != "gru":
        return {}
    n = int(node.attrs["units"])
    if node.attrs.get("reset_after", True):
        return {
            "biases": f"edgernn's GRU keeps two biases b_x, b_h (Keras/PyTorch), {6 * n}; "
                      "the survey's GRU has none",
            "additions": f"+{6 * n} bias adds, +{2 * n} z/r input+recurrent sums and +{n} for "
                         "n's (each side has its own bias, so its own accumulator)",
        }
    return {
        "biases": f"edgernn's reset-before GRU has one bias b ({3 * n}); the survey's has none",
        "additions": f"+{3 * n} bias adds, +{3 * n} input+recurrent sums (the input side "
                     "carries the bias; n's recurrent product needs r first)",
    }


# ---- the report ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Quantity:
    """One figure per time step: the survey's formula and the measured count."""

    name: str
    survey: int
    measured: int
    note: str = ""

    @property
    def agrees(self) -> bool:
        """True when formula and measurement give the same number."""
        return self.survey == self.measured


@dataclass(frozen=True)
class LayerCost:
    """The Table 3 quantities of one layer, per time step and per sequence."""

    name: str
    kind: str
    row: str
    steps: int
    quantities: list[Quantity] = field(default_factory=list)

    def get(self, name: str) -> Quantity:
        """The quantity called ``name`` (one of :data:`QUANTITIES`)."""
        return next(q for q in self.quantities if q.name == name)

    def as_dict(self) -> dict[str, Any]:
        """Plain values: per step and per sequence (operations times the sequence length;
        weights and biases are stored once)."""
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "row": self.row}
        for q in self.quantities:
            per_sequence = q.survey * self.steps, q.measured * self.steps
            if q.name in ("weights", "biases"):
                per_sequence = q.survey, q.measured
            out[q.name] = asdict(q) | {
                "agrees": q.agrees,
                "survey_per_sequence": per_sequence[0],
                "measured_per_sequence": per_sequence[1],
            }
        return out


@dataclass(frozen=True)
class ModelCost:
    """Per-layer costs and their totals."""

    layers: list[LayerCost]

    def total(self, name: str) -> Quantity:
        """Per-step model total of quantity ``name``, survey and measured."""
        return Quantity(name, sum(layer.get(name).survey for layer in self.layers),
                        sum(layer.get(name).measured for layer in self.layers))

    @property
    def disagreements(self) -> list[tuple[str, Quantity]]:
        """(layer name, quantity) of every figure where formula and measurement differ."""
        return [(layer.name, q) for layer in self.layers for q in layer.quantities
                if not q.agrees]

    def as_dict(self) -> dict[str, Any]:
        """Plain values (JSON output)."""
        steps = self.layers[0].steps if self.layers else 0
        totals = {}
        for name in QUANTITIES:
            q = self.total(name)
            scale = 1 if name in ("weights", "biases") else steps
            totals[name] = {"survey": q.survey, "measured": q.measured, "agrees": q.agrees,
                            "survey_per_sequence": q.survey * scale,
                            "measured_per_sequence": q.measured * scale}
        return {"sequence_length": steps, "layers": [layer.as_dict() for layer in self.layers],
                "total": totals}


def layer_cost(node: Node, steps: int) -> LayerCost:
    """Survey formula and measurement of every Table 3 quantity for ``node``."""
    row = survey_row(node)
    ops = measure_cell_ops(node)
    weights = sum(int(t.data.size) for k, t in node.weights.items() if not _is_bias(k))
    biases = sum(int(t.data.size) for k, t in node.weights.items() if _is_bias(k))
    measured = {"multiplications": ops.multiplications, "additions": ops.additions,
                "nonlinear": ops.nonlinear, "weights": weights, "biases": biases}
    notes = _notes(node)
    quantities = [Quantity(name, getattr(row, name), measured[name], notes.get(name, ""))
                  for name in QUANTITIES]
    return LayerCost(node.name, node.kind, row.row, steps, quantities)


def survey_costs(graph: Graph) -> ModelCost:
    """The survey's Table 3 quantities of every layer of ``graph`` next to edgernn's counts.

    Args:
        graph: a float model (embedding layers are skipped: a lookup is not in Table 3).

    Returns:
        Per-layer :class:`LayerCost` records; operations per time step (``as_dict`` adds the
        per-sequence figures, times ``graph.sequence_length``).

    Raises:
        KeyError: a layer kind without a survey formula.
    """
    from edgernn.ir.bidirectional import DIRECTIONS, KIND, direction_node

    steps = graph.sequence_length
    # a bidirectional layer is its two halves, each a row of the wrapped kind (<layer>_fw, _bw)
    nodes = [half for node in graph.nodes for half in (
        [direction_node(node, d) for d in DIRECTIONS] if node.kind == KIND else [node])]
    return ModelCost([layer_cost(node, steps) for node in nodes if node.kind != "embedding"])
