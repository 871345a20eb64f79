"""The dataset registry: a name in ``spec.training.dataset`` -> a builder of a :class:`Dataset`.

Every builder takes the validated spec and returns train and test arrays shaped for that model:

* regression (feature input): ``x`` float32 ``(n, steps, features)``, ``y`` float32
  ``(n, steps, outputs)``, or ``(n, outputs)`` when the last recurrent layer sets
  ``return_sequences: false`` (then ``y`` is the target of the last step only);
* classification (token input): ``x`` int64 token ids ``(n, steps)``, ``y`` int64 class ids
  ``(n, steps)`` (or ``(n,)`` for a last-step-only model).

The split is deterministic: the first ``n - n_test`` samples train, the last ``n_test`` test,
with ``n_test = round(n * test_fraction)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from edgernn.errors import DataError
from edgernn.spec.schema import RECURRENT_TYPES, ModelSpec

Task = Literal["regression", "classification"]
DatasetBuilder = Callable[[ModelSpec], "Dataset"]

DATA_ENV = "EDGERNN_DATA"
DEFAULT_DATA_DIR = Path("~/.cache/edgernn/data")


@dataclass
class Dataset:
    """Train and test arrays of one data set, shaped for one model (see the module docstring)."""

    name: str
    task: Task
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    description: str = ""

    @property
    def n_train(self) -> int:
        """Number of training sequences."""
        return int(self.x_train.shape[0])

    @property
    def n_test(self) -> int:
        """Number of test sequences."""
        return int(self.x_test.shape[0])


DATASETS: dict[str, DatasetBuilder] = {}


def register_dataset(name: str) -> Callable[[DatasetBuilder], DatasetBuilder]:
    """Decorator: register the builder of data set ``name`` (one per name, at import)."""

    def wrap(fn: DatasetBuilder) -> DatasetBuilder:
        if name in DATASETS:
            raise ValueError(f"data set {name!r} registered twice")
        DATASETS[name] = fn
        return fn

    return wrap


def dataset_names() -> list[str]:
    """Names of the registered data sets, sorted."""
    return sorted(DATASETS)


def build_dataset(spec: ModelSpec) -> Dataset:
    """Build the data set named in ``spec.training.dataset``, shaped for ``spec``.

    Raises:
        DataError: the data set is unknown, not installed, or does not fit the model.
    """
    name = spec.training.dataset
    try:
        builder = DATASETS[name]
    except KeyError:
        raise DataError(
            f"{spec.name}: unknown data set {name!r} (known: {', '.join(dataset_names())})"
        ) from None
    return builder(spec)


def data_dir() -> Path:
    """Root of the local data cache: ``$EDGERNN_DATA`` or ``~/.cache/edgernn/data``."""
    env = os.environ.get(DATA_ENV)
    return Path(env).expanduser() if env else DEFAULT_DATA_DIR.expanduser()


def output_units(spec: ModelSpec) -> int:
    """Values per step the model outputs (units of its last layer)."""
    return int(spec.layers[-1].units)


def sequential_output(spec: ModelSpec) -> bool:
    """True when the model outputs every step (its last recurrent layer returns sequences)."""
    recurrent = [layer for layer in spec.layers if layer.type in RECURRENT_TYPES]
    return bool(recurrent[-1].return_sequences)


def split(spec: ModelSpec, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Deterministic train/test split: the last ``round(n * test_fraction)`` samples test."""
    n = x.shape[0]
    n_test = int(round(n * spec.training.test_fraction))
    if n_test < 1 or n_test >= n:
        raise DataError(
            f"{spec.name}: {n} samples with test_fraction {spec.training.test_fraction} leave "
            f"{n_test} test and {n - n_test} training samples; both must be at least 1"
        )
    cut = n - n_test
    return x[:cut], y[:cut], x[cut:], y[cut:]


def require_features(spec: ModelSpec, dataset: str) -> int:
    """The model's input features; a token-input model cannot take a feature data set."""
    if spec.input.is_tokens:
        raise DataError(
            f"{spec.name}: data set {dataset!r} gives feature vectors, but the model's input is "
            f"token ids (input.vocabulary); use a feature input (input.features)"
        )
    return int(spec.input.features)


def next_step_regression(
    spec: ModelSpec, name: str, series: np.ndarray, description: str
) -> Dataset:
    """A next-step prediction set from series of shape ``(n, steps + 1, features)``.

    ``x = series[:, :-1]`` and ``y = series[:, 1:]`` (EdgeMark's convention); the targets have
    ``features`` columns, so the model's output units must equal its input features.
    """
    features = series.shape[-1]
    if output_units(spec) != features:
        raise DataError(
            f"{spec.name}: data set {name!r} predicts the next step of the input, so the model "
            f"must output as many values as it takes features ({features}), but its last layer "
            f"has {output_units(spec)} units"
        )
    series = series.astype(np.float32)
    x, y = series[:, :-1], series[:, 1:]
    if not sequential_output(spec):
        y = y[:, -1]
    x_train, y_train, x_test, y_test = split(spec, x, y)
    return Dataset(
        name=name,
        task="regression",
        x_train=np.ascontiguousarray(x_train),
        y_train=np.ascontiguousarray(y_train),
        x_test=np.ascontiguousarray(x_test),
        y_test=np.ascontiguousarray(y_test),
        description=description,
    )
