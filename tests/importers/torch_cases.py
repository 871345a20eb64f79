"""PyTorch models the torch and ONNX importer tests build: one per supported structure.

A plain module (not conftest.py) so test modules can import it by a unique name. Every case
returns a freshly seeded module and the shape of its example input.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

STEPS = 12


class SeqHead(nn.Module):
    """A recurrent module followed by a head, every step or the last one."""

    def __init__(self, rnn: nn.Module, head: nn.Module) -> None:
        super().__init__()
        self.rnn, self.head = rnn, head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.rnn(x)[0]
        return self.head(out)


class LastStep(nn.Module):
    """out[:, -1] of a batch-first recurrent module, then a head."""

    def __init__(self, rnn: nn.Module, head: nn.Module) -> None:
        super().__init__()
        self.rnn, self.head = rnn, head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


class FinalState(nn.Module):
    """h_n[-1] of a time-major GRU/RNN, then a linear layer and torch.sigmoid."""

    def __init__(self, rnn: nn.Module, units: int, outputs: int) -> None:
        super().__init__()
        self.rnn, self.fc = rnn, nn.Linear(units, outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, h_n = self.rnn(x)
        return torch.sigmoid(self.fc(h_n[-1]))


class CharModel(nn.Module):
    """Embedding, a two-layer LSTM and a softmax head (a Shakespeare-like model)."""

    def __init__(self, vocabulary: int = 20, dim: int = 6, units: int = 10) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, dim)
        self.lstm = nn.LSTM(dim, units, num_layers=2, batch_first=True)
        self.fc = nn.Linear(units, vocabulary)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, (h, c) = self.lstm(self.embedding(x))
        return torch.softmax(self.fc(out), dim=-1)


def _random_biases(module: nn.Module, seed: int) -> nn.Module:
    """Uniform [-0.5, 0.5) biases so every bias path is exercised."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, param in module.named_parameters():
            if "bias" in name:
                param.copy_(torch.rand(param.shape, generator=gen) - 0.5)
    return module.eval()


def _case(seed: int, build: Callable[[], nn.Module]) -> nn.Module:
    torch.manual_seed(seed)
    return _random_biases(build(), seed)


# name -> (builder, example input shape, token vocabulary or 0)
CASES: dict[str, tuple[Callable[[], nn.Module], tuple[int, ...], int]] = {
    "rnn_seq": (
        lambda: _case(1, lambda: SeqHead(nn.RNN(5, 16, batch_first=True), nn.Linear(16, 3))),
        (2, STEPS, 5), 0,
    ),
    "lstm_seq_relu": (
        lambda: _case(2, lambda: SeqHead(
            nn.LSTM(5, 16, batch_first=True),
            nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Dropout(0.2), nn.Linear(8, 4)),
        )),
        (2, STEPS, 5), 0,
    ),
    "gru_stacked_last_tanh": (
        lambda: _case(3, lambda: LastStep(
            nn.GRU(5, 12, num_layers=2, batch_first=True), nn.Sequential(nn.Linear(12, 4),
                                                                        nn.Tanh())
        )),
        (2, STEPS, 5), 0,
    ),
    "gru_time_major_state": (
        lambda: _case(4, lambda: FinalState(nn.GRU(5, 12), 12, 2)),
        (STEPS, 2, 5), 0,
    ),
    "rnn_stacked_state": (
        lambda: _case(5, lambda: FinalState(nn.RNN(5, 9, num_layers=3), 9, 3)),
        (STEPS, 2, 5), 0,
    ),
    "embedding_lstm_softmax": (
        lambda: _case(6, CharModel),
        (2, STEPS), 20,
    ),
}


def example_input(shape: tuple[int, ...], vocabulary: int, seed: int = 7) -> np.ndarray:
    """Random token ids or uniform [-1, 1) features of ``shape``."""
    rng = np.random.default_rng(seed)
    if vocabulary:
        return rng.integers(0, vocabulary, size=shape).astype(np.int64)
    return rng.uniform(-1.0, 1.0, size=shape).astype(np.float32)


def torch_outputs(module: nn.Module, xs: np.ndarray) -> np.ndarray:
    """The module's own outputs on ``xs``."""
    with torch.no_grad():
        return module(torch.from_numpy(xs)).numpy()


def batch_major(xs: np.ndarray, time_major: bool) -> np.ndarray:
    """Inputs or outputs of a time-major module as (batch, time, ...)."""
    return np.swapaxes(xs, 0, 1) if time_major else xs
