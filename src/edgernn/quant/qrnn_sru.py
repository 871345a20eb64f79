"""int8 quantization of the ``qrnn`` and ``sru`` kinds (docs/quantization.md, "QRNN and SRU").

Both follow the LSTM's formats: int8 weights per output row, the input side requantized to
Q3.12 gate inputs, Q0.15 activations through the sigmoid/tanh tables, the cell state ``c`` in
int16 with a power-of-two scale ``2**-k`` from calibration (:func:`cell_frac_bits`).

* ``qrnn``: the convolution reads the inputs minus their zero point (int16), so the history
  before the first step is 0 and no bias is folded in. ``h = o c`` (scale ``2**-(15+k)``) is
  requantized to the output.
* ``sru``: ``W x`` with the zero point folded into the bias as usual; ``v`` and ``b`` are int32
  tensors holding Q3.12 values (``v c`` is shifted right by ``k``); ``k`` also covers the input
  range because the highway carries ``x`` in the cell's scale: ``x_c = requantize(x - zp_x)``,
  ``h = r c + (1 - r) x_c`` (Q0.15 weights), requantized from ``2**-k`` to the output. A
  projected highway (input size != units) is the projection's fourth block of rows, ``W_hw x``
  in Q3.12 like ``x~`` and brought to ``2**-k`` by the same shift (``27 - k`` after the
  ``(1 - r)`` product): ``k`` then covers ``c`` only and the highway constants are unused (0).
"""

from __future__ import annotations

import numpy as np

from edgernn.errors import QuantizationError
from edgernn.ir.graph import Node, Tensor
from edgernn.ir.kinds_qrnn_sru import sru_projected_highway
from edgernn.quant.calibrate import NodeStats
from edgernn.quant.lut import GATE_FRAC_BITS
from edgernn.quant.quantize import (
    GATE_SCALE,
    Context,
    _integer_matrix,
    _new_node,
    _record,
    _require,
    _scalar,
    cell_frac_bits,
    register_node_quantizer,
)

Q312_MAX = (1 << 15) - 1


def _c_range(stats: NodeStats) -> float:
    return stats.states["c"].max_abs if "c" in stats.states else 0.0


@register_node_quantizer("int8", kind="qrnn")
def quantize_qrnn(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """Convolution to Q3.12 (inputs minus zero point), c int16 at 2**-k, h = o c requantized."""
    fmt, x = _require(ctx)
    h = fmt.params_for(stats.output.lo, stats.output.hi)
    weights = _integer_matrix(node, "w_x", None, x, GATE_SCALE, ctx)
    c_range = _c_range(stats)
    k = cell_frac_bits(c_range)
    m, s = _scalar(2.0 ** -(15 + k) / h.scale, f"layer {node.name} output")
    return _new_node(node, weights, _record(ctx, h, cell_frac_bits=k, output_multiplier=m,
                                            output_shift=s, cell_range=float(c_range)))


def _q312(values: np.ndarray, what: str) -> Tensor:
    q = np.round(np.asarray(values, dtype=np.float64) / GATE_SCALE)
    if np.any(np.abs(q) > Q312_MAX):
        raise QuantizationError(f"{what}: a value beyond ±8 does not fit Q3.12")
    return Tensor(q.astype(np.int32), {"dtype": "int32", "axis": None, "zero_point": 0,
                                       "scale": GATE_SCALE, "frac_bits": GATE_FRAC_BITS})


@register_node_quantizer("int8", kind="sru")
def quantize_sru(node: Node, stats: NodeStats, ctx: Context) -> Node:
    """W x to Q3.12; v, b as Q3.12 int32; c int16 at 2**-k covering c and x; h from 2**-k."""
    fmt, x = _require(ctx)
    h = fmt.params_for(stats.output.lo, stats.output.hi)
    weights = _integer_matrix(node, "w_x", None, x, GATE_SCALE, ctx)
    weights["v"] = _q312(node.w("v"), f"layer {node.name} v")
    weights["b"] = _q312(node.w("b"), f"layer {node.name} b")
    projected = sru_projected_highway(node.attrs, node.input_size)
    c_range = _c_range(stats) if projected else max(_c_range(stats), stats.input.max_abs)
    k = cell_frac_bits(c_range)
    xm, xs = (0, 0) if projected else _scalar(x.scale * 2.0**k, f"layer {node.name} highway")
    m, s = _scalar(2.0**-k / h.scale, f"layer {node.name} output")
    return _new_node(node, weights, _record(
        ctx, h, cell_frac_bits=k, highway_multiplier=xm, highway_shift=xs,
        output_multiplier=m, output_shift=s, cell_range=float(c_range)))
