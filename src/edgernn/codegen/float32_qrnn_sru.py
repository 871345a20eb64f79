"""float32 emitters of the ``qrnn`` and ``sru`` kinds (runtime/edgernn_qrnn_sru.h).

Weights are written row-major as the IR stores them (edgernn_matmul_f32 reads rows). A node
with ``window`` > 1 (only a first layer reading the model's features, see the spec) keeps a
``proj`` state buffer of ``window x rows`` values (:func:`proj_rows`): ``NAME_run`` fills it for
the next window of steps with one matrix-matrix product (the ``window`` template macro), and
each step reads its row (``slot``). ``NAME_step`` passes no row: the step kernel computes its own.
"""

from __future__ import annotations

from typing import Any

from edgernn.codegen.registry import LayerEmitter, register_emitter
from edgernn.ir.graph import Node
from edgernn.ir.kinds_qrnn_sru import layer_window, qrnn_history, qrnn_taps, sru_rows


def _units(node: Node) -> int:
    return int(node.attrs["units"])


def proj_rows(node: Node) -> int:
    """Values of one step's input side: ``3 units``, an SRU's projected highway adds ``units``."""
    return sru_rows(node.attrs, node.input_size) if node.kind == "sru" else 3 * _units(node)


def state_sizes(node: Node) -> dict[str, int]:
    """State buffers of a qrnn/sru layer in every variant: h, c, the QRNN's input history and,
    with a window, the precomputed input side of the window's steps."""
    u = _units(node)
    state = {"h": u, "c": u}
    if node.kind == "qrnn" and qrnn_taps(node.attrs) > 1:
        state["x"] = qrnn_history(node.attrs, node.input_size)
    if layer_window(node.attrs) > 1:
        state["proj"] = layer_window(node.attrs) * proj_rows(node)
    return state


def window_context(node: Node) -> dict[str, Any]:
    """Template values shared by the qrnn/sru templates of every variant."""
    window = layer_window(node.attrs)
    return {
        "window": window,
        "windowed": window > 1,
        "taps": qrnn_taps(node.attrs),
        "window_input": f"input + (size_t)t * {node.input_size}",
        "window_count": "count",
        "proj_rows": proj_rows(node),
    }


def _qrnn_scratch(node: Node) -> int:
    return (qrnn_taps(node.attrs) - 1 + layer_window(node.attrs)) * node.input_size \
        + 3 * _units(node)


register_emitter(
    "float32",
    LayerEmitter(
        kind="qrnn",
        template="float32/qrnn.c.j2",
        functions=("edgernn_qrnn_step_f32", "edgernn_qrnn_window_f32"),
        state=state_sizes,
        scratch=_qrnn_scratch,
        scratch_macro=lambda node: (
            f"EDGERNN_QRNN_F32_BUFFER_SIZE({node.input_size}, {_units(node)}, "
            f"{qrnn_taps(node.attrs)}, {layer_window(node.attrs)})"),
        context=window_context,
    ),
)

register_emitter(
    "float32",
    LayerEmitter(
        kind="sru",
        template="float32/sru.c.j2",
        functions=("edgernn_sru_step_f32", "edgernn_sru_window_f32"),
        state=state_sizes,
        scratch=proj_rows,
        scratch_macro=lambda node: (
            f"EDGERNN_SRU_F32_BUFFER_SIZE({node.input_size}, {_units(node)})"),
        context=window_context,
    ),
)
