"""The ``float32`` code-generation variant: float weights, the float runtime kernels.

Registers one :class:`~edgernn.codegen.registry.LayerEmitter` per IR layer kind. Numerics are
those of the golden model (:mod:`edgernn.reference`); host outputs agree within 1e-5 absolute.

Weight matrices are written in the row-block layout the matrix-vector kernel streams
(:func:`to_row_blocks`, ``EDGERNN_F32_ROW_BLOCK`` in ``edgernn_types.h``); biases and embedding
tables as the IR stores them. docs/codegen.md ("Float32 kernels") explains the layout.

A recurrent node with ``input_projected: true`` (:mod:`edgernn.passes`) has no ``w_x``: its
params struct gets ``w_x = NULL`` and the step kernel uses the step input (a row of the folded
embedding table) as the bias of its one recurrent matrix-vector product.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from edgernn.codegen.registry import (
    CArray,
    LayerEmitter,
    Variant,
    register_emitter,
    register_variant,
)
from edgernn.errors import BuildError
from edgernn.ir.graph import Graph, Node
from edgernn.ir.kinds import get_kind, input_projected

#: Rows per block of the float32 weight layout (``EDGERNN_F32_ROW_BLOCK`` in edgernn_types.h).
ROW_BLOCK = 8

# Spec activation name -> value of the C enum edgernn_activation (runtime/edgernn_types.h).
ACTIVATIONS: dict[str, str] = {
    "linear": "EDGERNN_ACT_LINEAR",
    "relu": "EDGERNN_ACT_RELU",
    "sigmoid": "EDGERNN_ACT_SIGMOID",
    "tanh": "EDGERNN_ACT_TANH",
    "softmax": "EDGERNN_ACT_SOFTMAX",
}

#: Bytes of one flash cache line of the STM32L4+ ART accelerator: a column of a row block.
LINE_BYTES = 32


def aligned_matrices(graph: Graph) -> list[str]:
    """C names of the weight matrices to start on a 32-byte boundary (flash cache line).

    The matrix-vector kernel reads one row block column, 8 floats, per flash cache line; that
    only holds when the matrix starts on a line. A matrix is aligned when the arrays before it,
    in the canonical order (nodes, then each kind's weights: the order of the generated source
    and of the firmware's copy to SRAM for ``weights="sram"``), add up to a multiple of 32
    bytes. Packed back to back the arrays then never need padding, so a weight section holds
    exactly the weights; every zoo matrix qualifies. Others (after an odd-sized table or bias)
    stay 4-byte aligned: the same results, only slower from flash.
    """
    names: list[str] = []
    offset = 0
    for node in graph.nodes:
        shapes = get_kind(node.kind).weight_shapes(node.attrs, node.input_size)
        for wname, shape in shapes.items():
            if (wname in _MATRIX_SPLITS.get(node.kind, {}) and len(shape) == 2
                    and offset % LINE_BYTES == 0):
                names.append(f"{graph.name}_{node.name}_{wname}")
            offset += 4 * int(np.prod(shape))
    return names


FLOAT32 = register_variant(
    Variant(
        name="float32",
        description="float32 weights and arithmetic",
        element_type="float",
        model_context=lambda graph: {"aligned_weights": aligned_matrices(graph)},
    )
)


def to_row_blocks(matrix: np.ndarray, block: int = ROW_BLOCK) -> np.ndarray:
    """Flatten a ``(rows, cols)`` matrix into the float32 kernels' row-block layout.

    Rows are taken in blocks of ``block``; each block is written column by column (the
    ``block`` weights of column 0, then of column 1, ...), so the kernel reads one input value
    per column and the weights of ``block`` rows sequentially. Rows after the last full block
    are written row-major. Same elements, same count, as the row-major matrix.
    """
    w = np.asarray(matrix, dtype=np.float32)
    if w.ndim != 2:
        raise ValueError(f"expected a matrix, got shape {w.shape}")
    rows, cols = w.shape
    full = rows - rows % block
    blocks = w[:full].reshape(full // block, block, cols).transpose(0, 2, 1)
    return np.concatenate([blocks.ravel(), w[full:].ravel()])


def from_row_blocks(flat: np.ndarray, rows: int, cols: int, block: int = ROW_BLOCK) -> np.ndarray:
    """Inverse of :func:`to_row_blocks`: the ``(rows, cols)`` row-major matrix."""
    data = np.asarray(flat, dtype=np.float32).ravel()
    if data.size != rows * cols:
        raise ValueError(f"{data.size} values cannot be a {rows}x{cols} matrix")
    full = rows - rows % block
    head = data[: full * cols].reshape(full // block, cols, block).transpose(0, 2, 1)
    return np.concatenate([head.reshape(full, cols), data[full * cols :].reshape(-1, cols)])


def _units(node: Node) -> int:
    return int(node.attrs["units"])


# Per kind: the weight matrices and the row offsets where each is split into independently
# blocked parts (the GRU's n rows are addressed on their own, at 2 units * cols).
_MATRIX_SPLITS: dict[str, dict[str, Callable[[Node], tuple[int, ...]]]] = {
    "dense": {"w": lambda node: ()},
    "rnn": {"w_x": lambda node: (), "w_h": lambda node: ()},
    "lstm": {"w_x": lambda node: (), "w_h": lambda node: ()},
    "gru": {"w_x": lambda node: (2 * _units(node),), "w_h": lambda node: (2 * _units(node),)},
    # p_i, p_f, p_o are matrices only for full peepholes (vectors, written as stored, else)
    "lstmp": {name: lambda node: () for name in ("w_x", "w_h", "w_p", "p_i", "p_f", "p_o")},
}


def _arrays(node: Node) -> list[CArray]:
    """The layer's weight arrays as the float32 kernels read them (same names and sizes)."""
    shapes = get_kind(node.kind).weight_shapes(node.attrs, node.input_size)
    splits = _MATRIX_SPLITS.get(node.kind, {})
    arrays = []
    for wname, shape in shapes.items():
        data = np.asarray(node.w(wname), dtype=np.float32)
        dims = "x".join(str(d) for d in shape)
        if wname in splits and len(shape) == 2:
            cuts = splits[wname](node)
            parts = np.split(data, cuts, axis=0)
            data = np.concatenate([to_row_blocks(part) for part in parts])
            where = " + ".join(str(len(part)) for part in parts) if cuts else ""
            note = f"{dims}, {ROW_BLOCK}-row blocks" + (f" (rows {where} blocked apart)" if cuts
                                                          else "")
        else:
            note = dims
        arrays.append(CArray(suffix=wname, ctype="float", data=data, note=note))
    return arrays


def _dense_context(node: Node) -> dict[str, Any]:
    activation = node.attrs.get("activation", "linear")
    if activation not in ACTIVATIONS:
        raise BuildError(
            f"layer {node.name}: activation {activation!r} has no float32 kernel "
            f"(supported: {', '.join(ACTIVATIONS)})"
        )
    return {"activation": ACTIVATIONS[activation]}


def _recurrent_context(node: Node) -> dict[str, Any]:
    return {"input_projected": input_projected(node.attrs)}


_PEEPHOLES: dict[str | None, str] = {
    None: "EDGERNN_PEEPHOLE_NONE",
    "diagonal": "EDGERNN_PEEPHOLE_DIAGONAL",
    "full": "EDGERNN_PEEPHOLE_FULL",
}


def _lstmp_context(node: Node) -> dict[str, Any]:
    return {
        "peephole": _PEEPHOLES[node.attrs.get("peephole")],
        "proj_size": int(node.attrs.get("projection") or 0),
    }


def _gru_context(node: Node) -> dict[str, Any]:
    return _recurrent_context(node) | {"reset_after": bool(node.attrs.get("reset_after", True))}


register_emitter(
    "float32",
    LayerEmitter(
        kind="embedding",
        template="float32/embedding.c.j2",
        functions=("edgernn_embedding_f32",),
        arrays=_arrays,
    ),
)

register_emitter(
    "float32",
    LayerEmitter(
        kind="dense",
        template="float32/dense.c.j2",
        functions=("edgernn_dense_f32",),
        context=_dense_context,
        arrays=_arrays,
    ),
)

register_emitter(
    "float32",
    LayerEmitter(
        kind="rnn",
        template="float32/rnn.c.j2",
        functions=("edgernn_rnn_step_f32",),
        state=lambda node: {"h": _units(node)},
        scratch=_units,
        scratch_macro=lambda node: f"EDGERNN_RNN_STEP_F32_BUFFER_SIZE({_units(node)})",
        context=_recurrent_context,
        arrays=_arrays,
        input_projected=True,
    ),
)

register_emitter(
    "float32",
    LayerEmitter(
        kind="lstm",
        template="float32/lstm.c.j2",
        functions=("edgernn_lstm_step_f32",),
        state=lambda node: {"h": _units(node), "c": _units(node)},
        scratch=lambda node: 4 * _units(node),
        scratch_macro=lambda node: f"EDGERNN_LSTM_STEP_F32_BUFFER_SIZE({_units(node)})",
        context=_recurrent_context,
        arrays=_arrays,
        input_projected=True,
    ),
)

register_emitter(
    "float32",
    LayerEmitter(
        kind="gru",
        template="float32/gru.c.j2",
        functions=("edgernn_gru_step_f32",),
        state=lambda node: {"h": _units(node)},
        scratch=lambda node: 4 * _units(node),
        scratch_macro=lambda node: f"EDGERNN_GRU_STEP_F32_BUFFER_SIZE({_units(node)})",
        context=_gru_context,
        arrays=_arrays,
        input_projected=True,
    ),
)

register_emitter(
    "float32",
    LayerEmitter(
        kind="lstmp",
        template="float32/lstmp.c.j2",
        functions=("edgernn_lstmp_step_f32",),
        state=lambda node: get_kind("lstmp").state_sizes(node.attrs),
        scratch=lambda node: 5 * _units(node),
        scratch_macro=lambda node: f"EDGERNN_LSTMP_STEP_F32_BUFFER_SIZE({_units(node)})",
        context=_lstmp_context,
        arrays=_arrays,
    ),
)

from edgernn.codegen import float32_qrnn_sru as _float32_qrnn_sru  # noqa: E402,F401  (qrnn, sru)
