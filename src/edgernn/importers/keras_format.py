"""Keras models: ``.keras`` archives and legacy HDF5 ``.h5`` files, read without Keras.

Both the files of Keras 3 and those of ``tf.keras`` (TensorFlow 2.12-2.15) are read with
``zipfile``, ``json`` and ``h5py`` only:

* ``.keras``: a zip archive with ``config.json`` (the model's serialized config) and
  ``model.weights.h5``, where the weights of the n-th layer of class ``C`` are under
  ``layers/<c>[_<n>]`` (``c`` the class name in snake case, ``_<n>`` counting repeats of the
  class), as ``vars/0, 1, ...`` of the layer and of its sub-objects (an RNN layer's ``cell``);
* ``.h5``: the model config as JSON in the root attribute ``model_config``, the weights of each
  layer in ``model_weights/<layer name>``, listed in order by its ``weight_names`` attribute.

Layer handlers are registered by Keras class name in :data:`KERAS_LAYERS`. Keras stores
matrices ``(inputs, outputs)``; they are transposed to the canonical ``(outputs, inputs)``. Gate
orders are already canonical (LSTM ``i, f, c, o``; GRU ``z, r, h``). A ``reset_after`` GRU's
bias ``(2, 3u)`` is split into ``b_x`` (row 0) and ``b_h`` (row 1).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from edgernn.errors import ModelFileError
from edgernn.importers.base import (
    F32,
    ChainBuilder,
    Importer,
    ModelImportError,
    register_importer,
    resolve_sequence_length,
    source_name,
)
from edgernn.ir.graph import Graph

SUPPORTED = (
    "InputLayer, Embedding, SimpleRNN (tanh), LSTM (tanh/sigmoid), GRU (tanh/sigmoid, "
    "reset_after true or false), Bidirectional of these (merge_mode concat or sum), Dense "
    "(linear, relu, sigmoid, tanh, softmax), Activation, "
    "Dropout; in a Sequential or linear Functional model"
)
DENSE_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh", "softmax")


@dataclass
class KerasLayer:
    """One layer of the model config.

    Attributes:
        index: position in the model's layer list (0-based, InputLayer included).
        class_name: Keras class name (``LSTM``).
        name: the layer's name in the model.
        config: the layer's config dictionary.
        weights: its weight arrays in Keras order (kernel, recurrent kernel, bias, ...).
    """

    index: int
    class_name: str
    name: str
    config: dict[str, Any]
    weights: list[np.ndarray]

    @property
    def where(self) -> str:
        """Position and identity, for messages."""
        return f"layer {self.index} '{self.name}' ({self.class_name})"


LayerHandler = Callable[[KerasLayer, ChainBuilder], None]
KERAS_LAYERS: dict[str, LayerHandler] = {}


def register_keras_layer(*class_names: str) -> Callable[[LayerHandler], LayerHandler]:
    """Decorator: register the handler of the Keras layer classes ``class_names``."""

    def wrap(fn: LayerHandler) -> LayerHandler:
        for class_name in class_names:
            KERAS_LAYERS[class_name] = fn
        return fn

    return wrap


# -- layer handlers --------------------------------------------------------------------------


def _activation(config: dict[str, Any], key: str, default: str) -> str:
    value = config.get(key, default)
    if isinstance(value, dict):  # a serialized activation object
        value = value.get("config", {}).get("name") or value.get("class_name", "?")
    return str(value)


def _common_recurrent_checks(layer: KerasLayer, builder: ChainBuilder,
                             activations: dict[str, str]) -> bool:
    ok = True
    for key, (expected) in activations.items():
        got = _activation(layer.config, key, expected)
        if got != expected:
            builder.unsupported(layer.where, f"{key}={got} (only {expected})")
            ok = False
    for key, what in (("go_backwards", "go_backwards=True (reversed time)"),
                      ("return_state", "return_state=True"),
                      ("time_major", "time_major=True")):
        if layer.config.get(key):
            builder.unsupported(layer.where, what)
            ok = False
    return ok


def _recurrent_weights(layer: KerasLayer, gates: int) -> tuple[np.ndarray, ...] | None:
    """Kernel (in, g*u) and recurrent kernel (u, g*u) transposed, and the bias (or None)."""
    units = int(layer.config["units"])
    use_bias = layer.config.get("use_bias", True)
    expected = 3 if use_bias else 2
    if len(layer.weights) != expected:
        raise ModelFileError(f"{layer.where}: {len(layer.weights)} weight arrays, "
                             f"expected {expected}")
    kernel, recurrent = layer.weights[0], layer.weights[1]
    if kernel.ndim != 2 or kernel.shape[1] != gates * units or recurrent.shape != (
        units, gates * units
    ):
        raise ModelFileError(f"{layer.where}: weight shapes {kernel.shape}, {recurrent.shape} "
                             f"do not fit {units} units")
    bias = layer.weights[2] if use_bias else None
    return kernel.T.astype(F32), recurrent.T.astype(F32), bias


@register_keras_layer("InputLayer", "Dropout", "SpatialDropout1D", "GaussianNoise",
                      "GaussianDropout", "AlphaDropout")
def _identity(layer: KerasLayer, builder: ChainBuilder) -> None:
    """Layers that do nothing at inference."""


@register_keras_layer("Embedding")
def _embedding(layer: KerasLayer, builder: ChainBuilder) -> None:
    if layer.config.get("mask_zero"):
        builder.unsupported(layer.where, "mask_zero=True (masking)")
        return
    if len(layer.weights) != 1 or layer.weights[0].ndim != 2:
        raise ModelFileError(f"{layer.where}: expected one (vocabulary, dim) table")
    builder.add_embedding(layer.weights[0].astype(F32), layer.where)


Converted = tuple[str, dict[str, np.ndarray], dict[str, Any]]


def _rnn_weights(layer: KerasLayer, builder: ChainBuilder) -> Converted | None:
    if not _common_recurrent_checks(layer, builder, {"activation": "tanh"}):
        return None
    w_x, w_h, b = _recurrent_weights(layer, 1)
    b = np.zeros(w_h.shape[0], F32) if b is None else b.astype(F32)
    return "rnn", {"w_x": w_x, "w_h": w_h, "b": b}, {}


def _lstm_weights(layer: KerasLayer, builder: ChainBuilder) -> Converted | None:
    if not _common_recurrent_checks(
        layer, builder, {"activation": "tanh", "recurrent_activation": "sigmoid"}
    ):
        return None
    w_x, w_h, b = _recurrent_weights(layer, 4)
    b = np.zeros(w_h.shape[0], F32) if b is None else b.astype(F32)
    return "lstm", {"w_x": w_x, "w_h": w_h, "b": b}, {}


def _gru_weights(layer: KerasLayer, builder: ChainBuilder) -> Converted | None:
    if not _common_recurrent_checks(
        layer, builder, {"activation": "tanh", "recurrent_activation": "sigmoid"}
    ):
        return None
    # Keras 3 and tf.keras 2.x both default to reset_after=True
    reset_after = bool(layer.config.get("reset_after", True))
    w_x, w_h, b = _recurrent_weights(layer, 3)
    rows = w_h.shape[0]
    if reset_after:
        b = np.zeros((2, rows), F32) if b is None else b.astype(F32).reshape(2, rows)
        weights = {"w_x": w_x, "w_h": w_h, "b_x": b[0], "b_h": b[1]}
    else:
        b = np.zeros(rows, F32) if b is None else b.astype(F32).reshape(rows)
        weights = {"w_x": w_x, "w_h": w_h, "b": b}
    return "gru", weights, {"reset_after": reset_after}


# Keras recurrent class -> its weight conversion (also used for a Bidirectional's halves)
RECURRENT_CONVERTERS: dict[str, Callable[[KerasLayer, ChainBuilder], Converted | None]] = {
    "SimpleRNN": _rnn_weights,
    "LSTM": _lstm_weights,
    "GRU": _gru_weights,
}


@register_keras_layer(*RECURRENT_CONVERTERS)
def _recurrent(layer: KerasLayer, builder: ChainBuilder) -> None:
    converted = RECURRENT_CONVERTERS[layer.class_name](layer, builder)
    if converted is None:
        return
    kind, weights, attrs = converted
    builder.add_recurrent(kind, weights, layer.where, **attrs)
    _return_sequences(layer, builder)


BIDIRECTIONAL_MERGES = ("concat", "sum")
# settings of a recurrent layer that change what it computes (initializers and names do not)
_COMPUTATION_KEYS = ("units", "activation", "recurrent_activation", "use_bias", "reset_after",
                     "return_sequences", "return_state", "time_major", "unroll")


@register_keras_layer("Bidirectional")
def _bidirectional(layer: KerasLayer, builder: ChainBuilder) -> None:
    """The wrapped layer's config holds both halves' settings; the weights are the forward
    layer's then the backward layer's (:class:`_ArchiveWeights` reads ``forward_layer`` first).
    """
    merge = layer.config.get("merge_mode", "concat")
    inner = layer.config.get("layer") or {}
    class_name = str(inner.get("class_name"))
    inner_config = inner.get("config") or {}
    problems = []
    if merge not in BIDIRECTIONAL_MERGES:
        problems.append(f"merge_mode={merge} (only {' or '.join(BIDIRECTIONAL_MERGES)})")
    if class_name not in RECURRENT_CONVERTERS:
        problems.append(f"wraps {class_name} (only {', '.join(RECURRENT_CONVERTERS)})")
    backward = layer.config.get("backward_layer")
    if isinstance(backward, dict):
        back_config = backward.get("config") or {}
        differs = [k for k in _COMPUTATION_KEYS if back_config.get(k) != inner_config.get(k)]
        if backward.get("class_name") != class_name or differs:
            problems.append("a backward_layer configured unlike the forward layer")
    if layer.config.get("return_state") or inner_config.get("return_state"):
        problems.append("return_state=True")
    for problem in problems:
        builder.unsupported(layer.where, problem)
    if problems:
        return
    half = len(layer.weights) // 2
    halves = []
    for weights in (layer.weights[:half], layer.weights[half:]):
        part = KerasLayer(layer.index, class_name, layer.name, inner_config, list(weights))
        converted = RECURRENT_CONVERTERS[class_name](part, builder)
        if converted is None:
            return
        halves.append(converted)
    (kind, forward_weights, attrs), (_, backward_weights, _) = halves
    builder.add_bidirectional(kind, forward_weights, backward_weights, layer.where,
                              merge=str(merge), **attrs)
    if not inner_config.get("return_sequences", False):
        builder.take_last_step(layer.where)


def _return_sequences(layer: KerasLayer, builder: ChainBuilder) -> None:
    if not layer.config.get("return_sequences", False):
        builder.take_last_step(layer.where)


@register_keras_layer("Dense")
def _dense(layer: KerasLayer, builder: ChainBuilder) -> None:
    activation = _activation(layer.config, "activation", "linear")
    if activation not in DENSE_ACTIVATIONS:
        builder.unsupported(layer.where, f"activation {activation}")
        return
    use_bias = layer.config.get("use_bias", True)
    if len(layer.weights) != (2 if use_bias else 1) or layer.weights[0].ndim != 2:
        raise ModelFileError(f"{layer.where}: unexpected weights "
                             f"{[w.shape for w in layer.weights]}")
    bias = layer.weights[1].astype(F32) if use_bias else None
    builder.add_dense(layer.weights[0].T.astype(F32), bias, layer.where)
    builder.set_activation(activation, layer.where)


@register_keras_layer("Activation")
def _activation_layer(layer: KerasLayer, builder: ChainBuilder) -> None:
    activation = _activation(layer.config, "activation", "linear")
    if activation not in DENSE_ACTIVATIONS:
        builder.unsupported(layer.where, f"activation {activation}")
        return
    builder.set_activation(activation, layer.where)


# -- reading the files -----------------------------------------------------------------------


def _snake_case(name: str) -> str:
    """Keras' snake case of a class name (``SimpleRNN`` -> ``simple_rnn``)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _layer_entries(model_config: dict[str, Any], source: str) -> tuple[list[dict], str]:
    """The layer configs of a Sequential or linear Functional model, in order, and its name."""
    class_name = model_config.get("class_name")
    config = model_config.get("config")
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ModelFileError(f"{source}: model config has no layer list")
    layers = config["layers"]
    name = str(config.get("name") or "")
    if class_name == "Sequential":
        return layers, name
    if class_name not in ("Functional", "Model"):
        raise ModelImportError(
            f"{source}: model class {class_name!r} is not supported (only Sequential and "
            "Functional models whose layers form one chain; subclassed models have no config)"
        )
    # A linear Functional model: each layer's single input is the previous layer.
    previous = None
    for index, entry in enumerate(layers):
        inbound = sorted(set(_inbound_names(entry.get("inbound_nodes", []))))
        expected = [] if previous is None else [previous]
        if inbound != expected:
            raise ModelImportError(
                f"{source}: layer {index} '{entry.get('name')}' takes inputs {inbound or 'none'}, "
                f"not the previous layer; only Functional models whose layers form one chain "
                "are supported"
            )
        previous = entry.get("name") or entry.get("config", {}).get("name")
    return layers, name


