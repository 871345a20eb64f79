"""Lowering a quantized node to the integer constants its kernel uses.

The IR stores what quantization decided (int8 weights, int32 biases, scales, multipliers);
the kernels want a few derived constants, above all the bias with the input zero point folded in
(``b'_r = b_r - zp_x * sum_k w_rk``, so the inner loop is a plain ``sum_k x_k * w_rk``).
:func:`lower_node` derives them once, and both consumers read its result: the integer golden
model (:mod:`edgernn.reference.integer`) and the code generator (:mod:`edgernn.codegen.integer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from edgernn.errors import QuantizationError
from edgernn.ir.graph import Node
from edgernn.quant.fixed_point import I64, INT32_MAX, requantize, rshift_round
from edgernn.quant.params import QParams, node_quant

ACCUMULATOR_LIMIT = INT32_MAX


@dataclass(frozen=True)
class Projection:
    """One requantized matrix-vector product: ``requantize(W x + b', M_r, s_r)`` per row.

    Attributes:
        w: int8 ``(rows, cols)`` in the canonical (natural) layout.
        bias: int64 folded bias ``b'`` (rows).
        multiplier: Q31 multipliers (rows).
        shift: shifts (rows).
        acc_shift: int16x8 only: the 64-bit accumulator is first rounded right by this (0 when
            it cannot exceed int32, which is every layer narrower than ~500 inputs).
    """

    w: np.ndarray
    bias: np.ndarray
    multiplier: np.ndarray
    shift: np.ndarray
    acc_shift: int = 0

    @property
    def rows(self) -> int:
        """Output rows."""
        return int(self.w.shape[0])

    def accumulate(self, x: np.ndarray, rows: slice = slice(None)) -> np.ndarray:
        """``W x + b'`` (after the ``acc_shift`` rounding), int64, for a batch ``(b, cols)``."""
        w = self.w[rows].astype(I64)
        acc = np.asarray(x, dtype=I64) @ w.T + self.bias[rows]
        return rshift_round(acc, self.acc_shift)

    def apply(self, x: np.ndarray, rows: slice = slice(None)) -> np.ndarray:
        """Requantized outputs (int32-saturated int64) of a batch ``(b, cols)``."""
        return requantize(self.accumulate(x, rows), self.multiplier[rows], self.shift[rows])


@dataclass(frozen=True)
class LoweredNode:
    """The integer constants of one node (see the kind's kernel for their use)."""

    node: Node
    variant: str
    projections: dict[str, Projection] = field(default_factory=dict)
    consts: dict[str, int] = field(default_factory=dict)
    table: np.ndarray | None = None
    # per-element integer vectors (an lstmp node's diagonal peepholes), by weight name
    vectors: dict[str, np.ndarray] = field(default_factory=dict)


def fold_bias(w_q: np.ndarray, b_q: np.ndarray | None, zero_point: int) -> np.ndarray:
    """``b'_r = b_r - zp * sum_k w_rk`` in int64 (``b`` = 0 when None)."""
    folded = -int(zero_point) * np.asarray(w_q, dtype=I64).sum(axis=1)
    return folded if b_q is None else folded + np.asarray(b_q, dtype=I64)


def accumulator_bound(w_q: np.ndarray, bias: np.ndarray, max_abs_input: int) -> np.ndarray:
    """Worst-case ``|W x + b'|`` per row for inputs bounded by ``max_abs_input``."""
    return max_abs_input * np.abs(np.asarray(w_q, dtype=I64)).sum(axis=1) + np.abs(bias)


def projection(node: Node, weight: str, bias: str | None, zero_point: int) -> Projection:
    """The projection of weight ``weight`` (and bias ``bias``) for inputs with ``zero_point``."""
    tensor = node.weights[weight]
    notes = tensor.annotations
    b_q = node.w(bias) if bias is not None else None
    return Projection(
        w=np.asarray(tensor.data, dtype=np.int8),
        bias=fold_bias(tensor.data, b_q, zero_point),
        multiplier=np.asarray(notes["multiplier"], dtype=I64),
        shift=np.asarray(notes["shift"], dtype=I64),
        acc_shift=int(notes.get("acc_shift", 0)),
    )


def _zp(record: dict | None) -> int:
    return 0 if record is None else int(record["zero_point"])


def lower_node(node: Node) -> LoweredNode:
    """The kernel constants of a node of an ``int8`` or ``int16x8`` graph.

    Raises:
        QuantizationError: the node is not quantized for an integer variant.
    """
    quant = node_quant(node)
    variant = str(quant["variant"])
    x_zp = _zp(quant.get("input"))
    out = quant.get("output")
    if out is None:
        raise QuantizationError(f"layer {node.name}: {variant} nodes carry no integer output")
    h_zp = _zp(out)
    consts = {k: int(v) for k, v in quant.items() if isinstance(v, int) and k != "variant"}
    consts["output_zero_point"] = h_zp
    consts["input_zero_point"] = x_zp
    if node.kind == "embedding":
        return LoweredNode(node, variant, consts=consts, table=np.asarray(node.w("table")))
    if node.kind == "dense":
        return LoweredNode(node, variant, {"w": projection(node, "w", "b", x_zp)}, consts)
    if node.kind in ("qrnn", "sru"):  # input side only; the qrnn reads x - zp (no folding)
        zp = 0 if node.kind == "qrnn" else x_zp
        return LoweredNode(node, variant, {"x": projection(node, "w_x", None, zp)}, consts)
    if node.kind == "lstmp":
        return _lower_lstmp(node, variant, consts, x_zp, h_zp)
    if node.kind == "bidirectional":
        return _lower_bidirectional(node, variant, consts)
    if node.kind == "gru" and node.attrs.get("reset_after", True):
        x_bias, h_bias = "b_x", "b_h"
    else:
        x_bias, h_bias = "b", None
    projections = {
        "x": projection(node, "w_x", x_bias, x_zp),
        "h": projection(node, "w_h", h_bias, h_zp),
    }
    return LoweredNode(node, variant, projections, consts)


def _lower_lstmp(node: Node, variant: str, consts: dict[str, int], x_zp: int,
                 h_zp: int) -> LoweredNode:
    """lstmp: the LSTM's ``x`` and ``h`` projections, full peepholes (``p_i``, ``p_f``, ``p_o``,
    on the int16 cell state: zero point 0) and ``w_p`` (on ``m``: zero point 0) as projections;
    diagonal peepholes as int vectors (:mod:`edgernn.quant.lstmp`)."""
    projections = {
        "x": projection(node, "w_x", "b", x_zp),
        "h": projection(node, "w_h", None, h_zp),
    }
    vectors: dict[str, np.ndarray] = {}
    for name in ("p_i", "p_f", "p_o"):
        if name in node.weights and node.w(name).ndim == 2:
            projections[name] = projection(node, name, None, 0)
        elif name in node.weights:
            vectors[name] = np.asarray(node.w(name), dtype=I64)
    if "w_p" in node.weights:
        projections["w_p"] = projection(node, "w_p", None, 0)
    return LoweredNode(node, variant, projections, consts, vectors=vectors)


def _lower_bidirectional(node: Node, variant: str, consts: dict[str, int]) -> LoweredNode:
    """bidirectional: both halves' projections, prefixed ``fw_``/``bw_`` (for the accumulator
    check; the golden model and the code generators lower each half on its own)."""
    from edgernn.ir.bidirectional import DIRECTIONS, direction_node

    projections: dict[str, Projection] = {}
    for direction in DIRECTIONS:
        half = lower_node(direction_node(node, direction))
        projections |= {f"{direction}_{k}": p for k, p in half.projections.items()}
    return LoweredNode(node, variant, projections, consts)


def check_accumulators(lowered: LoweredNode, input_bits: int) -> None:
    """Raise QuantizationError if an accumulator could leave int32 (after ``acc_shift``)."""
    max_abs = 1 << (input_bits - 1)
    for name, proj in lowered.projections.items():
        bound = accumulator_bound(proj.w, proj.bias, max_abs)
        if proj.acc_shift:
            bound = (bound >> proj.acc_shift) + 1
        worst = int(bound.max(initial=0))
        if worst > ACCUMULATOR_LIMIT:
            raise QuantizationError(
                f"layer {lowered.node.name}: accumulator of {name} may reach {worst} "
                f"> int32 ({ACCUMULATOR_LIMIT}); the layer is too wide for 32-bit accumulation"
            )


def h_params(node: Node) -> QParams:
    """Quantization of a node's output (the recurrent state ``h`` of a recurrent node)."""
    return QParams.from_dict(node_quant(node)["output"])
