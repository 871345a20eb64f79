"""Deep stacks mixing recurrent kinds, end to end in float32, int8 and int16x8.

PyTorch vs the NumPy golden model within 1e-5, the golden model vs host C float32 within 1e-5,
and the integer golden model vs host C bit-exact (whole-sequence run and streaming steps).
"""

from __future__ import annotations

import numpy as np
import pytest

from edgernn.ir import build_graph
from edgernn.nn import TorchModel
from edgernn.quant import quantize
from edgernn.reference import run_reference
from edgernn.spec.schema import ModelSpec
from edgernn.targets import check_on_host, random_inputs

STACKS: dict[str, dict] = {
    "gru_lstm_rnn_dense": {
        "input": {"features": 5},
        "layers": [
            {"type": "gru", "units": 10},
            {"type": "lstm", "units": 8},
            {"type": "rnn", "units": 6},
            {"type": "dense", "units": 3, "activation": "linear"},
        ],
    },
    "lstmp_gru_softmax": {
        "input": {"features": 4},
        "layers": [
            {"type": "lstm", "units": 10, "peephole": "diagonal", "projection": 6},
            {"type": "gru", "units": 7, "reset_after": False, "return_sequences": False},
            {"type": "dense", "units": 3, "activation": "softmax"},
        ],
    },
    "tokens_rnn_gru_lstmp_dense": {
        "input": {"vocabulary": 11, "embedding": 6},
        "layers": [
            {"type": "rnn", "units": 9},
            {"type": "gru", "units": 8},
            {"type": "lstm", "units": 12, "peephole": "full"},
            {"type": "dense", "units": 5, "activation": "relu"},
            {"type": "dense", "units": 2, "activation": "tanh"},
        ],
    },
    "lstm_lstm_gru_last": {
        "input": {"features": 3},
        "layers": [
            {"type": "lstm", "units": 6},
            {"type": "lstm", "units": 13},
            {"type": "gru", "units": 5, "return_sequences": False},
            {"type": "dense", "units": 4, "activation": "sigmoid"},
        ],
    },
}


def stack_graph(name: str):
    """The stack ``name`` with seeded random weights and biases."""
    spec = ModelSpec.model_validate({"name": name, "sequence_length": 8, **STACKS[name]})
    return build_graph(spec, seed=5, random_biases=True)


@pytest.mark.parametrize("name", sorted(STACKS))
def test_torch_matches_golden(name: str) -> None:
    graph = stack_graph(name)
    x = random_inputs(graph, 3, seed=0)
    got, want = TorchModel(graph).predict(x), run_reference(graph, x)
    assert got.shape == want.shape
    assert np.max(np.abs(got - want)) <= 1e-5


@pytest.mark.parametrize("name", sorted(STACKS))
def test_host_float32_matches_golden(name: str, tmp_path) -> None:
    graph = stack_graph(name)
    result = check_on_host(graph, random_inputs(graph, 4, seed=0), build_dir=tmp_path)
    assert result.compiler_output == ""
    assert result.max_abs_error <= 1e-5, result.max_abs_error
    assert result.passed


@pytest.mark.parametrize("variant", ["int8", "int16x8"])
@pytest.mark.parametrize("name", sorted(STACKS))
def test_host_integer_is_bit_exact(name: str, variant: str, tmp_path) -> None:
    graph = stack_graph(name)
    qgraph = quantize(graph, variant, random_inputs(graph, 32, seed=1))
    result = check_on_host(qgraph, sequences=6, build_dir=tmp_path)
    assert result.compiler_output == ""
    assert np.array_equal(result.outputs, result.reference)
    last = result.step_outputs if qgraph.sequential_output else result.step_outputs[:, -1]
    assert np.array_equal(last, result.outputs)
    assert result.passed
