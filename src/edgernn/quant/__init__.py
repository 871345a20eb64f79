"""Post-training quantization: the ``int8``, ``int16x8`` and ``int8-weights`` variants.

Quick start::

    from edgernn.quant import quantize, quantize_inputs, dequantize_outputs
    from edgernn.reference.integer import run_integer_reference
    qgraph = quantize(graph, "int8", x_train[:100])
    y = dequantize_outputs(qgraph, run_integer_reference(qgraph, quantize_inputs(qgraph, xs)))

See docs/quantization.md for the exact integer semantics.
"""

from edgernn.quant import bidirectional as _bidirectional  # noqa: F401  (registers quantizers)
from edgernn.quant import lstmp as _lstmp  # noqa: F401  (registers the lstmp quantizers)
from edgernn.quant.calibrate import Calibration, NodeStats, Range, calibrate
from edgernn.quant.fixed_point import quantize_multiplier, requantize, rshift_round
from edgernn.quant.layout import from_dsp_layout, to_dsp_layout
from edgernn.quant.lower import LoweredNode, Projection, lower_node
from edgernn.quant.metrics import edgemark_error
from edgernn.quant.params import (
    ActivationFormat,
    QParams,
    dequantize_outputs,
    graph_variant,
    input_params,
    is_quantized,
    output_params,
    quantize_inputs,
)
from edgernn.quant.quantize import (
    RECIPES,
    Recipe,
    dequantize_graph,
    get_recipe,
    quantize,
    register_node_quantizer,
    register_recipe,
    validate_quantized,
)

__all__ = [
    "RECIPES", "ActivationFormat", "Calibration", "LoweredNode", "NodeStats", "Projection",
    "QParams", "Range", "Recipe", "calibrate", "dequantize_graph", "dequantize_outputs",
    "edgemark_error", "from_dsp_layout", "get_recipe", "graph_variant", "input_params",
    "is_quantized", "lower_node", "output_params", "quantize", "quantize_inputs",
    "quantize_multiplier", "register_node_quantizer", "register_recipe", "requantize",
    "rshift_round", "to_dsp_layout", "validate_quantized",
]
