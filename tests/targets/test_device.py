"""The firmware in the simulator agrees with the golden model; cycles and stack are measured.

Simulation costs a few seconds per 100-step sequence of a 64-unit model, so the larger models
run one sequence each.
"""

from __future__ import annotations

import numpy as np
import pytest

from edgernn.ir import build_graph
from edgernn.reference import run_reference
from edgernn.spec import load_spec, parse_spec
from edgernn.targets import FLOAT_TOLERANCE, HostInputError, run_on_device

TOKENS_SPEC = """
name: tiny_tokens
input: {vocabulary: 11, embedding: 4}
sequence_length: 6
layers:
  - {type: gru, units: 8}
  - {type: dense, units: 11, activation: softmax}
"""


@pytest.mark.parametrize(("name", "sequences"), [("simple0", 4), ("simple1", 1), ("gru", 1)])
def test_float32_matches_golden_model(name: str, sequences: int) -> None:
    graph = build_graph(load_spec(name), seed=0, random_biases=True)
    run = run_on_device(graph, sequences=sequences, seed=1)
    reference = run_reference(graph, run.inputs)
    assert run.outputs.shape == reference.shape
    assert float(np.max(np.abs(run.outputs - reference))) <= FLOAT_TOLERANCE
    assert len(run.cycles) == len(run.instructions) == sequences
    assert all(c >= i > 0 for c, i in zip(run.cycles, run.instructions, strict=True))
    # Per-function cycles cover the region; the matrix-vector kernel dominates real models.
    assert sum(run.function_cycles.values()) == sum(run.cycles)
    if name != "simple0":
        assert next(iter(run.function_cycles)).startswith("edgernn_matvec")
    assert 0 < run.peak_stack_bytes < run.build.stack_bytes
    assert run.sizes.peak_stack_bytes == run.peak_stack_bytes
    assert run.sizes.ram_with_stack_bytes == run.sizes.ram_bytes + run.peak_stack_bytes
    assert run.latency_s == pytest.approx(run.mean_cycles / 120e6)


def test_token_model_and_weights_in_sram() -> None:
    graph = build_graph(parse_spec(TOKENS_SPEC, "tiny_tokens"), seed=0, random_biases=True)
    flash = run_on_device(graph, sequences=3)
    sram = run_on_device(graph, sequences=3, weights="sram")
    reference = run_reference(graph, flash.inputs)
    assert float(np.max(np.abs(flash.outputs - reference))) <= FLOAT_TOLERANCE
    np.testing.assert_array_equal(sram.outputs, flash.outputs)
    assert sram.build.sizes.ram_weight_bytes == sram.build.sizes.weight_bytes > 0
    # SRAM is zero wait state: the same work costs fewer cycles than from 5-wait-state flash.
    assert sum(sram.cycles) < sum(flash.cycles)


def test_bad_token_is_reported() -> None:
    graph = build_graph(parse_spec(TOKENS_SPEC, "tiny_tokens"), seed=0)
    tokens = np.zeros((1, 6), dtype=np.int32)
    tokens[0, 3] = 11
    with pytest.raises(HostInputError, match="tiny_tokens_run returned status -1"):
        run_on_device(graph, tokens)