def _inbound_names(inbound: Any) -> list[str]:
    """Names of the layers feeding a Functional layer (Keras 2 lists or Keras 3 dicts)."""
    names: list[str] = []
    if isinstance(inbound, dict):
        history = inbound.get("keras_history")
        if isinstance(history, list) and history:
            names.append(str(history[0]))
        for value in inbound.values():
            if isinstance(value, dict | list):
                names.extend(_inbound_names(value))
    elif isinstance(inbound, list):
        # Keras 2: [[name, node_index, tensor_index, kwargs], ...]
        if len(inbound) >= 3 and isinstance(inbound[0], str) and isinstance(inbound[1], int):
            names.append(inbound[0])
        else:
            for value in inbound:
                names.extend(_inbound_names(value))
    return names


def _input_shape(layers: list[dict], model_config: dict[str, Any]) -> list | None:
    """The batch input shape ``[batch, steps, ...]`` declared by the model, if any."""
    for entry in layers[:1]:
        cfg = entry.get("config", {})
        for key in ("batch_shape", "batch_input_shape"):
            if cfg.get(key) is not None:
                return list(cfg[key])
    build = model_config.get("build_config") or model_config.get("config", {}).get(
        "build_input_shape"
    )
    if isinstance(build, dict):
        build = build.get("input_shape")
    return list(build) if isinstance(build, list) else None


