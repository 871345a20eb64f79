"""One time step of each layer kind in integers: the specification the C kernels implement.

Each cell takes the lowered node (:func:`edgernn.quant.lower.lower_node`), the step input as an
int64 array ``(batch, input_size)`` holding int8/int16 values (token ids for an embedding) and
the node's state dict, and returns the step output and the new state, all int64 arrays holding
values of the activation type. Every operation and its order is the C kernel's (see
docs/quantization.md); the helpers come from :mod:`edgernn.quant.fixed_point` and
:mod:`edgernn.quant.lut`, whose C twins live in ``runtime/edgernn_fixed_point.h``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from edgernn.quant.fixed_point import I64, requantize, rshift_round, sat16, saturate
from edgernn.quant.lower import LoweredNode
from edgernn.quant.lut import exp_q15, sigmoid_q15, tanh_q15

State = dict[str, np.ndarray]
IntegerCell = Callable[[LoweredNode, np.ndarray, State], tuple[np.ndarray, State]]

INTEGER_CELLS: dict[str, IntegerCell] = {}

Q15_ONE = 1 << 15


def register_integer_cell(kind: str) -> Callable[[IntegerCell], IntegerCell]:
    """Decorator: register the integer step function of layer kind ``kind``."""

    def wrap(fn: IntegerCell) -> IntegerCell:
        INTEGER_CELLS[kind] = fn
        return fn

    return wrap


def output_range(low: LoweredNode) -> tuple[int, int]:
    """Range of the node's output type (int8 or int16)."""
    info = np.iinfo(low.node.attrs["quant"]["output"]["dtype"])
    return int(info.min), int(info.max)


def _to_output(low: LoweredNode, value: np.ndarray, multiplier: int, shift: int) -> np.ndarray:
    """``sat(requantize(value, M, s) + zp)`` into the output type."""
    lo, hi = output_range(low)
    zp = low.consts["output_zero_point"]
    return saturate(requantize(value, multiplier, shift) + zp, lo, hi)


def _h_update(low: LoweredNode, h: np.ndarray, z: np.ndarray, n: np.ndarray) -> np.ndarray:
    """GRU ``h = z h + (1 - z) n`` in Q0.15, ``h`` converted from and back to its own scale."""
    c = low.consts
    zp = c["output_zero_point"]
    h15 = sat16(requantize(h - zp, c["state_multiplier"], c["state_shift"]))
    blended = rshift_round(z * h15 + (Q15_ONE - z) * n, 15)
    return _to_output(low, blended, c["output_multiplier"], c["output_shift"])


@register_integer_cell("embedding")
def embedding_step(low: LoweredNode, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """Row lookup of the int8 table (int16x8: the same values as int16)."""
    assert low.table is not None
    ids = np.asarray(x[:, 0], dtype=I64)
    if ids.min() < 0 or ids.max() >= low.table.shape[0]:
        raise ValueError(f"{low.node.name}: token id outside [0, {low.table.shape[0]})")
    return low.table[ids].astype(I64), state


@register_integer_cell("dense")
def dense_step(low: LoweredNode, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """Requantized ``W x + b'`` then the activation (see docs/quantization.md, "dense")."""
    proj = low.projections["w"]
    acc = proj.apply(x)
    activation = low.node.attrs.get("activation", "linear")
    zp = low.consts["output_zero_point"]
    lo, hi = output_range(low)
    if activation in ("linear", "relu"):
        y = saturate(acc + zp, lo, hi)
        return (np.maximum(y, zp) if activation == "relu" else y), state
    if activation in ("sigmoid", "tanh"):
        table = sigmoid_q15 if activation == "sigmoid" else tanh_q15
        y15 = table(sat16(acc))
        multiplier, shift = low.consts["output_multiplier"], low.consts["output_shift"]
        return _to_output(low, y15, multiplier, shift), state
    # softmax: acc is the Q.11 logit (int32-saturated)
    e = exp_q15(acc - acc.max(axis=-1, keepdims=True))
    total = e.sum(axis=-1, keepdims=True)
    if hi == 127:
        y = (e * 256 + total // 2) // total - 128
    else:
        y = (e * 32768 + total // 2) // total
    return np.minimum(y, hi), state


def _gates(low: LoweredNode, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """``sat16(sat16(requant(W_x x + b')) + sat16(requant(W_h h + b'_h)))`` in Q3.12."""
    px = sat16(low.projections["x"].apply(x))
    ph = sat16(low.projections["h"].apply(h))
    return sat16(px + ph)


@register_integer_cell("rnn")
def rnn_step(low: LoweredNode, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """h = tanh(gates) requantized from Q0.15 to h's scale."""
    y15 = tanh_q15(_gates(low, x, state["h"]))
    h = _to_output(low, y15, low.consts["output_multiplier"], low.consts["output_shift"])
    return h, {"h": h}


@register_integer_cell("lstm")
def lstm_step(low: LoweredNode, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """c = f c + i g in int16 with 2**-k scale; h = o tanh(c) from Q0.30."""
    u = low.node.attrs["units"]
    k = low.consts["cell_frac_bits"]
    g = _gates(low, x, state["h"])
    i = sigmoid_q15(g[:, :u])
    f = sigmoid_q15(g[:, u : 2 * u])
    cand = tanh_q15(g[:, 2 * u : 3 * u])
    o = sigmoid_q15(g[:, 3 * u :])
    c = sat16(rshift_round(f * state["c"], 15) + rshift_round(i * cand, 30 - k))
    c312 = rshift_round(c, k - 12) if k >= 12 else sat16(c * (1 << (12 - k)))
    h = _to_output(low, o * tanh_q15(c312), low.consts["output_multiplier"],
                   low.consts["output_shift"])
    return h, {"h": h, "c": c}


@register_integer_cell("gru")
def gru_step(low: LoweredNode, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """z, r from Q3.12 sums; n with the reset applied after (default) or before W_h."""
    u = low.node.attrs["units"]
    h = state["h"]
    xs = sat16(low.projections["x"].apply(x))
    ph = low.projections["h"]
    if low.node.attrs.get("reset_after", True):
        hs = sat16(ph.apply(h))
        zr = sigmoid_q15(sat16(xs[:, : 2 * u] + hs[:, : 2 * u]))
        r = zr[:, u:]
        n_pre = sat16(xs[:, 2 * u :] + rshift_round(r * hs[:, 2 * u :], 15))
    else:
        hzr = sat16(ph.apply(h, slice(0, 2 * u)))
        zr = sigmoid_q15(sat16(xs[:, : 2 * u] + hzr))
        r = zr[:, u:]
        zp = low.consts["output_zero_point"]
        rh = zp + rshift_round(r * (h - zp), 15)
        n_pre = sat16(xs[:, 2 * u :] + sat16(ph.apply(rh, slice(2 * u, 3 * u))))
    h_new = _h_update(low, h, zr[:, :u], tanh_q15(n_pre))
    return h_new, {"h": h_new}

from edgernn.reference.integer import cells_qrnn_sru as _cells_qrnn_sru  # noqa: E402,F401
