"""Generated integer C on the host against the integer golden model: bit-exact, every model.

For int8 and int16x8 the host outputs (both NAME_run and NAME_step) must equal the NumPy
integer golden model exactly (np.array_equal on the raw integers); int8-weights computes in
float32 and is held to the float tolerance (1e-5) against the float golden model of its
dequantized weights.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from quant_cases import (
    CHECK_SEQUENCES,
    INTEGER_VARIANTS,
    VARIANT_SPECS,
    VARIANTS,
    ZOO,
    float_graph,
    quantized,
)

from edgernn.codegen import generate_c, render_c
from edgernn.errors import BuildError
from edgernn.quant import dequantize_outputs, edgemark_error, quantize_inputs
from edgernn.reference import run_reference
from edgernn.reference.integer import run_integer_reference
from edgernn.targets import (
    FLOAT_TOLERANCE,
    HostInputError,
    build_host,
    check_on_host,
    random_inputs,
)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", [*ZOO, *sorted(VARIANT_SPECS)])
def test_host_matches_integer_golden(name: str, variant: str, tmp_path, record_property) -> None:
    qgraph = quantized(name, variant)
    result = check_on_host(qgraph, sequences=CHECK_SEQUENCES, build_dir=tmp_path)
    assert result.compiler_output == "", "the generated C must compile without any warning"
    assert result.variant == variant and len(result.outputs) == CHECK_SEQUENCES
    if variant in INTEGER_VARIANTS:
        assert result.tolerance == 0.0
        assert result.outputs.dtype == np.dtype("int8" if variant == "int8" else "int16")
        assert np.array_equal(result.outputs, result.reference)
        last = result.step_outputs if qgraph.sequential_output else result.step_outputs[:, -1]
        assert np.array_equal(last, result.outputs)
    else:
        assert result.tolerance == FLOAT_TOLERANCE
        record_property("max_abs_error", result.max_abs_error)
    assert result.passed


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", ZOO)
def test_integer_golden_is_close_to_float_golden(name: str, variant: str,
                                                 record_property) -> None:
    """EdgeMark's error of the dequantized integer model, random weights (TFLM int8: 0.004-0.045)."""
    graph, qgraph = float_graph(name), quantized(name, variant)
    xs = random_inputs(graph, CHECK_SEQUENCES, seed=0)
    y_float = run_reference(graph, xs)
    y_q = dequantize_outputs(qgraph, run_integer_reference(qgraph, quantize_inputs(qgraph, xs)))
    error = edgemark_error(y_float, y_q)
    record_property("edgemark_error", error)
    limit = {"int8": 0.01, "int16x8": 0.002, "int8-weights": 0.002}[variant]
    assert error < limit, f"{name} {variant}: EdgeMark error {error:.4f}"


def test_quantized_variant_needs_a_quantized_graph(tmp_path) -> None:
    with pytest.raises(BuildError, match=r"variant int8 needs a quantized graph"):
        generate_c(float_graph("simple1"), tmp_path / "a", variant="int8")
    with pytest.raises(BuildError, match=r"quantized for int16x8, cannot generate int8 code"):
        generate_c(quantized("simple1", "int16x8"), tmp_path / "b", variant="int8")
    with pytest.raises(BuildError, match=r"quantized for int8, cannot generate float32 code"):
        generate_c(quantized("simple1", "int8"), tmp_path / "c")
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("variant", VARIANTS)
def test_generated_files_are_deterministic_and_smaller_than_float(variant: str) -> None:
    qgraph = quantized("lstm", variant)
    first, context = render_c(qgraph, variant)
    assert render_c(quantized("lstm", variant), variant)[0] == first
    float_files, float_context = render_c(float_graph("lstm"))
    assert context["sizes"].flash_bytes < float_context["sizes"].flash_bytes / 3
    header = first["lstm.h"]
    assert f"#define LSTM_WEIGHT_BYTES {context['sizes'].flash_bytes}" in header
    source = first["lstm.c"]
    assert not re.search(r"\b(malloc|calloc|realloc|free)\s*\(", source)
    if variant in INTEGER_VARIANTS:
        ctype = "int8_t" if variant == "int8" else "int16_t"
        assert f"edgernn_status lstm_run(const {ctype} *input, {ctype} *output);" in header
        for macro in ("INPUT_SCALE", "INPUT_ZERO_POINT", "OUTPUT_SCALE", "OUTPUT_ZERO_POINT"):
            assert f"#define LSTM_{macro} " in header
        assert "edgernn_fixed_point.h" in first and "edgernn_matvec_f32.c" not in first
    else:
        assert "edgernn_status lstm_run(const float *input, float *output);" in header


def test_harness_rejects_unquantized_inputs(tmp_path) -> None:
    qgraph = quantized("simple0", "int8")
    build = build_host(qgraph, tmp_path, variant="int8")
    with pytest.raises(HostInputError, match="quantize_inputs"):
        build.run(np.full((1, 2, 1), 0.5))