def _dataset_list(group: Any) -> list[np.ndarray]:
    """Arrays ``vars/0, vars/1, ...`` of an h5 group, then of its sub-groups (sorted)."""
    arrays: list[np.ndarray] = []
    vars_group = group.get("vars")
    if vars_group is not None:
        for key in sorted(vars_group.keys(), key=lambda k: int(k) if k.isdigit() else -1):
            arrays.append(np.asarray(vars_group[key]))
    # a Bidirectional's forward_layer before its backward_layer (the order of its weights)
    for key in sorted(group.keys(), key=lambda k: (k == "backward_layer", k)):
        if key != "vars" and hasattr(group[key], "keys"):
            arrays.extend(_dataset_list(group[key]))
    return arrays


class _ArchiveWeights:
    """Weights of a ``.keras`` archive, looked up by class-name path (``layers/lstm_1``)."""

    def __init__(self, h5: Any, layers: list[dict]) -> None:
        container = None
        for key in ("layers", "_layer_checkpoint_dependencies"):
            if key in h5:
                container = h5[key]
                break
        self.container = container
        self.paths: list[str] = []
        counts: dict[str, int] = {}
        for entry in layers:
            base = _snake_case(str(entry.get("class_name", "")))
            if base in counts:
                counts[base] += 1
                self.paths.append(f"{base}_{counts[base]}")
            else:
                counts[base] = 0
                self.paths.append(base)

    def get(self, index: int, name: str) -> list[np.ndarray]:
        if self.container is None:
            return []
        for key in (self.paths[index], name):
            if key in self.container:
                return _dataset_list(self.container[key])
        return []


