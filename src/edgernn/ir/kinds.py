"""Registry of layer kinds: weight layout, sizes and operation counts of each kind.

Canonical weight layout (every importer and trainer converts to it at the edge):

* matrices are stored output-major, shape ``(outputs, inputs)``, so that ``y = W @ x`` and a
  C matrix-vector kernel walks one contiguous row per output;
* gate blocks are stacked along the output axis in a fixed order:
  LSTM ``i, f, g, o`` (input, forget, cell candidate, output: the Keras and PyTorch order;
  also for ``lstmp``, the LSTM with peepholes ``p_i, p_f, p_o`` and/or a projection ``w_p``);
  GRU ``z, r, n`` (update, reset, candidate: the Keras order; PyTorch's is ``r, z, n``);
* GRU with ``reset_after`` keeps two biases (``b_x`` input side, ``b_h`` recurrent side), as
  Keras and PyTorch do; without it, one bias ``b``.

A recurrent node with ``input_projected: true`` (set by the ``fold_embedding_projection`` pass,
:mod:`edgernn.passes`) receives ``W_x x + (input-side bias)`` precomputed, ``gates * units``
values per step: it has no ``w_x`` and no input-side bias (rnn, lstm: ``b``; GRU reset after:
``b_x``; GRU reset before: ``b``), its input size is ``gates * units``, and its counts are those
of the recurrent product only. :class:`InputProjection` says how each kind splits.

Operation counts follow the survey's Table 3 (Rezk et al. 2020): a MAC is one multiply-accumulate
of a weight with an activation in a matrix-vector product; elementwise additions and
multiplications (bias adds, gate sums, state updates) are counted separately as ``elementwise``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Shapes = dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class OpCounts:
    """Operations of one layer for one time step."""

    macs: int = 0
    elementwise: int = 0
    nonlinear: int = 0


@dataclass(frozen=True)
class InputProjection:
    """How a recurrent kind's input side ``W_x x + b_in`` can be computed outside the node.

    Attributes:
        gates: gate blocks stacked in ``w_x`` (the projection has ``gates * units`` values).
        bias: ``attrs -> name`` of the input-side bias that moves with ``w_x``.
    """

    gates: int
    bias: Any  # (attrs) -> str

    def width(self, attrs: dict) -> int:
        """Values of the projected input per step: ``gates * units``."""
        return self.gates * int(attrs["units"])


def input_projected(attrs: dict) -> bool:
    """True for a recurrent node whose input is already ``W_x x + b_in`` (no ``w_x``)."""
    return bool(attrs.get("input_projected", False))


@dataclass(frozen=True)
class LayerKind:
    """One registered layer kind: everything about it that depends only on its attributes."""

    name: str
    recurrent: bool
    weight_shapes: Any  # (attrs, input_size) -> Shapes
    output_size: Any  # (attrs, input_size) -> int
    state_sizes: Any = field(default=lambda attrs: {})  # (attrs) -> {state name: length}
    op_counts: Any = field(default=lambda attrs, input_size: OpCounts())
    # FLOPs per output element that TensorFlow's profiler charges for the activation (EdgeMark).
    activation_flops: Any = field(default=lambda attrs: 0)
    # Set for kinds whose input side can be precomputed (``input_projected: true``).
    input_projection: InputProjection | None = None


LAYER_KINDS: dict[str, LayerKind] = {}


def register_kind(kind: LayerKind) -> LayerKind:
    """Add a layer kind to the registry (one call per kind, at import)."""
    if kind.name in LAYER_KINDS:
        raise ValueError(f"layer kind {kind.name!r} registered twice")
    LAYER_KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> LayerKind:
    """Look up a registered layer kind by name."""
    try:
        return LAYER_KINDS[name]
    except KeyError:
        raise KeyError(f"unknown layer kind {name!r} (known: {', '.join(LAYER_KINDS)})") from None


def _gated(gates: int, has_two_biases: bool = False):
    def shapes(attrs: dict, n_in: int) -> Shapes:
        u = attrs["units"]
        projected = input_projected(attrs)
        out: Shapes = {} if projected else {"w_x": (gates * u, n_in)}
        out["w_h"] = (gates * u, u)
        if has_two_biases and attrs.get("reset_after", True):
            if not projected:
                out["b_x"] = (gates * u,)
            out["b_h"] = (gates * u,)
        elif not projected:
            out["b"] = (gates * u,)
        return out

    return shapes


def _input_columns(attrs: dict, n_in: int) -> int:
    """Columns of ``w_x`` the node multiplies per step (0 when its input is projected)."""
    return 0 if input_projected(attrs) else n_in


def _units(attrs: dict, n_in: int) -> int:
    return attrs["units"]


register_kind(
    LayerKind(
        name="embedding",
        recurrent=False,
        weight_shapes=lambda a, n_in: {"table": (a["vocabulary"], a["dim"])},
        output_size=lambda a, n_in: a["dim"],
    )
)

register_kind(
    LayerKind(
        name="dense",
        recurrent=False,
        weight_shapes=lambda a, n_in: {"w": (a["units"], n_in), "b": (a["units"],)},
        output_size=_units,
        # bias add per output; the activation is an evaluation per output unless linear
        op_counts=lambda a, n_in: OpCounts(
            macs=a["units"] * n_in,
            elementwise=a["units"],
            nonlinear=0 if a["activation"] == "linear" else a["units"],
        ),
        activation_flops=lambda a: 5 if a["activation"] == "softmax" else 0,
    )
)

register_kind(
    LayerKind(
        name="rnn",
        recurrent=True,
        weight_shapes=_gated(1),
        output_size=_units,
        state_sizes=lambda a: {"h": a["units"]},
        # W x + U h (one add), + b (one add); one tanh per unit. Projected: U h + p (one add).
        op_counts=lambda a, n_in: OpCounts(
            macs=a["units"] * (_input_columns(a, n_in) + a["units"]),
            elementwise=(1 if input_projected(a) else 2) * a["units"],
            nonlinear=a["units"],
        ),
        input_projection=InputProjection(gates=1, bias=lambda a: "b"),
    )
)

register_kind(
    LayerKind(
        name="lstm",
        recurrent=True,
        weight_shapes=_gated(4),
        output_size=_units,
        state_sizes=lambda a: {"h": a["units"], "c": a["units"]},
        # per gate: W x + U h, + b (2 adds x 4 gates; projected: U h + p, 1 add x 4 gates);
        # c = f*c + i*g (3); h = o*tanh(c) (1)
        # nonlinear: 3 sigmoids + 1 tanh for the gates, tanh(c)
        op_counts=lambda a, n_in: OpCounts(
            macs=4 * a["units"] * (_input_columns(a, n_in) + a["units"]),
            elementwise=(8 if input_projected(a) else 12) * a["units"],
            nonlinear=5 * a["units"],
        ),
        input_projection=InputProjection(gates=4, bias=lambda a: "b"),
    )
)


def _lstmp_width(a: dict) -> int:
    """Values of ``h``: the projection size, or the units without a projection."""
    return int(a.get("projection") or a["units"])


def _lstmp_shapes(a: dict, n_in: int) -> Shapes:
    u, r = int(a["units"]), _lstmp_width(a)
    out: Shapes = {"w_x": (4 * u, n_in), "w_h": (4 * u, r), "b": (4 * u,)}
    peephole = a.get("peephole")
    if peephole is not None:
        shape = (u,) if peephole == "diagonal" else (u, u)
        out |= {"p_i": shape, "p_f": shape, "p_o": shape}
    if a.get("projection"):
        out["w_p"] = (r, u)
    return out


def _lstmp_ops(a: dict, n_in: int) -> OpCounts:
    # As lstm: 4 gates W x + W_h h + b (2 adds each), c = f*c + i*g (3), m = o*tanh(c) (1).
    # Diagonal peepholes: p*c and its add, 2 per unit for each of i, f, o (6); full: P c is 3
    # more matrices (MACs) and one add per gate row (3). Projection h = W_p m: MACs only.
    u, r = int(a["units"]), _lstmp_width(a)
    peephole = a.get("peephole")
    macs = 4 * u * (n_in + r) + (3 * u * u if peephole == "full" else 0)
    if a.get("projection"):
        macs += r * u
    extra = {None: 0, "diagonal": 6, "full": 3}[peephole]
    return OpCounts(macs=macs, elementwise=(12 + extra) * u, nonlinear=5 * u)


register_kind(
    LayerKind(
        name="lstmp",
        recurrent=True,
        weight_shapes=_lstmp_shapes,
        output_size=lambda a, n_in: _lstmp_width(a),
        state_sizes=lambda a: {"h": _lstmp_width(a), "c": a["units"]},
        op_counts=_lstmp_ops,
        # no input_projection: fold_embedding_projection leaves an lstmp node alone
    )
)


def _gru_elementwise(a: dict) -> int:
    # z, r: W x + b_x + U h + b_h (3 adds each; 2 with one bias).
    # n: reset_after: (W x + b_x) + r * (U h + b_h): 4; else W x + U (r*h) + b: 3.
    # h = z*h + (1-z)*n: 4.
    # Projected input p (b_x, or b, already in p): z, r: p + U h (+ b_h): 2 adds each with
    # b_h, 1 without; n: p + r * (U h + b_h): 3, or p + U (r*h): 2.
    u = a["units"]
    if input_projected(a):
        return (11 if a.get("reset_after", True) else 8) * u
    return (14 if a.get("reset_after", True) else 11) * u


register_kind(
    LayerKind(
        name="gru",
        recurrent=True,
        weight_shapes=_gated(3, has_two_biases=True),
        output_size=_units,
        state_sizes=lambda a: {"h": a["units"]},
        op_counts=lambda a, n_in: OpCounts(
            macs=3 * a["units"] * (_input_columns(a, n_in) + a["units"]),
            elementwise=_gru_elementwise(a),
            nonlinear=3 * a["units"],
        ),
        # reset before: the n gate's bias is inside tanh(W_xn x + W_hn (r h) + b_n), on the
        # input side of the sum, so the single b moves whole.
        input_projection=InputProjection(
            gates=3, bias=lambda a: "b_x" if a.get("reset_after", True) else "b"
        ),
    )
)

from edgernn.ir import kinds_qrnn_sru as _kinds_qrnn_sru  # noqa: E402,F401  (registers qrnn, sru)
