"""Integer quantization of the LSTM with peepholes and/or a projection (kind ``lstmp``).

As the LSTM (:func:`edgernn.quant.quantize.quantize_lstm`): gates in Q3.12, the cell state int16
with the power-of-two scale ``2**-k``, ``o * tanh(c)`` in Q0.30. Then (docs/quantization.md,
"LSTM with peepholes and projection"):

* peepholes add a Q3.12 term to the i, f (with ``c(t-1)``) and o (with ``c(t)``) pre-activations
  before the table: a *diagonal* peephole is an int16 vector ``p_q`` (symmetric, one scale per
  gate, ``max|p| / 32767``) and the term ``sat16(requantize(p_q * c, M, s))`` with
  ``M 2**-(31+s) = scale_p 2**-k / 2**-12``; a *full* peephole is an int8 matrix (per row) times
  the int16 cell state, requantized to Q3.12 like any gate product (64-bit sums, as int16x8);
* a projection first requantizes ``m = o tanh(c)`` from Q0.30 to the activation type with a
  fixed scale (int8: 1/128, int16: 2**-15, zero point 0), then ``h = W_p m`` is a requantized
  int8 matrix-vector product to ``h``'s calibrated scale, plus its zero point.
"""

from __future__ import annotations

import numpy as np

from edgernn.errors import QuantizationError
from edgernn.ir.graph import Node, Tensor
from edgernn.quant.calibrate import NodeStats
from edgernn.quant.params import QParams
from edgernn.quant.quantize import (
    GATE_SCALE,
    INTEGER_RECIPES,
    Context,
    _integer_matrix,
    _new_node,
    _record,
    _require,
    _scalar,
    cell_frac_bits,
    register_node_quantizer,
)

PEEPHOLE_QMAX = 32767  # diagonal peepholes: int16 values (stored int32), symmetric
PEEPHOLE_GATES = ("p_i", "p_f", "p_o")

#: Fixed quantization of ``m = o tanh(c)`` before a projection, per activation type.
PROJECTION_INPUT = {
    "int8": QParams("int8", 1.0 / 128.0, 0),
    "int16": QParams("int16", 2.0**-15, 0),
}


def _diagonal(node: Node, name: str, k: int) -> tuple[Tensor, dict[str, int]]:
    p = np.asarray(node.w(name), dtype=np.float64)
    peak = float(np.abs(p).max(initial=0.0))
    scale = (peak if peak > 0.0 else 1.0) / PEEPHOLE_QMAX
    q = np.clip(np.round(p / scale), -PEEPHOLE_QMAX, PEEPHOLE_QMAX).astype(np.int32)
    m, s = _scalar(scale * 2.0 ** (12 - k), f"layer {node.name} peephole {name}")
    tensor = Tensor(q, {"dtype": "int16", "axis": None, "zero_point": 0, "scale": scale,
                        "multiplier": m, "shift": s})
    return tensor, {f"{name}_multiplier": m, f"{name}_shift": s}


@register_node_quantizer(*INTEGER_RECIPES, kind="lstmp")
def quantize_lstmp(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """Gates, cell and ``o tanh(c)`` as the LSTM; peephole terms in Q3.12; ``h = W_p m``."""
    fmt, x = _require(ctx)
    h = fmt.params_for(stats.output.lo, stats.output.hi)
    weights = _integer_matrix(node, "w_x", "b", x, GATE_SCALE, ctx)
    weights |= _integer_matrix(node, "w_h", None, h, GATE_SCALE, ctx)
    c_range = stats.states["c"].max_abs if "c" in stats.states else 0.0
    k = cell_frac_bits(c_range)
    consts: dict[str, int] = {}
    peephole = node.attrs.get("peephole")
    cell = QParams("int16", 2.0**-k, 0)
    for name in PEEPHOLE_GATES if peephole is not None else ():
        if peephole == "diagonal":
            weights[name], extra = _diagonal(node, name, k)
            consts |= extra
        else:
            weights |= _integer_matrix(node, name, None, cell, GATE_SCALE, ctx)
    if node.attrs.get("projection"):
        if fmt.dtype not in PROJECTION_INPUT:
            raise QuantizationError(f"layer {node.name}: no projection input format for "
                                    f"{fmt.dtype}")
        m_params = PROJECTION_INPUT[fmt.dtype]
        weights |= _integer_matrix(node, "w_p", None, m_params, h.scale, ctx)
        mm, ms = _scalar(2.0**-30 / m_params.scale, f"layer {node.name} projection input")
    else:
        mm, ms = _scalar(2.0**-30 / h.scale, f"layer {node.name} output")
    return _new_node(node, weights, _record(ctx, h, cell_frac_bits=k, output_multiplier=mm,
                                            output_shift=ms, cell_range=float(c_range),
                                            **consts))
