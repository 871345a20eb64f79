"""Integer step of the LSTM with peepholes and/or a projection (kind ``lstmp``).

The specification ``runtime/edgernn_lstmp_step_s8.c`` and ``_s16.c`` implement; quantization in
:mod:`edgernn.quant.lstmp`, formulas in docs/quantization.md.
"""

from __future__ import annotations

import numpy as np

from edgernn.quant.fixed_point import requantize, rshift_round, sat16, saturate
from edgernn.quant.lower import LoweredNode
from edgernn.quant.lut import sigmoid_q15, tanh_q15
from edgernn.reference.integer.cells import (
    State,
    _gates,
    _to_output,
    output_range,
    register_integer_cell,
)


def peephole_term(low: LoweredNode, name: str, c: np.ndarray) -> np.ndarray:
    """The Q3.12 peephole term of gate ``name`` for the int16 cell state ``c`` (scale 2**-k).

    Diagonal: ``sat16(requantize(p_q * c, M, s))``; full: ``sat16(requantize(P c))`` (64-bit sum
    rounded by the matrix's ``acc_shift``).
    """
    if name in low.vectors:
        consts = low.consts
        product = low.vectors[name] * c
        return sat16(requantize(product, consts[f"{name}_multiplier"], consts[f"{name}_shift"]))
    return sat16(low.projections[name].apply(c))


@register_integer_cell("lstmp")
def lstmp_step(low: LoweredNode, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """As the LSTM, peephole terms added to i, f (``c(t-1)``) and o (``c(t)``) in Q3.12; with a
    projection ``m = sat(requantize(o tanh(c)))`` and ``h = sat(sat16(requantize(W_p m)) + zp)``."""
    u = low.node.attrs["units"]
    k = low.consts["cell_frac_bits"]
    peephole = low.node.attrs.get("peephole") is not None
    c_prev = state["c"]
    g = _gates(low, x, state["h"])
    pre_i, pre_f, pre_o = g[:, :u], g[:, u : 2 * u], g[:, 3 * u :]
    if peephole:
        pre_i = sat16(pre_i + peephole_term(low, "p_i", c_prev))
        pre_f = sat16(pre_f + peephole_term(low, "p_f", c_prev))
    i, f = sigmoid_q15(pre_i), sigmoid_q15(pre_f)
    cand = tanh_q15(g[:, 2 * u : 3 * u])
    c = sat16(rshift_round(f * c_prev, 15) + rshift_round(i * cand, 30 - k))
    if peephole:
        pre_o = sat16(pre_o + peephole_term(low, "p_o", c))
    o = sigmoid_q15(pre_o)
    c312 = rshift_round(c, k - 12) if k >= 12 else sat16(c * (1 << (12 - k)))
    m30 = o * tanh_q15(c312)
    multiplier, shift = low.consts["output_multiplier"], low.consts["output_shift"]
    if "w_p" not in low.projections:
        h = _to_output(low, m30, multiplier, shift)
        return h, {"h": h, "c": c}
    lo, hi = output_range(low)
    m = saturate(requantize(m30, multiplier, shift), lo, hi)
    h = saturate(sat16(low.projections["w_p"].apply(m)) + low.consts["output_zero_point"], lo, hi)
    return h, {"h": h, "c": c}
