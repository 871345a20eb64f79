"""Display names and sort orders of models and variants (EdgeMark's naming and order)."""

from __future__ import annotations

# EdgeMark's display names, in the order of its tables.
MODEL_NAMES: dict[str, str] = {
    "simple0": "Simple 0",
    "simple1": "Simple 1",
    "simple2": "Simple 2",
    "shakespeare1": "Shakespeare 1",
    "shakespeare2": "Shakespeare 2",
    "lstm": "LSTM",
    "gru": "GRU",
}

# Display names of the IR layer kinds (edgernn.ir.kinds), for tables and reports.
KIND_NAMES: dict[str, str] = {
    "embedding": "Embedding",
    "dense": "Dense",
    "rnn": "RNN",
    "lstm": "LSTM",
    "lstmp": "LSTMP",  # LSTM with peepholes and/or a projection layer (Sak et al. 2014)
    "gru": "GRU",
    "bidirectional": "Bidirectional",
}

# Numeric variants of generated code, from the reference variant to the most compressed.
VARIANTS: tuple[str, ...] = ("float32", "int8", "int16x8", "int8-weights")


def model_display_name(model: str) -> str:
    """EdgeMark's name of a model key (``simple1`` -> ``Simple 1``); other keys are returned as is.

    Args:
        model: The model key (spec name).

    Returns:
        The display name.
    """
    return MODEL_NAMES.get(model, model)


def kind_display_name(kind: str) -> str:
    """Display name of an IR layer kind (``lstmp`` -> ``LSTMP``); other kinds are returned as is."""
    return KIND_NAMES.get(kind, kind)


def model_sort_key(model: str) -> tuple[int, str]:
    """Sort key putting the EdgeMark models first, in EdgeMark's order, then others by name."""
    order = list(MODEL_NAMES)
    return (order.index(model), "") if model in MODEL_NAMES else (len(order), model)


def variant_sort_key(variant: str) -> tuple[int, str]:
    """Sort key putting the known variants in :data:`VARIANTS` order, then others by name."""
    return (VARIANTS.index(variant), "") if variant in VARIANTS else (len(VARIANTS), variant)
