"""The ``float32`` code-generation variant: float weights, the portable float runtime kernels.

Registers one :class:`~edgernn.codegen.registry.LayerEmitter` per IR layer kind. Numerics are
those of the golden model (:mod:`edgernn.reference`); host outputs agree within 1e-5 absolute.
"""

from __future__ import annotations

from typing import Any

from edgernn.codegen.registry import LayerEmitter, Variant, register_emitter, register_variant
from edgernn.errors import BuildError
from edgernn.ir.graph import Node

# Spec activation name -> value of the C enum edgernn_activation (runtime/edgernn_types.h).
ACTIVATIONS: dict[str, str] = {
    "linear": "EDGERNN_ACT_LINEAR",
    "relu": "EDGERNN_ACT_RELU",
    "sigmoid": "EDGERNN_ACT_SIGMOID",
    "tanh": "EDGERNN_ACT_TANH",
    "softmax": "EDGERNN_ACT_SOFTMAX",
}

FLOAT32 = register_variant(
    Variant(name="float32", description="float32 weights and arithmetic", element_type="float")
)


def _units(node: Node) -> int:
    return int(node.attrs["units"])


def _dense_context(node: Node) -> dict[str, Any]:
    activation = node.attrs.get("activation", "linear")
    if activation not in ACTIVATIONS:
        raise BuildError(
            f"layer {node.name}: activation {activation!r} has no float32 kernel "
            f"(supported: {', '.join(ACTIVATIONS)})"
        )
    return {"activation": ACTIVATIONS[activation]}


def _gru_context(node: Node) -> dict[str, Any]:
    return {"reset_after": bool(node.attrs.get("reset_after", True))}


register_emitter(
    "float32",
    LayerEmitter(
        kind="embedding",
        template="float32/embedding.c.j2",
        functions=("edgernn_embedding_f32",),
    ),
)

register_emitter(
    "float32",
    LayerEmitter(
        kind="dense",
        template="float32/dense.c.j2",
        functions=("edgernn_dense_f32",),
        context=_dense_context,
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
    ),
)

register_emitter(
    "float32",
    LayerEmitter(
        kind="gru",
        template="float32/gru.c.j2",
        functions=("edgernn_gru_step_f32",),
        state=lambda node: {"h": _units(node)},
        scratch=lambda node: 6 * _units(node),
        scratch_macro=lambda node: f"EDGERNN_GRU_STEP_F32_BUFFER_SIZE({_units(node)})",
        context=_gru_context,
    ),
)
