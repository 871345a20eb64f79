"""Training a spec's model on its data set with PyTorch (CPU, deterministic for a seed).

The initial weights are the IR's own (:func:`edgernn.ir.build_graph` with the seed), so the
float model that training starts from is the one every other stage would build. Adam, mean
squared error for regression, cross-entropy on the logits for classification (a final softmax
is applied by the exported model, as by the golden model). Batches are drawn in an order fixed
by the seed; PyTorch runs with deterministic algorithms and :data:`TRAIN_THREADS` threads, so
two runs with the same seed give identical weights on the same machine.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from torch import nn

from edgernn.data import Dataset, build_dataset
from edgernn.data.base import DataError
from edgernn.errors import TrainingError
from edgernn.ir.build import build_graph
from edgernn.ir.graph import Graph
from edgernn.nn.model import TorchModel, graph_from_torch
from edgernn.spec.schema import ModelSpec

TRAIN_THREADS = 1
"""Intra-op threads while training: fixed so results do not depend on the machine's core count
(and these small recurrent models gain little from more; see the module tests' timings)."""


@dataclass
class TrainResult:
    """A trained model and how it did.

    Attributes:
        graph: the trained graph (``metadata["training"]`` and ``metadata["metrics"]`` set).
        metrics: test-set metrics and run facts (see :func:`train_model`), plain values.
        history: mean training loss of each epoch.
    """

    graph: Graph
    metrics: dict[str, Any]
    history: list[float] = field(default_factory=list)


@contextlib.contextmanager
def deterministic_torch(seed: int, threads: int = TRAIN_THREADS) -> Iterator[None]:
    """Seed PyTorch, force deterministic algorithms and a thread count; restore them after."""
    previous_det = torch.are_deterministic_algorithms_enabled()
    previous_threads = torch.get_num_threads()
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(previous_det)
        torch.set_num_threads(previous_threads)


def _mse(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return nn.functional.mse_loss(output, target)


def _cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))


# task -> (loss name, loss on (model output, target), forward with logits?)
LOSSES = {
    "regression": ("mse", _mse, False),
    "classification": ("cross_entropy", _cross_entropy, True),
}


def _check_fit(spec: ModelSpec, model: TorchModel, data: Dataset) -> None:
    """Raise if the data set's arrays do not fit the model's input and output."""
    with torch.no_grad():
        probe = model(data.x_train[:1])
    if data.task == "regression" and tuple(probe.shape[1:]) != tuple(data.y_train.shape[1:]):
        raise DataError(
            f"{spec.name}: data set {data.name!r} has targets of shape {data.y_train.shape[1:]} "
            f"per sample, the model outputs {tuple(probe.shape[1:])}"
        )
    if data.task == "classification":
        last = spec.layers[-1]
        if last.type != "dense" or last.activation not in ("softmax", "linear"):
            raise TrainingError(
                f"{spec.name}: classification needs a final dense layer with softmax (or linear "
                f"logits) activation"
            )
        if tuple(probe.shape[1:-1]) != tuple(data.y_train.shape[1:]):
            raise DataError(
                f"{spec.name}: data set {data.name!r} has class targets of shape "
                f"{data.y_train.shape[1:]} per sample, the model outputs {tuple(probe.shape[1:])}"
            )
        if int(data.y_train.max()) >= probe.shape[-1]:
            raise DataError(
                f"{spec.name}: data set {data.name!r} has class ids up to {data.y_train.max()}, "
                f"the model outputs {probe.shape[-1]} classes"
            )


def evaluate(model: TorchModel, data: Dataset) -> dict[str, float]:
    """Test-set metrics of ``model``: MSE/MAE (regression) or accuracy/cross-entropy.

    Baselines put them in context: ``baseline_test_mse`` predicts the training targets' mean,
    ``baseline_test_accuracy`` always the most frequent training class.
    """
    model.eval()
    with torch.no_grad():
        if data.task == "regression":
            out = model(data.x_test)
            target = torch.as_tensor(data.y_test)
            mean = torch.as_tensor(data.y_train.reshape(-1, data.y_train.shape[-1]).mean(axis=0))
            return {
                "test_mse": float(nn.functional.mse_loss(out, target)),
                "test_mae": float(nn.functional.l1_loss(out, target)),
                "baseline_test_mse": float(((target - mean) ** 2).mean()),
            }
        logits = model(data.x_test, logits=True)
        target = torch.as_tensor(data.y_test)
        majority = int(np.bincount(data.y_train.ravel()).argmax())
        return {
            "test_accuracy": float((logits.argmax(dim=-1) == target).float().mean()),
            "test_cross_entropy": float(_cross_entropy(logits, target)),
            "baseline_test_accuracy": float((target == majority).float().mean()),
        }


