"""Generated C compiled on the host (-Werror) against the golden model, for every model shape.

The stated tolerance of the float32 variant is 1e-5 absolute (docs/codegen.md); measured errors
are about 1e-7 to 2e-6. Each test builds its model once and checks both APIs on 10 sequences.
"""

from __future__ import annotations

import numpy as np
import pytest
from codegen_cases import VARIANT_SPECS, ZOO, graph_for

from edgernn.errors import BuildError, EdgernnError, VerificationError
from edgernn.targets import (
    FLOAT_TOLERANCE,
    HostCheck,
    HostInputError,
    build_host,
    check_on_host,
    random_inputs,
)

CHECK_SEQUENCES = 10


def _assert_verified(result: HostCheck, sequential: bool) -> None:
    assert FLOAT_TOLERANCE == 1e-5
    assert result.compiler_output == "", "the generated C must compile without any warning"
    assert result.run_max_abs_error <= 1e-5, result.run_max_abs_error
    assert result.step_max_abs_error <= 1e-5, result.step_max_abs_error
    assert result.passed
    assert result.outputs.shape == result.reference.shape
    assert len(result.outputs) == CHECK_SEQUENCES
    # NAME_step and NAME_run share the same kernels: identical numbers, not just close ones.
    if sequential:
        assert np.array_equal(result.step_outputs, result.outputs)
    else:
        assert np.array_equal(result.step_outputs[:, -1], result.outputs)


@pytest.mark.parametrize("name", ZOO)
def test_zoo_model_matches_golden(name: str, tmp_path, record_property) -> None:
    graph = graph_for(name)
    result = check_on_host(graph, sequences=CHECK_SEQUENCES, build_dir=tmp_path)
    record_property("max_abs_error", result.max_abs_error)
    _assert_verified(result, graph.sequential_output)


@pytest.mark.parametrize("name", sorted(VARIANT_SPECS))
def test_spec_variant_matches_golden(name: str, tmp_path, record_property) -> None:
    """Both GRU reset modes, return_sequences false (with/without a head), a deep stack."""
    graph = graph_for(name)
    result = check_on_host(graph, sequences=CHECK_SEQUENCES, build_dir=tmp_path)
    record_property("max_abs_error", result.max_abs_error)
    _assert_verified(result, graph.sequential_output)
    if not graph.sequential_output:
        assert result.outputs.shape == (CHECK_SEQUENCES, graph.output_size)


def test_state_is_kept_between_steps_and_reset_by_run(tmp_path) -> None:
    """Running the same sequence twice gives the same answer (run starts from zero state)."""
    graph = graph_for("gru_reset_before")
    build = build_host(graph, tmp_path)
    xs = random_inputs(graph, 1, seed=3)
    twice = build.run(np.concatenate([xs, xs]))
    assert np.array_equal(twice[0], twice[1])


def test_token_out_of_range_is_an_error(tmp_path) -> None:
    graph = graph_for("tokens_gru_last")
    build = build_host(graph, tmp_path)
    tokens = random_inputs(graph, 2, seed=1)
    tokens[1, 4] = 20  # vocabulary is 20
    expected = r"exit 3\): sequence 1: tokens_gru_last returned status -1"
    with pytest.raises(BuildError, match=expected):
        build.run(tokens)


def test_inputs_of_the_wrong_shape_are_rejected(tmp_path) -> None:
    graph = graph_for("simple0")
    build = build_host(graph, tmp_path)
    with pytest.raises(HostInputError, match=r"shape \(sequences, 2, 1\), got \(3, 5, 1\)"):
        build.run(np.zeros((3, 5, 1), np.float32))


def test_missing_compiler_is_a_build_error(tmp_path) -> None:
    with pytest.raises(BuildError, match="C compiler 'no-such-cc-edgernn' not found on PATH"):
        build_host(graph_for("simple0"), tmp_path, cc="no-such-cc-edgernn")


def test_compile_failure_carries_the_compiler_message(tmp_path) -> None:
    with pytest.raises(BuildError, match="compiling simple0 for the host failed: .*missing_hdr.h"):
        build_host(graph_for("simple0"), tmp_path, extra_cflags=("-include", "missing_hdr.h"))


def test_failed_check_raises_verification_error() -> None:
    zeros = np.zeros((1, 2, 1), np.float32)
    result = HostCheck(
        model="m", variant="float32", inputs=zeros, outputs=zeros, reference=zeros + 1e-3,
        step_outputs=zeros, run_max_abs_error=1e-3, step_max_abs_error=0.0, tolerance=1e-5,
        compiler_output="",
    )
    assert not result.passed
    with pytest.raises(VerificationError, match=r"max \|diff\| 0.001 > tolerance 1e-05"):
        result.raise_if_failed()
    assert issubclass(VerificationError, EdgernnError)
