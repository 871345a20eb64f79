"""Golden float32 cells of the ``qrnn`` and ``sru`` kinds (survey Section III-B6).

Weight layout and state in :mod:`edgernn.ir.kinds_qrnn_sru`. Operations are written in the
order and grouping the survey's Table 3 counts (docs/counting.md); ``cells.sigmoid`` is looked
up at call time so that the operation counter can replace it.
"""

from __future__ import annotations

import numpy as np

from edgernn.ir.graph import Node
from edgernn.ir.kinds_qrnn_sru import qrnn_history, sru_projected_highway
from edgernn.reference import cells
from edgernn.reference.cells import F32, State, _matvec, register_cell


def qrnn_taps_input(node: Node, x: np.ndarray, state: State) -> np.ndarray:
    """``[x(t-k+1), .., x(t)]``: the stored history (zeros when absent) followed by ``x``."""
    history = state.get("x")
    if history is None:
        history = np.zeros((x.shape[0], qrnn_history(node.attrs, node.input_size)), x.dtype)
    # keeps x's array type (the operation counter's CountingArray, edgernn.ir.cost)
    return np.concatenate([history, x], axis=-1).view(type(x))


@register_cell("qrnn")
def qrnn_step(node: Node, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """QRNN with fo-pooling: ``z = tanh(W_z * X)``, ``f = σ(W_f * X)``, ``o = σ(W_o * X)``
    (``*`` the masked convolution over the last k inputs, one product with the tap-stacked
    ``w_x``), ``c = f c + (1 - f) z``, ``h = o c`` (Bradbury et al. 2017, survey eq. 14-17)."""
    u = int(node.attrs["units"])
    taps = qrnn_taps_input(node, x, state)
    pre = _matvec(node.w("w_x"), taps)
    z = np.tanh(pre[:, :u])
    f = cells.sigmoid(pre[:, u : 2 * u])
    o = cells.sigmoid(pre[:, 2 * u :])
    c = (f * state["c"] + (F32(1.0) - f) * z).astype(F32)
    h = (o * c).astype(F32)
    new: State = {"h": h, "c": c}
    if taps.shape[-1] > x.shape[-1]:
        new["x"] = np.ascontiguousarray(taps[:, x.shape[-1] :]).astype(F32)
    return h, new


@register_cell("sru")
def sru_step(node: Node, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
    """SRU in the survey's form (eq. 18-21): ``f = σ(W_f x + v_f c + b_f)``,
    ``r = σ(W_r x + v_r c + b_r)``, ``c' = f c + (1 - f) W x``, ``h = r c' + (1 - r) x``; with
    input size != units the highway is ``W_hw x`` (Lei et al.), ``w_x``'s fourth block."""
    u = int(node.attrs["units"])
    c_prev = state["c"]
    pre = _matvec(node.w("w_x"), x)
    v, b = node.w("v"), node.w("b")
    f = cells.sigmoid(pre[:, u : 2 * u] + v[:u] * c_prev + b[:u])
    r = cells.sigmoid(pre[:, 2 * u : 3 * u] + v[u:] * c_prev + b[u:])
    c = (f * c_prev + (F32(1.0) - f) * pre[:, :u]).astype(F32)
    highway = pre[:, 3 * u :] if sru_projected_highway(node.attrs, node.input_size) else x
    h = (r * c + (F32(1.0) - r) * highway).astype(F32)
    return h, {"h": h, "c": c}