class _LegacyWeights:
    """Weights of a legacy ``.h5`` file, looked up by layer name in ``model_weights``."""

    def __init__(self, group: Any) -> None:
        self.group = group

    def get(self, index: int, name: str) -> list[np.ndarray]:
        if name not in self.group:
            return []
        layer_group = self.group[name]
        names = [n.decode() if isinstance(n, bytes) else str(n)
                 for n in layer_group.attrs.get("weight_names", [])]
        return [np.asarray(layer_group[n]) for n in names]


def _import(model_config: dict[str, Any], weights_for: Callable[[list[dict]], Any],
            source: str, file_kind: str, name: str | None, sequence_length: int | None,
            metadata: dict[str, Any]) -> Graph:
    layers, model_name = _layer_entries(model_config, source)
    weights = weights_for(layers)
    builder = ChainBuilder(source=source, supported=SUPPORTED)
    shape = _input_shape(layers, model_config)
    if shape is not None and len(shape) == 3 and shape[2] is not None:
        builder.features = int(shape[2])
    for index, entry in enumerate(layers):
        class_name = str(entry.get("class_name"))
        cfg = entry.get("config") or {}
        layer_name = str(entry.get("name") or cfg.get("name") or f"layer_{index}")
        layer = KerasLayer(index, class_name, layer_name, cfg, [])
        handler = KERAS_LAYERS.get(class_name)
        if handler is None:
            builder.unsupported(layer.where, "layer type not supported")
            continue
        layer.weights = weights.get(index, layer_name)
        if not layer.weights and class_name in ("Embedding", "SimpleRNN", "LSTM", "GRU", "Dense",
                                                "Bidirectional"):
            raise ModelFileError(f"{source}: no weights stored for {layer.where} ({file_kind})")
        handler(layer, builder)
    steps = shape[1] if shape is not None and len(shape) >= 2 else None
    seq = resolve_sequence_length(source, steps, sequence_length)
    metadata = {"imported_from": {"format": file_kind, "file": source,
                                  "model_name": model_name, **metadata}}
    return builder.build(name or Path(source).stem, seq, metadata)


