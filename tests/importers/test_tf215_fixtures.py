"""The seven EdgeMark models as tf.keras 2.15 saved them (.h5 and .keras), imported without TF.

The fixtures and their TensorFlow outputs come from fixtures/make_tf215_fixtures.py, run once in
a throwaway TensorFlow 2.15 environment (see its docstring).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edgernn.importers import load
from edgernn.ir import count_model
from edgernn.reference import run_reference

FIXTURES = Path(__file__).parent / "fixtures" / "tf215"
TOLERANCE = 1e-5
# EdgeMark's published parameter counts
PARAMETERS = {
    "simple0": 5, "simple1": 8288, "simple2": 32960, "shakespeare1": 12513,
    "shakespeare2": 37249, "lstm": 26912, "gru": 20896,
}
LAYERS = {
    "simple0": ["rnn", "dense"], "simple1": ["rnn", "dense"], "simple2": ["rnn", "dense"],
    "shakespeare1": ["embedding", "rnn", "dense"], "shakespeare2": ["embedding", "rnn", "dense"],
    "lstm": ["lstm", "dense"], "gru": ["gru", "dense"],
}


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_tf215_model_imports_exactly(name: str, suffix: str, record_property) -> None:
    stored = np.load(FIXTURES / f"{name}.npz")
    assert str(stored["tensorflow_version"]).startswith("2.15")
    graph = load(FIXTURES / f"{name}{suffix}")
    assert count_model(graph).parameters == PARAMETERS[name] == int(stored["parameters"])
    assert [n.kind for n in graph.nodes] == LAYERS[name]
    assert graph.sequence_length == (2 if name == "simple0" else 100)
    assert graph.sequential_output
    assert graph.metadata["imported_from"]["keras_version"] == "2.15.0"
    got = run_reference(graph, stored["inputs"])
    diff = float(np.max(np.abs(got - stored["outputs"])))
    record_property("max_abs_diff", diff)
    assert diff <= TOLERANCE, diff
    if name.startswith("shakespeare"):
        assert graph.nodes[-1].attrs["activation"] == "softmax"
    if name == "gru":
        assert graph.nodes[0].attrs["reset_after"] is True
