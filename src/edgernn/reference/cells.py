"""One time step of each layer kind, float32: the golden model's cells.

Each cell takes the node, the step input (shape ``(batch, input_size)``) and the state dict of
the node, and returns the step output and the new state. The time loop lives in
:mod:`edgernn.reference.model` only. Equations follow the canonical layout of
:mod:`edgernn.ir.kinds`. A recurrent node with ``input_projected: true`` gets ``x`` already equal
to ``W_x x + (input-side bias)`` (``gates * units`` values) and adds only its recurrent side.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from edgernn.ir.graph import Node
from edgernn.ir.kinds import input_projected
from edgernn.reference.activations import ACTIVATIONS, sigmoid

State = dict[str, np.ndarray]
Cell = Callable[[Node, np.ndarray, State], tuple[np.ndarray, State]]
F32 = np.float32

CELLS: dict[str, Cell] = {}


def register_cell(kind: str) -> Callable[[Cell], Cell]:
    """Decorator: register the float32 step function of layer kind ``kind``."""

    def wrap(fn: Cell) -> Cell:
        CELLS[kind] = fn
        return fn

    return wrap


def _matvec(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Batched y = W x with W of shape (outputs, inputs) and x of shape (batch, inputs)."""
    return (x @ w.T).astype(F32)


@register_cell("embedding")
def embedding_step(node: Node, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """Row lookup: x holds one token id per batch entry (shape (batch, 1))."""
    table = node.w("table")
    ids = x[:, 0].astype(np.int64)
    if ids.min() < 0 or ids.max() >= table.shape[0]:
        raise ValueError(f"{node.name}: token id outside [0, {table.shape[0]})")
    return table[ids].astype(F32), state


@register_cell("dense")
def dense_step(node: Node, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """y = act(W x + b)."""
    y = _matvec(node.w("w"), x) + node.w("b")
    return ACTIVATIONS[node.attrs["activation"]](y), state


def _input_side(node: Node, x: np.ndarray, bias: str) -> np.ndarray:
    """``W_x x + b_in`` in float32, or ``x`` itself when the node's input is projected."""
    if input_projected(node.attrs):
        return x.astype(F32)
    return _matvec(node.w("w_x"), x) + node.w(bias)


@register_cell("rnn")
def rnn_step(node: Node, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """h = tanh(W_x x + W_h h + b); projected input p: h = tanh(W_h h + p)."""
    if input_projected(node.attrs):
        pre = _matvec(node.w("w_h"), state["h"]) + x
    else:
        pre = _matvec(node.w("w_x"), x) + _matvec(node.w("w_h"), state["h"]) + node.w("b")
    h = np.tanh(pre)
    return h, {"h": h}


@register_cell("lstm")
def lstm_step(node: Node, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """Gates i, f, g, o; c = f*c + i*g; h = o*tanh(c) (projected input p: gates W_h h + p)."""
    if input_projected(node.attrs):
        z = _matvec(node.w("w_h"), state["h"]) + x
    else:
        z = _matvec(node.w("w_x"), x) + _matvec(node.w("w_h"), state["h"]) + node.w("b")
    i, f, g, o = np.split(z, 4, axis=-1)
    c = sigmoid(f) * state["c"] + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * np.tanh(c)
    return h, {"h": h, "c": c}


@register_cell("gru")
def gru_step(node: Node, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """Gates z, r, n; h = z*h + (1-z)*n, reset applied after (default) or before W_h.

    With a projected input, ``x`` is ``xs`` below (``W_x x + b_x``, or ``W_x x + b``).
    """
    h_prev = state["h"]
    u = node.attrs["units"]
    w_h = node.w("w_h")
    if node.attrs.get("reset_after", True):
        xs = _input_side(node, x, "b_x")
        hs = _matvec(w_h, h_prev) + node.w("b_h")
        z = sigmoid(xs[:, :u] + hs[:, :u])
        r = sigmoid(xs[:, u : 2 * u] + hs[:, u : 2 * u])
        n = np.tanh(xs[:, 2 * u :] + r * hs[:, 2 * u :])
    else:
        xs = _input_side(node, x, "b")
        hs = _matvec(w_h[: 2 * u], h_prev)
        z = sigmoid(xs[:, :u] + hs[:, :u])
        r = sigmoid(xs[:, u : 2 * u] + hs[:, u : 2 * u])
        n = np.tanh(xs[:, 2 * u :] + _matvec(w_h[2 * u :], r * h_prev))
    h = (z * h_prev + (F32(1.0) - z) * n).astype(F32)
    return h, {"h": h}


def _peephole(node: Node, pre: np.ndarray, name: str, c: np.ndarray) -> np.ndarray:
    """``pre + p * c`` (diagonal peephole), ``pre + P c`` (full) or ``pre`` (none)."""
    peephole = node.attrs.get("peephole")
    if peephole is None:
        return pre
    if peephole == "diagonal":
        return pre + node.w(name) * c
    return pre + _matvec(node.w(name), c)


@register_cell("lstmp")
def lstmp_step(node: Node, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """LSTM with peepholes and/or a projection layer (survey Section III-B2, III-B4).

    ``i = σ(W_xi x + W_hi h + p_i c + b_i)``, ``f`` likewise, ``g = tanh(W_xg x + W_hg h + b_g)``,
    ``c' = f c + i g``, ``o = σ(W_xo x + W_ho h + p_o c' + b_o)``, ``m = o tanh(c')`` and
    ``h' = W_p m`` with a projection (else ``h' = m``). ``p_* c`` is elementwise for diagonal
    peepholes and a matrix-vector product for full ones. The peephole term joins the gate's
    product sum before the bias (the order the survey's operation counts assume).
    """
    c_prev = state["c"]
    pre = _matvec(node.w("w_x"), x) + _matvec(node.w("w_h"), state["h"])
    pre_i, pre_f, pre_g, pre_o = np.split(pre, 4, axis=-1)
    b_i, b_f, b_g, b_o = np.split(node.w("b"), 4)
    i = sigmoid(_peephole(node, pre_i, "p_i", c_prev) + b_i)
    f = sigmoid(_peephole(node, pre_f, "p_f", c_prev) + b_f)
    c = f * c_prev + i * np.tanh(pre_g + b_g)
    o = sigmoid(_peephole(node, pre_o, "p_o", c) + b_o)
    m = o * np.tanh(c)
    h = _matvec(node.w("w_p"), m) if node.attrs.get("projection") else m
    return h.astype(F32), {"h": h.astype(F32), "c": c.astype(F32)}

from edgernn.reference import cells_qrnn_sru as _cells_qrnn_sru  # noqa: E402,F401  (qrnn, sru)