def _h5py() -> Any:
    import h5py

    return h5py


def load_keras_archive(path: str | Path, *, name: str | None = None,
                       sequence_length: int | None = None, **_: Any) -> Graph:
    """Import a ``.keras`` archive (Keras 3, or tf.keras 2.12-2.15).

    Raises:
        ModelFileError: the archive is truncated, corrupt or lacks a member.
        ModelImportError: the model holds layers edgernn cannot express.
    """
    source = source_name(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            for member in ("config.json", "model.weights.h5"):
                if member not in members:
                    raise ModelFileError(f"{source}: not a Keras archive (no {member} inside)")
            config = json.loads(archive.read("config.json"))
            meta = json.loads(archive.read("metadata.json")) if "metadata.json" in members else {}
            weights_bytes = archive.read("model.weights.h5")
    except zipfile.BadZipFile as exc:
        raise ModelFileError(f"{source}: corrupt or truncated .keras archive ({exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{source}: corrupt config.json ({exc})") from None
    except (OSError, EOFError) as exc:
        raise ModelFileError(f"{source}: cannot read ({exc})") from None
    h5py = _h5py()
    try:
        h5 = h5py.File(io.BytesIO(weights_bytes), "r")
    except OSError as exc:
        raise ModelFileError(f"{source}: corrupt model.weights.h5 ({exc})") from None
    with h5:
        try:
            return _import(config, lambda layers: _ArchiveWeights(h5, layers), source, "keras",
                           name, sequence_length,
                           {"keras_version": str(meta.get("keras_version", "unknown"))})
        except (KeyError, OSError) as exc:
            raise ModelFileError(f"{source}: corrupt weights ({exc})") from None


def load_keras_h5(path: str | Path, *, name: str | None = None,
                  sequence_length: int | None = None, **_: Any) -> Graph:
    """Import a legacy HDF5 ``.h5`` model file (Keras 3 or tf.keras ``model.save``).

    Raises:
        ModelFileError: the file is truncated or corrupt, has no model config (weights only)
            or no weights (config only).
        ModelImportError: the model holds layers edgernn cannot express.
    """
    source = source_name(path)
    h5py = _h5py()
    try:
        h5 = h5py.File(path, "r")
    except OSError as exc:
        raise ModelFileError(f"{source}: not a readable HDF5 file, corrupt or truncated "
                             f"({exc})") from None
    with h5:
        raw = h5.attrs.get("model_config")
        if raw is None:
            hint = (" (it holds weights only, as written by save_weights)"
                    if "layer_names" in h5.attrs else "")
            raise ModelFileError(f"{source}: no model config in this HDF5 file{hint}; save the "
                                 "whole model with model.save('model.h5')")
        try:
            config = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ModelFileError(f"{source}: corrupt model_config ({exc})") from None
        group = h5.get("model_weights")
        if group is None:
            raise ModelFileError(f"{source}: the file has no weights (no 'model_weights' "
                                 "group); save the model with its weights, model.save(...)")
        version = group.attrs.get("keras_version", h5.attrs.get("keras_version", b"unknown"))
        version = version.decode() if isinstance(version, bytes) else str(version)
        try:
            return _import(config, lambda layers: _LegacyWeights(group), source, "keras-h5", name,
                           sequence_length, {"keras_version": version})
        except (KeyError, OSError) as exc:
            raise ModelFileError(f"{source}: corrupt weights ({exc})") from None


register_importer(Importer(
    name="keras",
    description="Keras .keras archive (Keras 3, tf.keras 2.12-2.15)",
    suffixes=(".keras",),
    load=load_keras_archive,
    magic=b"PK\x03\x04",
))
register_importer(Importer(
    name="keras-h5",
    description="Keras legacy HDF5 model file (model.save('x.h5'))",
    suffixes=(".h5", ".hdf5"),
    load=load_keras_h5,
    magic=b"\x89HDF\r\n\x1a\n",
))
