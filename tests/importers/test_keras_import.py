"""Keras 3 models (torch backend) saved as .keras and .h5, imported without Keras.

Keras is imported once per module (slow); every model is built, saved in both formats,
imported, and the golden model is compared with Keras' own outputs.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

keras = pytest.importorskip("keras", reason="keras (test extra) is not installed")

from edgernn.errors import ModelFileError  # noqa: E402
from edgernn.importers import ModelImportError, load  # noqa: E402
from edgernn.ir import count_model  # noqa: E402
from edgernn.reference import run_reference  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOLERANCE = 1e-5
STEPS = 15
L = keras.layers


def _features(features: int, steps: int | None = STEPS) -> keras.KerasTensor:
    return keras.Input(shape=(steps, features), batch_size=1)


def _tokens(steps: int = STEPS) -> keras.KerasTensor:
    return keras.Input(shape=(steps,), dtype="int32", batch_size=1)


def _random_biases(model: keras.Model, seed: int) -> keras.Model:
    """Uniform [-0.5, 0.5) biases (Keras initialises them to zero) so bias paths are tested."""
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        if variable.path.split("/")[-1].startswith("bias"):
            variable.assign(rng.uniform(-0.5, 0.5, size=variable.shape).astype(np.float32))
    return model


def _functional() -> keras.Model:
    x = _tokens()
    y = L.Embedding(30, 8)(x)
    y = L.SimpleRNN(12, return_sequences=True)(y)
    y = L.LSTM(10)(y)
    y = L.Dense(6, activation="tanh")(y)
    return keras.Model(x, y, name="functional_chain")


# name -> model builder; together they cover every supported layer and option
MODELS = {
    "simple_rnn": lambda: keras.Sequential([_features(5), L.SimpleRNN(16, return_sequences=True),
                                            L.Dense(3)]),
    "lstm_relu": lambda: keras.Sequential([_features(5), L.LSTM(16, return_sequences=True),
                                           L.Dense(8, activation="relu"), L.Dense(4)]),
    "gru_reset_after": lambda: keras.Sequential([_features(5), L.GRU(16, return_sequences=True),
                                                 L.Dense(3, activation="sigmoid")]),
    "gru_reset_before": lambda: keras.Sequential([
        _features(5), L.GRU(16, reset_after=False, return_sequences=True), L.Dense(3)]),
    "stacked_last": lambda: keras.Sequential([
        _features(5), L.LSTM(12, return_sequences=True), L.Dropout(0.3),
        L.GRU(10, return_sequences=False), L.Dense(4), L.Activation("softmax")]),
    "embedding_softmax": lambda: keras.Sequential([
        _tokens(), L.Embedding(30, 8), L.SimpleRNN(16, return_sequences=True),
        L.Dense(30, activation="softmax")]),
    "functional_chain": _functional,
    "bidirectional_lstm_concat": lambda: keras.Sequential([
        _features(5), L.Bidirectional(L.LSTM(6, return_sequences=True)), L.Dense(3)]),
    "bidirectional_gru_sum_then_lstm_last": lambda: keras.Sequential([
        _features(4), L.Bidirectional(L.GRU(5, return_sequences=True), merge_mode="sum"),
        L.LSTM(7, return_sequences=False), L.Dense(2, activation="softmax")]),
    "bidirectional_rnn_last_reset_before": lambda: keras.Sequential([
        _features(4), L.SimpleRNN(6, return_sequences=True),
        L.Bidirectional(L.GRU(5, reset_after=False, return_sequences=False)), L.Dense(3)]),
}

EDGEMARK = {  # name -> (builder, published parameter count)
    "simple0": (lambda: keras.Sequential([_features(1, 2), L.SimpleRNN(1, return_sequences=True),
                                          L.Dense(1)]), 5),
    "simple1": (lambda: keras.Sequential([_features(32, 100), L.SimpleRNN(64, return_sequences=True),
                                          L.Dense(32)]), 8288),
    "simple2": (lambda: keras.Sequential([_features(64, 100), L.SimpleRNN(128, return_sequences=True),
                                          L.Dense(64)]), 32960),
    "shakespeare1": (lambda: keras.Sequential([_tokens(100), L.Embedding(65, 32),
                                               L.SimpleRNN(64, return_sequences=True),
                                               L.Dense(65, activation="softmax")]), 12513),
    "shakespeare2": (lambda: keras.Sequential([_tokens(100), L.Embedding(65, 64),
                                               L.SimpleRNN(128, return_sequences=True),
                                               L.Dense(65, activation="softmax")]), 37249),
    "lstm": (lambda: keras.Sequential([_features(32, 100), L.LSTM(64, return_sequences=True),
                                       L.Dense(32)]), 26912),
    "gru": (lambda: keras.Sequential([_features(32, 100), L.GRU(64, return_sequences=True),
                                      L.Dense(32)]), 20896),
}


def _inputs(model: keras.Model, seed: int, sequences: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = model.inputs[0].shape
    steps = shape[1]
    if len(shape) == 2:
        vocabulary = next(la for la in model.layers if isinstance(la, L.Embedding)).input_dim
        return rng.integers(0, vocabulary, size=(sequences, steps)).astype(np.int32)
    return rng.uniform(-1.0, 1.0, size=(sequences, steps, shape[2])).astype(np.float32)


def _keras_outputs(model: keras.Model, xs: np.ndarray) -> np.ndarray:
    return np.concatenate([keras.ops.convert_to_numpy(model(xs[i : i + 1])) for i in range(len(xs))])


def _save_both(model: keras.Model, directory, name: str):
    paths = directory / f"{name}.keras", directory / f"{name}.h5"
    for path in paths:
        model.save(path)
    return paths


@pytest.mark.parametrize("name", sorted(MODELS))
def test_keras3_model_matches_golden(name: str, tmp_path, record_property) -> None:
    keras.utils.set_random_seed(1)
    model = _random_biases(MODELS[name](), seed=len(name))
    xs = _inputs(model, seed=2)
    expected = _keras_outputs(model, xs)
    for path in _save_both(model, tmp_path, name):
        graph = load(path)
        got = run_reference(graph, xs)
        diff = float(np.max(np.abs(got - expected)))
        record_property(f"max_abs_diff{path.suffix}", diff)
        assert graph.name == name and graph.sequence_length == STEPS
        assert count_model(graph).parameters == model.count_params()
        assert got.shape == expected.shape
        assert diff <= TOLERANCE, (path.suffix, diff)


@pytest.mark.parametrize("name", sorted(EDGEMARK))
def test_keras3_edgemark_models(name: str, tmp_path, record_property) -> None:
    build, parameters = EDGEMARK[name]
    keras.utils.set_random_seed(3)
    model = _random_biases(build(), seed=4)
    xs = _inputs(model, seed=5, sequences=1)
    expected = _keras_outputs(model, xs)
    for path in _save_both(model, tmp_path, name):
        graph = load(path)
        assert count_model(graph).parameters == parameters
        diff = float(np.max(np.abs(run_reference(graph, xs) - expected)))
        record_property(f"max_abs_diff{path.suffix}", diff)
        assert diff <= TOLERANCE, (path.suffix, diff)


def test_open_sequence_length_needs_the_argument(tmp_path) -> None:
    model = keras.Sequential([_features(3, None), L.GRU(4, return_sequences=True), L.Dense(2)])
    path = tmp_path / "open.keras"
    model.save(path)
    with pytest.raises(ModelImportError, match="open.keras: the model does not fix its sequence "
                       "length; pass sequence_length="):
        load(path)
    assert load(path, sequence_length=50).sequence_length == 50
    with pytest.raises(ModelImportError, match="fixes the sequence length to 15"):
        load(_save_both(MODELS["simple_rnn"](), tmp_path, "fixed")[0], sequence_length=50)


def test_unsupported_layers_are_listed_in_one_message(tmp_path) -> None:
    model = keras.Sequential([
        _features(4), L.Conv1D(6, 3, padding="same"), L.LSTM(8, return_sequences=True),
        L.Bidirectional(L.GRU(4, return_sequences=True), merge_mode="mul"),
        L.Dense(2, activation="elu"),
    ])
    for path in _save_both(model, tmp_path, "conv"):
        with pytest.raises(ModelImportError) as info:
            load(path)
        message = str(info.value)
        assert message.startswith(f"{path.name}: cannot import 3 unsupported items: ")
        assert "layer 1 'conv1d' (Conv1D): layer type not supported" in message
        assert "(Bidirectional): merge_mode=mul (only concat or sum)" in message
        assert "(Dense): activation elu" in message
        assert "Supported: InputLayer, Embedding, SimpleRNN (tanh), LSTM" in message


def test_non_chain_functional_model_is_refused(tmp_path) -> None:
    x = _features(4)
    a = L.LSTM(5, return_sequences=True)(x)
    b = L.Dense(5)(x)
    model = keras.Model(x, L.Add()([a, b]))
    path = tmp_path / "branchy.keras"
    model.save(path)
    with pytest.raises(ModelImportError, match="not the previous layer; only Functional models "
                       "whose layers form one chain"):
        load(path)


def test_truncated_keras_archive(tmp_path) -> None:
    path = _save_both(MODELS["simple_rnn"](), tmp_path, "good")[0]
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    with pytest.raises(ModelFileError, match="truncated.keras: corrupt or truncated .keras archive"):
        load(truncated)


def test_h5_without_weights_and_weights_only_h5(tmp_path) -> None:
    model = MODELS["lstm_relu"]()
    path = _save_both(model, tmp_path, "full")[1]
    stripped = tmp_path / "config_only.h5"
    with h5py.File(path, "r") as src, h5py.File(stripped, "w") as dst:
        for key, value in src.attrs.items():
            dst.attrs[key] = value
    with pytest.raises(ModelFileError, match="config_only.h5: the file has no weights"):
        load(stripped)
    weights_only = tmp_path / "only.weights.h5"
    model.save_weights(weights_only)
    with pytest.raises(ModelFileError, match="no model config in this HDF5 file"):
        load(weights_only)
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(ModelFileError, match="truncated.h5: not a readable HDF5 file"):
        load(truncated)
