"""Quantized models on the simulated Cortex-M4 equal the integer golden model bit for bit.

The firmware is built with ``-mcpu=cortex-m4``, so ``__ARM_FEATURE_DSP`` selects the kernels'
Arm DSP path (SXTB16/SMLAD inline assembly); the host build compiles the portable C. Both must
give exactly the integer golden model's outputs (``np.array_equal`` on the raw int8/int16
values) on the same quantized check inputs; ``int8-weights`` computes in float32 and is held to
the float tolerance of its golden model, and host and device agree bit for bit there too.

Simulation is the cost: the 100-step models run one check sequence each, in one parametrized
test so pytest-xdist spreads them over the workers.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from edgernn.ir import Graph, build_graph
from edgernn.quant import dequantize_outputs, quantize
from edgernn.reference.integer import run_integer_reference
from edgernn.runs import random_check_inputs
from edgernn.spec import load_spec, zoo_names
from edgernn.targets import FLOAT_TOLERANCE, build_host, run_on_device

VARIANTS = ("int8", "int16x8", "int8-weights")
SEQUENCES = {"simple0": 4, "simple1": 2}  # the others: one 100-step sequence


@cache
def _quantized(name: str, variant: str) -> Graph:
    graph = build_graph(load_spec(name), seed=0, random_biases=True)
    return quantize(graph, variant, random_check_inputs(graph, 50, seed=1))


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", zoo_names())
def test_device_equals_integer_golden_and_host(name: str, variant: str, tmp_path) -> None:
    qgraph = _quantized(name, variant)
    xs = random_check_inputs(qgraph, SEQUENCES.get(name, 1), seed=2)
    run = run_on_device(qgraph, xs, build_dir=tmp_path / "fw")
    assert run.build.variant == variant
    assert "-mcpu=cortex-m4" in run.build.cflags and run.build.compiler_output == ""
    golden = run_integer_reference(qgraph, run.raw_inputs)
    assert run.raw_outputs.dtype == golden.dtype
    if variant == "int8-weights":
        assert float(np.max(np.abs(run.raw_outputs - golden))) <= FLOAT_TOLERANCE
    else:
        raw_dtype = np.dtype("int8" if variant == "int8" else "int16")
        assert run.raw_outputs.dtype == raw_dtype
        assert run.raw_inputs.dtype == (np.int32 if qgraph.tokens_input else raw_dtype)
        assert np.array_equal(run.raw_outputs, golden)
    host = build_host(qgraph, tmp_path / "host", variant=variant).run(run.raw_inputs)
    assert np.array_equal(run.raw_outputs, host)
    # The float outputs are the dequantized raw ones, shaped like the float golden model's.
    np.testing.assert_array_equal(
        run.outputs, dequantize_outputs(qgraph, run.raw_outputs).astype(np.float32))
    assert run.outputs.dtype == np.float32 and run.outputs.shape == golden.shape


def test_int8_weights_in_sram_and_flash_agree(tmp_path) -> None:
    qgraph = _quantized("simple1", "int8")
    xs = random_check_inputs(qgraph, 1, seed=3)
    flash = run_on_device(qgraph, xs, weights="flash", build_dir=tmp_path / "flash")
    sram = run_on_device(qgraph, xs, weights="sram", build_dir=tmp_path / "sram")
    np.testing.assert_array_equal(sram.raw_outputs, flash.raw_outputs)
    assert sram.sizes.ram_weight_bytes == sram.build.sizes.weight_bytes > 0
    assert sum(sram.cycles) < sum(flash.cycles)


RNN_128 = """
name: rnn128
input: {features: 64}
sequence_length: 10
layers:
  - {type: rnn, units: 128}
  - {type: dense, units: 64, activation: linear}
"""


@pytest.mark.parametrize(("weights", "limit"), [("sram", 1.5), ("flash", 2.0)])
def test_int8_matvec_cycles_per_mac(weights: str, limit: float, tmp_path) -> None:
    """The DSP int8 matrix-vector kernel on Simple 2's shapes (issue targets: <= 1.5 cycles/MAC
    from SRAM, <= 2.0 from the STM32L4+ flash); measured 1.41 and 1.60 (cm4-trm-2)."""
    from edgernn.ir.counting import count_model
    from edgernn.spec import parse_spec

    graph = build_graph(parse_spec(RNN_128, "rnn128"), seed=0, random_biases=True)
    qgraph = quantize(graph, "int8", random_check_inputs(graph, 8, seed=1))
    run = run_on_device(qgraph, random_check_inputs(graph, 1, seed=2), weights=weights,
                        build_dir=tmp_path)
    assert np.array_equal(run.raw_outputs, run_integer_reference(qgraph, run.raw_inputs))
    matvec = sum(c for f, c in run.function_cycles.items() if f.startswith("edgernn_matvec"))
    assert matvec / count_model(graph).macs <= limit
