"""Feature data sets: shapes, split, next-step convention, determinism and model checks."""

from __future__ import annotations

import numpy as np
import pytest

from edgernn.data import DataError, build_dataset, dataset_names
from edgernn.spec import load_spec, parse_spec


def _spec(features: int = 4, units: int | None = None, dataset: str = "randomset_seq",
          samples: int = 50, steps: int = 6, return_sequences: bool = True,
          test_fraction: float = 0.2, seed: int = 42):
    units = features if units is None else units
    return parse_spec(
        f"""
name: t
input: {{features: {features}}}
sequence_length: {steps}
layers:
  - {{type: rnn, units: 8, return_sequences: {str(return_sequences).lower()}}}
  - {{type: dense, units: {units}}}
training: {{dataset: {dataset}, samples: {samples}, test_fraction: {test_fraction}, seed: {seed}}}
"""
    )


def test_registry_lists_the_builtin_sets():
    assert {"randomset_seq", "sine", "shakespeare"} <= set(dataset_names())


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(DataError, match=r"unknown data set 'nope' \(known: .*randomset_seq"):
        build_dataset(_spec(dataset="nope"))


def test_randomset_is_edgemarks_generator_split_80_20():
    data = build_dataset(load_spec("simple1"))
    # EdgeMark: np.random.seed(42); np.random.rand(1000, 101, 32); x = d[:, :-1], y = d[:, 1:]
    expected = np.random.RandomState(42).rand(1000, 101, 32).astype(np.float32)
    assert data.task == "regression"
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.float32
    np.testing.assert_array_equal(data.x_train, expected[:800, :-1])
    np.testing.assert_array_equal(data.y_train, expected[:800, 1:])
    np.testing.assert_array_equal(data.x_test, expected[800:, :-1])
    np.testing.assert_array_equal(data.y_test, expected[800:, 1:])


@pytest.mark.parametrize("dataset", ["randomset_seq", "sine"])
def test_next_step_targets_and_determinism(dataset):
    spec = _spec(dataset=dataset, samples=40, test_fraction=0.25)
    data = build_dataset(spec)
    assert data.name == dataset and data.description
    assert data.x_train.shape == data.y_train.shape == (30, 6, 4)
    assert data.x_test.shape == data.y_test.shape == (10, 6, 4)
    # y is x one step ahead
    np.testing.assert_array_equal(data.y_train[:, :-1], data.x_train[:, 1:])
    np.testing.assert_array_equal(data.y_test[:, :-1], data.x_test[:, 1:])
    again = build_dataset(spec)
    np.testing.assert_array_equal(again.x_train, data.x_train)
    np.testing.assert_array_equal(again.y_test, data.y_test)
    other = build_dataset(_spec(dataset=dataset, samples=40, test_fraction=0.25, seed=7))
    assert not np.array_equal(other.x_train, data.x_train)


def test_sine_values_are_bounded_and_smooth():
    data = build_dataset(_spec(dataset="sine", samples=100, steps=50))
    assert np.abs(data.x_train).max() < 1.1
    # the next step is close to the current one (periods of at least 8 steps)
    step = np.abs(np.diff(data.x_train, axis=1)).mean()
    assert step < 0.5 * np.abs(data.x_train).mean()


def test_last_step_only_model_gets_last_step_targets():
    data = build_dataset(_spec(return_sequences=False))
    assert data.y_train.shape == (40, 4)
    full = build_dataset(_spec())
    np.testing.assert_array_equal(data.y_train, full.y_train[:, -1])


def test_output_width_must_match_features():
    with pytest.raises(DataError, match=r"as many values as it takes features \(4\).* 3 units"):
        build_dataset(_spec(features=4, units=3))


def test_token_model_cannot_take_a_feature_set():
    spec = parse_spec(
        """
name: t
input: {vocabulary: 10, embedding: 4}
sequence_length: 5
layers: [{type: rnn, units: 4}, {type: dense, units: 10, activation: softmax}]
training: {dataset: sine}
"""
    )
    with pytest.raises(DataError, match="token ids"):
        build_dataset(spec)


def test_split_needs_samples_on_both_sides():
    with pytest.raises(DataError, match="both must be at least 1"):
        build_dataset(_spec(samples=2, test_fraction=0.1))
