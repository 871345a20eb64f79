"""Layer kinds ``qrnn`` and ``sru``: recurrences whose matrix products see only the input.

Weight layout (canonical, as :mod:`edgernn.ir.kinds`):

* ``qrnn``: ``w_x`` of shape ``(3 units, k inputs)``, gate blocks ``z, f, o`` along the rows;
  the columns are the ``k`` filter taps, oldest first: columns ``j*inputs .. (j+1)*inputs``
  multiply ``x(t-k+1+j)``, so the last block multiplies ``x(t)``. No bias (the survey's form,
  Table 3: weights ``3knm``, no biases). State: ``c`` (units), ``h`` (the step output) and
  ``x``, the last ``k - 1`` inputs oldest first (:func:`qrnn_history` values; none for
  ``k = 1``), which the cells add to a state that lacks it.
* ``sru``: ``w_x`` of shape ``(3 units, inputs)``, blocks ``x~, f, r`` (candidate, forget,
  reset/highway gate); ``v`` ``(2 units,)`` the cell-state vectors ``v_f, v_r``; ``b``
  ``(2 units,)`` the biases ``b_f, b_r``. State: ``c`` and the output ``h``. When the input
  size differs from ``units`` the highway cannot add ``x`` itself: ``w_x`` gets a fourth block
  ``W_hw`` (``(4 units, inputs)``, no bias) and the highway adds ``W_hw x`` (Lei et al.'s
  projected highway; :func:`sru_projected_highway`).

Attribute ``window`` (default 4) only tells code generation how many time steps share one
matrix-matrix product of their input sides; it changes no shape and no count.
"""

from __future__ import annotations

from edgernn.ir.kinds import LayerKind, OpCounts, Shapes, register_kind


def qrnn_taps(attrs: dict) -> int:
    """The filter width ``k`` of a ``qrnn`` node (default 2)."""
    return int(attrs.get("kernel_size", 2))


def layer_window(attrs: dict) -> int:
    """Time steps per input-side matrix-matrix product of a ``qrnn``/``sru`` node (default 4)."""
    return int(attrs.get("window", 4))


def sru_projected_highway(attrs: dict, n_in: int) -> bool:
    """True when an ``sru`` node's highway is ``W_hw x`` (input size != units), not ``x``."""
    return int(n_in) != int(attrs["units"])


def sru_rows(attrs: dict, n_in: int) -> int:
    """Rows of an ``sru`` node's ``w_x``: ``x~, f, r`` and, projected, the highway ``W_hw``."""
    return (4 if sru_projected_highway(attrs, n_in) else 3) * int(attrs["units"])


def _qrnn_shapes(a: dict, n_in: int) -> Shapes:
    return {"w_x": (3 * int(a["units"]), qrnn_taps(a) * n_in)}


def qrnn_history(attrs: dict, n_in: int) -> int:
    """Values of a ``qrnn`` node's input history (the last ``k - 1`` inputs)."""
    return (qrnn_taps(attrs) - 1) * n_in


def _qrnn_ops(a: dict, n_in: int) -> OpCounts:
    # 3 convolutions of k taps: 3 k n m MACs; c = f*c + (1-f)*z: 2 mul + 2 add; h = o*c: 1 mul.
    # Nonlinear: tanh(z), sigmoid(f), sigmoid(o).
    u = int(a["units"])
    return OpCounts(macs=3 * qrnn_taps(a) * u * n_in, elementwise=5 * u, nonlinear=3 * u)


def _sru_ops(a: dict, n_in: int) -> OpCounts:
    # 3 matrix-vector products (4 with the projected highway): rows x n MACs. f, r: + v*c
    # (1 mul, 1 add) + b (1 add): 6 per unit; c = f*c + (1-f)*x~: 4; h = r*c + (1-r)*x (or
    # W_hw x): 4. Nonlinear: sigmoid(f), sigmoid(r).
    u = int(a["units"])
    return OpCounts(macs=sru_rows(a, n_in) * n_in, elementwise=14 * u, nonlinear=2 * u)


register_kind(
    LayerKind(
        name="qrnn",
        recurrent=True,
        weight_shapes=_qrnn_shapes,
        output_size=lambda a, n_in: int(a["units"]),
        # the input history x ((k-1) inputs, qrnn_history) depends on the input size, which
        # state_sizes does not get: the cells create it, zero, when a state lacks it
        state_sizes=lambda a: {"h": int(a["units"]), "c": int(a["units"])},
        op_counts=_qrnn_ops,
    )
)

register_kind(
    LayerKind(
        name="sru",
        recurrent=True,
        weight_shapes=lambda a, n_in: {"w_x": (sru_rows(a, n_in), n_in),
                                       "v": (2 * int(a["units"]),), "b": (2 * int(a["units"]),)},
        output_size=lambda a, n_in: int(a["units"]),
        state_sizes=lambda a: {"h": int(a["units"]), "c": int(a["units"])},
        op_counts=_sru_ops,
    )
)
