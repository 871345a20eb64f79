"""Integer golden cells of the ``qrnn`` and ``sru`` kinds: what edgernn_qrnn_step_s8 and
edgernn_sru_step_s8 compute, operation for operation (docs/quantization.md, "QRNN and SRU")."""

from __future__ import annotations

import numpy as np

from edgernn.ir.kinds_qrnn_sru import qrnn_history, sru_projected_highway
from edgernn.quant.fixed_point import I64, requantize, rshift_round, sat16
from edgernn.quant.lower import LoweredNode
from edgernn.quant.lut import sigmoid_q15, tanh_q15
from edgernn.reference.integer.cells import Q15_ONE, State, _to_output, register_integer_cell


@register_integer_cell("qrnn")
def qrnn_step(low: LoweredNode, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """Taps ``[history, x - zp]`` (int16) -> Q3.12 -> z = tanh, f, o = sigmoid (Q0.15);
    ``c = sat16(rshift(f c, 15) + rshift((1 - f) z, 30 - k))``; ``h = out(o c)``."""
    node, c = low.node, low.consts
    u, k = int(node.attrs["units"]), c["cell_frac_bits"]
    centred = np.asarray(x, dtype=I64) - c["input_zero_point"]
    history = state.get("x")
    if history is None:
        history = np.zeros((x.shape[0], qrnn_history(node.attrs, node.input_size)), I64)
    taps = np.concatenate([history, centred], axis=-1)
    g = sat16(low.projections["x"].apply(taps))
    z = tanh_q15(g[:, :u])
    f = sigmoid_q15(g[:, u : 2 * u])
    o = sigmoid_q15(g[:, 2 * u :])
    cell = sat16(rshift_round(f * state["c"], 15) + rshift_round((Q15_ONE - f) * z, 30 - k))
    h = _to_output(low, o * cell, c["output_multiplier"], c["output_shift"])
    new: State = {"h": h, "c": cell}
    if taps.shape[-1] > centred.shape[-1]:
        new["x"] = taps[:, centred.shape[-1] :]
    return h, new


@register_integer_cell("sru")
def sru_step(low: LoweredNode, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """``W x`` in Q3.12; f, r = sigmoid(sat16(W x + rshift(v c, k) + b)); ``c = sat16(rshift(f
    c, 15) + rshift((1 - f) x~, 27 - k))``; ``h = out(rshift(r c, 15) + rshift((1 - r) x_c,
    15))`` with ``x_c = sat16(requantize(x - zp_x))`` in the cell's scale; a projected highway
    (input size != units) adds ``rshift((1 - r) g_hw, 27 - k)`` instead, ``g_hw = W_hw x`` in
    Q3.12 from the same projection."""
    node, c = low.node, low.consts
    u, k = int(node.attrs["units"]), c["cell_frac_bits"]
    v = np.asarray(node.w("v"), dtype=I64)
    b = np.asarray(node.w("b"), dtype=I64)
    c_prev = state["c"]
    g = sat16(low.projections["x"].apply(x))
    f = sigmoid_q15(sat16(g[:, u : 2 * u] + rshift_round(v[:u] * c_prev, k) + b[:u]))
    r = sigmoid_q15(sat16(g[:, 2 * u : 3 * u] + rshift_round(v[u:] * c_prev, k) + b[u:]))
    cell = sat16(rshift_round(f * c_prev, 15) + rshift_round((Q15_ONE - f) * g[:, :u], 27 - k))
    if sru_projected_highway(node.attrs, node.input_size):
        highway = rshift_round((Q15_ONE - r) * g[:, 3 * u :], 27 - k)
    else:
        x_c = sat16(requantize(np.asarray(x, dtype=I64) - c["input_zero_point"],
                               c["highway_multiplier"], c["highway_shift"]))
        highway = rshift_round((Q15_ONE - r) * x_c, 15)
    blended = rshift_round(r * cell, 15) + highway
    h = _to_output(low, blended, c["output_multiplier"], c["output_shift"])
    return h, {"h": h, "c": cell}
