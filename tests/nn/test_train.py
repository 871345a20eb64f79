"""Training: deterministic for a seed, learns, exports a graph the golden model agrees with."""

from __future__ import annotations

import json

import numpy as np
import pytest

from edgernn.data import DataError, Dataset, build_dataset
from edgernn.ir import load_graph, save_graph
from edgernn.nn import TorchModel
from edgernn.nn.train import TrainingError, train_model
from edgernn.reference import run_reference
from edgernn.spec import load_spec, parse_spec

SINE_SPEC = """
name: tiny_sine
input: {features: 2}
sequence_length: 16
layers:
  - {type: gru, units: 8}
  - {type: dense, units: 2}
training: {dataset: sine, samples: 80, batch_size: 16, learning_rate: 0.01, epochs: 3}
"""

TOKEN_SPEC = """
name: tiny_tokens
input: {vocabulary: 5, embedding: 4}
sequence_length: 10
layers:
  - {type: rnn, units: 12}
  - {type: dense, units: 5, activation: ACT}
training: {batch_size: 16, learning_rate: 0.03, epochs: 20}
"""


def _cycle_data(n: int = 64, steps: int = 10, vocabulary: int = 5) -> Dataset:
    """Token sequences 0 1 2 3 4 0 1 ... from random starts: the next token is predictable."""
    starts = np.random.default_rng(0).integers(0, vocabulary, size=(n, 1))
    seq = (starts + np.arange(steps + 1)) % vocabulary
    x, y = seq[:, :-1], seq[:, 1:]
    return Dataset("cycle", "classification", x[:48], y[:48], x[48:], y[48:], "counting mod 5")


def _weights(graph):
    return {f"{n.name}/{w}": t.data for n in graph.nodes for w, t in n.weights.items()}


def test_same_seed_same_weights_other_seed_other_weights():
    spec = parse_spec(SINE_SPEC)
    first = train_model(spec, epochs=2, progress=False)
    second = train_model(spec, epochs=2, progress=False)
    for key, value in _weights(first.graph).items():
        np.testing.assert_array_equal(_weights(second.graph)[key], value, err_msg=key)
    assert first.history == second.history
    third = train_model(spec, epochs=2, seed=5, progress=False)
    assert not np.array_equal(
        _weights(third.graph)["gru_0/w_x"], _weights(first.graph)["gru_0/w_x"]
    )


def test_regression_training_learns_the_sine_set_and_exports_exactly():
    spec = parse_spec(SINE_SPEC)
    result = train_model(spec, epochs=6, progress=False)
    assert result.history[-1] < 0.5 * result.history[0]
    metrics = result.metrics
    assert metrics["test_mse"] < metrics["baseline_test_mse"]
    assert metrics["test_mae"] > 0 and metrics["epochs"] == 6 and metrics["dataset"] == "sine"
    data = build_dataset(spec)
    np.testing.assert_allclose(
        TorchModel(result.graph).predict(data.x_test),
        run_reference(result.graph, data.x_test),
        atol=1e-5,
    )
    golden_mse = float(np.mean((run_reference(result.graph, data.x_test) - data.y_test) ** 2))
    assert golden_mse == pytest.approx(metrics["test_mse"], rel=1e-4)


def test_classification_learns_a_predictable_sequence():
    spec = parse_spec(TOKEN_SPEC.replace("ACT", "softmax"))
    result = train_model(spec, progress=False, data=_cycle_data())
    assert result.metrics["test_accuracy"] > 0.9
    assert result.metrics["test_cross_entropy"] < result.history[0]
    assert result.metrics["baseline_test_accuracy"] < 0.5
    probs = run_reference(result.graph, _cycle_data().x_test)
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0, atol=1e-5)


def test_metadata_records_settings_and_metrics_and_survives_saving(tmp_path):
    result = train_model(load_spec("simple0"), epochs=1, progress=True)
    training = result.graph.metadata["training"]
    assert training["dataset"] == "randomset_seq" and training["epochs"] == 1
    assert training["train_samples"] == 800 and training["test_samples"] == 200
    assert training["optimizer"] == "adam" and training["loss"] == "mse"
    assert result.graph.metadata["metrics"] == result.metrics
    assert set(result.metrics) >= {"test_mse", "test_mae", "training_time_s", "epochs", "dataset"}
    json.dumps(result.graph.metadata)
    loaded = load_graph(save_graph(result.graph, tmp_path / "run"))
    assert loaded.metadata == result.graph.metadata


def test_classification_needs_softmax_or_linear_output():
    spec = parse_spec(TOKEN_SPEC.replace("ACT", "sigmoid"))
    with pytest.raises(TrainingError, match="softmax"):
        train_model(spec, epochs=1, progress=False, data=_cycle_data())


def test_targets_that_do_not_fit_the_model_are_a_data_error():
    spec = parse_spec(SINE_SPEC)
    data = build_dataset(spec)
    data.y_train = data.y_train[..., :1]
    with pytest.raises(DataError, match="targets of shape"):
        train_model(spec, epochs=1, progress=False, data=data)
