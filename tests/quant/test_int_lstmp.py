"""int8 and int16x8 LSTM with peepholes and/or projection (kind ``lstmp``).

Host C against the integer golden model bit-exact (whole sequence and streaming steps), the
dequantized integer golden model close to the float golden model, and the quantized constants
where docs/quantization.md puts them.
"""

from __future__ import annotations

import numpy as np
import pytest

from edgernn.ir import build_graph
from edgernn.quant import dequantize_outputs, edgemark_error, lower_node, quantize, quantize_inputs
from edgernn.quant.lstmp import PROJECTION_INPUT
from edgernn.reference import run_reference
from edgernn.reference.integer import run_integer_reference
from edgernn.spec.schema import ModelSpec
from edgernn.targets import check_on_host, random_inputs

FORMS = {
    "peephole_diagonal": {"peephole": "diagonal"},
    "peephole_full": {"peephole": "full"},
    "projection": {"projection": 5},
    "diagonal_projection": {"peephole": "diagonal", "projection": 7},
    "full_projection": {"peephole": "full", "projection": 4},
}


def lstmp_graph(form: dict, units: int = 13, return_sequences: bool = True):
    """An lstmp layer (odd units: every padding path) and a dense head, random biases."""
    spec = ModelSpec.model_validate({
        "name": "lstmp_int",
        "input": {"features": 5},
        "sequence_length": 9,
        "layers": [
            {"type": "lstm", "units": units, "return_sequences": return_sequences, **form},
            {"type": "dense", "units": 3, "activation": "linear"},
        ],
    })
    return build_graph(spec, seed=4, random_biases=True)


def _quantized(form: dict, variant: str, **kw):
    graph = lstmp_graph(form, **kw)
    return graph, quantize(graph, variant, random_inputs(graph, 32, seed=1))


@pytest.mark.parametrize("variant", ["int8", "int16x8"])
@pytest.mark.parametrize("name", sorted(FORMS))
def test_host_is_bit_exact(name: str, variant: str, tmp_path) -> None:
    _, qgraph = _quantized(FORMS[name], variant)
    result = check_on_host(qgraph, sequences=8, build_dir=tmp_path)
    assert result.compiler_output == ""
    assert np.array_equal(result.outputs, result.reference)
    assert np.array_equal(result.step_outputs, result.outputs)
    assert result.passed


@pytest.mark.parametrize("variant", ["int8", "int16x8"])
def test_host_last_step_only(variant: str, tmp_path) -> None:
    _, qgraph = _quantized({"peephole": "full", "projection": 6}, variant, units=8,
                           return_sequences=False)
    result = check_on_host(qgraph, sequences=4, build_dir=tmp_path)
    assert result.compiler_output == "" and np.array_equal(result.outputs, result.reference)


@pytest.mark.parametrize("variant", ["int8", "int16x8"])
@pytest.mark.parametrize("name", sorted(FORMS))
def test_integer_golden_is_close_to_float(name: str, variant: str) -> None:
    graph, qgraph = _quantized(FORMS[name], variant)
    xs = random_inputs(graph, 10, seed=0)
    y_q = dequantize_outputs(qgraph, run_integer_reference(qgraph, quantize_inputs(qgraph, xs)))
    error = edgemark_error(run_reference(graph, xs), y_q)
    assert error < {"int8": 0.01, "int16x8": 0.002}[variant], error


@pytest.mark.parametrize("variant", ["int8", "int16x8"])
def test_quantized_constants(variant: str) -> None:
    _, qgraph = _quantized({"peephole": "diagonal", "projection": 5}, variant)
    node = qgraph.nodes[0]
    low = lower_node(node)
    assert set(low.vectors) == {"p_i", "p_f", "p_o"}
    for name in ("p_i", "p_f", "p_o"):
        assert node.w(name).dtype == np.int32
        assert int(np.abs(node.w(name)).max()) == 32767  # the largest peephole maps to qmax
    assert node.w("w_p").dtype == np.int8 and "w_p" in low.projections
    m = PROJECTION_INPUT["int8" if variant == "int8" else "int16"]
    k = node.attrs["quant"]["cell_frac_bits"]
    # o tanh(c) in Q0.30 -> m: the multiplier stands for 2^-30 / scale_m
    real = low.consts["output_multiplier"] * 2.0 ** -(31 + low.consts["output_shift"])
    assert real == pytest.approx(2.0**-30 / m.scale, rel=1e-9)
    assert 0 <= k <= 15


def test_full_peephole_lowers_to_projections() -> None:
    _, qgraph = _quantized({"peephole": "full"}, "int8")
    low = lower_node(qgraph.nodes[0])
    assert {"p_i", "p_f", "p_o"} <= set(low.projections) and not low.vectors
    assert "w_p" not in low.projections


@pytest.mark.parametrize("variant", ["int8", "int16x8"])
def test_simulated_cortex_m4_is_bit_exact(variant: str, tmp_path) -> None:
    """The DSP paths of the kernels (SMLAD/SMLALD) on the simulated Cortex-M4, full peepholes
    and a projection: every matrix kernel the lstmp step calls."""
    from edgernn.targets import build_host, run_on_device

    _, qgraph = _quantized({"peephole": "full", "projection": 6}, variant, units=11)
    xs = random_inputs(qgraph, 2, seed=2)
    run = run_on_device(qgraph, xs, build_dir=tmp_path / "fw")
    assert "-mcpu=cortex-m4" in run.build.cflags and run.build.compiler_output == ""
    golden = run_integer_reference(qgraph, run.raw_inputs)
    assert np.array_equal(run.raw_outputs, golden)
    host = build_host(qgraph, tmp_path / "host", variant=variant).run(run.raw_inputs)
    assert np.array_equal(run.raw_outputs, host)
    assert sum(run.cycles) > 0


def test_simulated_cortex_m4_diagonal_int8(tmp_path) -> None:
    from edgernn.targets import run_on_device

    _, qgraph = _quantized({"peephole": "diagonal", "projection": 7}, "int8", units=16)
    run = run_on_device(qgraph, random_inputs(qgraph, 1, seed=3), build_dir=tmp_path / "fw")
    assert np.array_equal(run.raw_outputs, run_integer_reference(qgraph, run.raw_inputs))


def test_lstmp_display_name() -> None:
    from edgernn.results.names import kind_display_name

    assert kind_display_name("lstmp") == "LSTMP"
    assert kind_display_name("lstm") == "LSTM" and kind_display_name("other") == "other"
