"""Registries of code-generation variants and, per variant, of layer emitters.

A *variant* is one numeric flavour of generated code (``float32``, ``int8``, ``int16x8``,
``int8-weights``). For each
variant, every IR layer kind it supports registers a :class:`LayerEmitter`: the Jinja2 template
with the kind's glue macros, the runtime kernels the glue calls, and the state and scratch the
layer needs. Adding a kind or a variant is registering, never editing a dispatch chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from edgernn.errors import BuildError
from edgernn.ir.graph import Node
from edgernn.ir.kinds import input_projected


@dataclass(frozen=True)
class LayerEmitter:
    """How one layer kind is emitted in one variant.

    Attributes:
        kind: the IR layer kind (``edgernn.ir.kinds``) this emitter handles.
        template: template path (under ``codegen/templates``) defining the macros
            ``declare(L)`` (const params struct and state struct) and ``step(L)`` (one call).
        functions: runtime kernels the emitted glue calls; their sources (and what those call)
            are copied next to the model.
        state: ``node -> {buffer name: elements}`` of the state kept across time steps; the
            step output of a recurrent layer is its ``h`` buffer.
        scratch: ``node -> elements`` of scratch one step needs (shared between layers).
        scratch_macro: ``node -> C expression`` of the runtime's own buffer-size macro for the
            same scratch; the generated code checks ``scratch(node) >= scratch_macro(node)`` at
            compile time so the Python and C figures cannot drift apart.
        context: ``node -> dict`` of extra values the template needs (e.g. an activation enum).
        arrays: ``node -> [CArray]``: the layer's constant arrays when they are not its float
            weights as stored in the IR (integer variants: reordered weights, folded biases,
            multipliers); None for the float default.
        input_projected: True when the emitter handles a recurrent node whose input is already
            ``W_x x + b_in`` (``input_projected: true``, :mod:`edgernn.passes`); generation
            fails with a BuildError for such a node otherwise.
        steps_functions: runtime kernels of the template's ``steps(L)`` macro, which runs the
            layer on ``n`` consecutive time steps (``L.win_input`` / ``L.win_output``,
            step-major) for the whole-sequence call; empty when the emitter has none. The
            whole-sequence call runs window by window, layer by layer, when every layer of the
            model has one (so input projections can be computed several steps at a time).
        steps_scratch / steps_scratch_macro: as scratch / scratch_macro for ``steps(L)``.
        token_arrays: ``(embedding node, node) -> [CArray] | None``: for a recurrent layer right
            after the model's embedding, the layer's constant arrays when it takes the token ids
            itself (its input part looked up per token, the embedding layer dropped), or None
            when it cannot; the template then has ``token_step(L)`` / ``token_steps(L)``.
    """

    kind: str
    template: str
    functions: tuple[str, ...]
    state: Callable[[Node], dict[str, int]] = field(default=lambda node: {})
    scratch: Callable[[Node], int] = field(default=lambda node: 0)
    scratch_macro: Callable[[Node], str] | None = None
    context: Callable[[Node], dict[str, Any]] = field(default=lambda node: {})
    arrays: Callable[[Node], list[CArray]] | None = None
    input_projected: bool = False
    steps_functions: tuple[str, ...] = ()
    steps_scratch: Callable[[Node], int] = field(default=lambda node: 0)
    steps_scratch_macro: Callable[[Node], str] | None = None
    token_arrays: Callable[[Node, Node], list[CArray] | None] | None = None


@dataclass(frozen=True)
class CArray:
    """One constant array an emitter puts in flash (when it does not use the float default).

    Attributes:
        suffix: name after the layer prefix (``NAME_layer_<suffix>``).
        ctype: C element type (``int8_t``, ``int32_t``, ``float``...).
        data: the values, written in C order.
        note: the comment above the array (shape, layout).
        align: byte alignment of the array: 4, or 32 (one STM32L4+ flash cache line) for an
            integer matrix the kernels stream, so each line holds whole weight batches
            (edgernn/codegen/integer.py, MATRIX_ALIGN).
    """

    suffix: str
    ctype: str
    data: Any
    note: str = ""
    align: int = 4


@dataclass
class Variant:
    """One numeric flavour of generated code and its per-kind emitters.

    Attributes:
        name: registry key (``float32``).
        description: one line for provenance headers and docs.
        element_type: C type of the model's activations and outputs.
        emitters: kind name -> emitter, filled by :func:`register_emitter`.
        headers: runtime headers copied next to the model.
        templates: the model's header and source templates.
        quantized: True when the variant needs a graph quantized for it
            (:func:`edgernn.quant.quantize` with the same variant name).
        model_context: ``graph -> dict`` of model-level template values (I/O types,
            quantization macros).
    """

    name: str
    description: str
    element_type: str
    emitters: dict[str, LayerEmitter] = field(default_factory=dict)
    headers: tuple[str, ...] = ("edgernn_functions.h", "edgernn_types.h")
    templates: tuple[str, str] = ("model.h.j2", "model.c.j2")
    quantized: bool = False
    model_context: Callable[[Any], dict[str, Any]] = field(default=lambda graph: {})


VARIANTS: dict[str, Variant] = {}


def register_variant(variant: Variant) -> Variant:
    """Add a code-generation variant (one call per variant, at import)."""
    if variant.name in VARIANTS:
        raise ValueError(f"code generation variant {variant.name!r} registered twice")
    VARIANTS[variant.name] = variant
    return variant


def register_emitter(variant: str, emitter: LayerEmitter) -> LayerEmitter:
    """Add the emitter of one layer kind to a registered variant."""
    target = VARIANTS[variant]
    if emitter.kind in target.emitters:
        raise ValueError(f"{variant} emitter for layer kind {emitter.kind!r} registered twice")
    target.emitters[emitter.kind] = emitter
    return emitter


def get_variant(name: str) -> Variant:
    """The registered variant ``name``; BuildError naming the supported ones otherwise."""
    try:
        return VARIANTS[name]
    except KeyError:
        raise BuildError(
            f"code generation variant {name!r} is not supported "
            f"(supported: {', '.join(sorted(VARIANTS))})"
        ) from None


def get_emitter(variant: Variant, node: Node) -> LayerEmitter:
    """The emitter for ``node`` in ``variant``; BuildError naming the node and kind otherwise."""
    try:
        emitter = variant.emitters[node.kind]
    except KeyError:
        raise BuildError(
            f"layer {node.name}: kind {node.kind!r} has no {variant.name} code generator "
            f"(supported: {', '.join(sorted(variant.emitters))})"
        ) from None
    if input_projected(node.attrs) and not emitter.input_projected:
        raise BuildError(
            f"layer {node.name}: the {variant.name} code generator does not support a "
            f"projected input (input_projected, from fold_embedding_projection); generate "
            f"{variant.name} code from the unfolded graph"
        )
    return emitter
