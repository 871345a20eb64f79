"""Optimisation passes over the IR: each takes a graph and returns a new one (docs/passes.md).

Quick start::

    from edgernn.passes import FLOAT32_PASSES, run_passes
    deployed = run_passes(graph, FLOAT32_PASSES)   # validated after every pass

Passes register by name (:func:`register_pass`); importing this package registers the built-in
ones. Quantization (:func:`edgernn.quant.quantize`) is a pass of its own with calibration data
and lives in :mod:`edgernn.quant`.
"""

from edgernn.passes.fold import fold_embedding_projection, fold_pair
from edgernn.passes.registry import (
    PASSES,
    PASSES_METADATA,
    Pass,
    get_pass,
    register_pass,
    run_passes,
)

#: The passes the float32 deployment runs by default (edgernn.bench.variants).
FLOAT32_PASSES: tuple[str, ...] = ("fold_embedding_projection",)

__all__ = [
    "FLOAT32_PASSES", "PASSES", "PASSES_METADATA", "Pass", "fold_embedding_projection",
    "fold_pair", "get_pass", "register_pass", "run_passes",
]