def train_model(
    spec: ModelSpec,
    *,
    epochs: int | None = None,
    seed: int | None = None,
    progress: bool = True,
    data: Dataset | None = None,
) -> TrainResult:
    """Train ``spec``'s model on its data set and return the trained graph and test metrics.

    Args:
        spec: the model spec; ``spec.training`` gives the data set and hyper-parameters.
        epochs: passes over the training set (default ``spec.training.epochs``).
        seed: seed of the initial weights and the batch order (default ``spec.training.seed``);
            the data set itself is always drawn with ``spec.training.seed``.
        progress: show a transient Rich progress bar.
        data: a prepared data set to use instead of building ``spec.training.dataset``.

    Returns:
        The trained graph and metrics: ``test_mse``, ``test_mae``, ``baseline_test_mse``
        (regression) or ``test_accuracy``, ``test_cross_entropy``, ``baseline_test_accuracy``
        (classification), plus ``train_loss`` (last epoch's mean), ``training_time_s``,
        ``epochs`` and ``dataset``.

    Raises:
        DataError: the data set is unknown, missing or does not fit the model.
        TrainingError: the model cannot learn this task, or the loss became NaN or infinite.
    """
    settings = spec.training
    epochs = settings.epochs if epochs is None else int(epochs)
    seed = settings.seed if seed is None else int(seed)
    if epochs < 1:
        raise TrainingError(f"{spec.name}: epochs must be at least 1, got {epochs}")
    data = build_dataset(spec) if data is None else data
    loss_name, loss_fn, use_logits = LOSSES[data.task]
    batch_size = settings.batch_size
    n = data.n_train
    batches = -(-n // batch_size)
    start = time.perf_counter()
    history: list[float] = []
    with deterministic_torch(seed):
        initial = build_graph(spec, seed)
        model = TorchModel(initial)
        _check_fit(spec, model, data)
        x_all = torch.as_tensor(data.x_train)
        y_all = torch.as_tensor(data.y_train)
        optimizer = torch.optim.Adam(model.parameters(), lr=settings.learning_rate)
        order_rng = np.random.RandomState(seed)
        columns = (
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True, disable=not progress) as bar:
            task = bar.add_task(f"training {spec.name}", total=epochs * batches)
            for epoch in range(epochs):
                model.train()
                order = torch.as_tensor(order_rng.permutation(n))
                total = 0.0
                for first in range(0, n, batch_size):
                    index = order[first : first + batch_size]
                    optimizer.zero_grad()
                    loss = loss_fn(model(x_all[index], logits=use_logits), y_all[index])
                    loss.backward()
                    optimizer.step()
                    total += float(loss.detach()) * len(index)
                    bar.advance(task)
                history.append(total / n)
                if not np.isfinite(history[-1]):
                    raise TrainingError(
                        f"{spec.name}: training loss became {history[-1]} in epoch {epoch + 1}; "
                        f"try a lower training.learning_rate"
                    )
                bar.update(
                    task,
                    description=f"training {spec.name} epoch {epoch + 1}/{epochs} "
                    f"{loss_name} {history[-1]:.4g}",
                )
        metrics: dict[str, Any] = evaluate(model, data)
        trained = graph_from_torch(model, initial)
    metrics.update(
        train_loss=history[-1],
        training_time_s=round(time.perf_counter() - start, 3),
        epochs=epochs,
        dataset=data.name,
    )
    trained.metadata["training"] = {
        "dataset": data.name,
        "dataset_description": data.description,
        "samples": data.n_train + data.n_test,
        "train_samples": data.n_train,
        "test_samples": data.n_test,
        "epochs": epochs,
        "batch_size": batch_size,
        "learning_rate": settings.learning_rate,
        "seed": seed,
        "optimizer": "adam",
        "loss": loss_name,
        "framework": f"torch {torch.__version__}",
        "loss_history": [float(v) for v in history],
    }
    trained.metadata["metrics"] = dict(metrics)
    return TrainResult(graph=trained, metrics=metrics, history=history)
