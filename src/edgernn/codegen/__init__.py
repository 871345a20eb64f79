"""Code generation: IR graph -> self-contained C library (model glue + runtime kernels).

Quick start::

    from edgernn.codegen import generate_c
    model = generate_c(graph, "out/lstm")   # writes out/lstm/lstm.{h,c} + runtime files

Layer kinds and numeric variants are registries (:mod:`edgernn.codegen.registry`); importing
this package registers the ``float32``, ``int8``, ``int16x8`` and ``int8-weights`` variants
(the last three need a graph from :func:`edgernn.quant.quantize`).
"""

from edgernn.codegen import float32 as _float32  # noqa: F401  (registers the float32 variant)
from edgernn.codegen import integer as _integer  # noqa: F401  (registers int8, int16x8, int8-weights)
from edgernn.codegen import integer_lstmp as _integer_lstmp  # noqa: F401  (lstmp, int8/int16x8)
from edgernn.codegen.generate import (
    GeneratedModel,
    ModelSizes,
    c_float,
    generate_c,
    render_c,
    weights_hash,
)
from edgernn.codegen.registry import (
    VARIANTS,
    CArray,
    LayerEmitter,
    Variant,
    get_emitter,
    get_variant,
    register_emitter,
    register_variant,
)

__all__ = [
    "VARIANTS", "CArray", "GeneratedModel", "LayerEmitter", "ModelSizes", "Variant", "c_float",
    "generate_c", "get_emitter", "get_variant", "register_emitter", "register_variant",
    "render_c", "weights_hash",
]
