"""int8 emitters of the ``qrnn`` and ``sru`` kinds (runtime/edgernn_qrnn_sru_int.h).

Constants come from :func:`edgernn.quant.lower.lower_node` (as the integer golden model's); the
matrix is written in the row-pair layout of ``edgernn_matvec_s8``. State: ``h`` int8 (zeroed
to its zero point), ``c`` int16, the QRNN history ``x`` and the window rows ``proj`` int16.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from edgernn.codegen.float32_qrnn_sru import proj_rows, state_sizes, window_context
from edgernn.codegen.integer import FLAVOURS, S8_CHUNK_ROWS, _projection_arrays
from edgernn.codegen.registry import CArray, LayerEmitter, register_emitter
from edgernn.ir.graph import Node
from edgernn.ir.kinds_qrnn_sru import layer_window, qrnn_taps
from edgernn.quant.lower import lower_node

_FLAVOUR = FLAVOURS["int8"]


def _words(n: int) -> int:
    return (n + 1) // 2


def _acc(rows: int) -> int:  # EDGERNN_S8_ACC_WORDS
    return min(rows, S8_CHUNK_ROWS)


def _units(node: Node) -> int:
    return int(node.attrs["units"])


def _arrays(node: Node) -> list[CArray]:
    low = lower_node(node)
    out = _projection_arrays("x", low.projections["x"], slice(None), "int8")
    if node.kind == "sru":
        u = _units(node)
        out.append(CArray("v", "int32_t", np.asarray(node.w("v")), f"{2 * u} Q3.12 (v_f, v_r)"))
        out.append(CArray("b", "int32_t", np.asarray(node.w("b")), f"{2 * u} Q3.12 (b_f, b_r)"))
    return out


def _context(node: Node) -> dict[str, Any]:
    low = lower_node(node)
    proj = low.projections["x"]
    return window_context(node) | {
        "sfx": _FLAVOUR.suffix, "ctype": _FLAVOUR.ctype, "consts": dict(low.consts),
        "state_types": {"h": "int8_t", "c": "int16_t", "x": "int16_t", "proj": "int16_t"},
        "state_zero": {"h": low.consts["output_zero_point"]},
        "proj": {"x": {"bias": bool(np.any(proj.bias != 0)), "acc_shift": proj.acc_shift}},
    }


def _qrnn_scratch(node: Node) -> int:  # EDGERNN_QRNN_S8_BUFFER_SIZE
    u, taps, n_in = _units(node), qrnn_taps(node.attrs), node.input_size
    window = layer_window(node.attrs)
    step = _acc(3 * u) + _words(taps * n_in + 1) + _words(3 * u)
    pair = 2 * _acc(3 * u) + 2 * _words(taps * n_in)  # edgernn_qrnn_window_s8
    return _words((taps - 1 + window) * n_in) + (max(step, pair) if window > 1 else step)


def _sru_scratch(node: Node) -> int:  # EDGERNN_SRU_S8_BUFFER_SIZE
    rows, n_in = proj_rows(node), node.input_size
    step = _acc(rows) + _words(n_in) + _words(rows)
    pair = 2 * _acc(rows) + 2 * _words(n_in)  # edgernn_sru_window_s8
    return max(step, pair) if layer_window(node.attrs) > 1 else step


register_emitter("int8", LayerEmitter(
    kind="qrnn", template="integer/qrnn.c.j2",
    functions=("edgernn_qrnn_step_s8", "edgernn_qrnn_window_s8"),
    state=state_sizes, scratch=_qrnn_scratch,
    scratch_macro=lambda node: (
        f"EDGERNN_QRNN_S8_BUFFER_SIZE({node.input_size}, {_units(node)}, "
        f"{qrnn_taps(node.attrs)}, {layer_window(node.attrs)})"),
    context=_context, arrays=_arrays,
))

register_emitter("int8", LayerEmitter(
    kind="sru", template="integer/sru.c.j2",
    functions=("edgernn_sru_step_s8", "edgernn_sru_window_s8"),
    state=state_sizes,
    scratch=_sru_scratch,
    scratch_macro=lambda node: (
        f"EDGERNN_SRU_S8_BUFFER_SIZE({node.input_size}, {_units(node)}, "
        f"{layer_window(node.attrs)})"),
    context=_context, arrays=_arrays,
))
