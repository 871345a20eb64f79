"""Models and calibration data of the quantization tests (a plain module, imported by name)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import numpy as np

from edgernn.ir import Graph
from edgernn.quant import quantize
from edgernn.targets import random_inputs

sys.path.insert(0, str(Path(__file__).parents[1] / "codegen"))
from codegen_cases import VARIANT_SPECS, ZOO, graph_for  # noqa: E402

VARIANTS = ("int8", "int16x8", "int8-weights")
INTEGER_VARIANTS = ("int8", "int16x8")
CHECK_SEQUENCES = 10

__all__ = ["CHECK_SEQUENCES", "INTEGER_VARIANTS", "VARIANTS", "VARIANT_SPECS", "ZOO",
           "calibration", "float_graph", "quantized"]


@cache
def float_graph(name: str) -> Graph:
    """Zoo model or spec variant with random weights and biases (seed 0)."""
    return graph_for(name)


def calibration(graph: Graph) -> np.ndarray:
    """Calibration sequences: 32 random ones (seed 1), disjoint from the check inputs (seed 0)."""
    return random_inputs(graph, 32, seed=1)


@cache
def quantized(name: str, variant: str) -> Graph:
    """``name`` quantized for ``variant`` with :func:`calibration` data."""
    graph = float_graph(name)
    return quantize(graph, variant, calibration(graph))
