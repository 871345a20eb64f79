"""Float32 activation functions of the golden model (NumPy, computed in float32)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

F32 = np.float32


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + exp(-x)), in float32."""
    return (F32(1.0) / (F32(1.0) + np.exp(-x, dtype=F32))).astype(F32)


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, shifted by the maximum for range safety."""
    e = np.exp(x - np.max(x, axis=-1, keepdims=True), dtype=F32)
    return (e / np.sum(e, axis=-1, keepdims=True, dtype=F32)).astype(F32)


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, F32(0.0)),
    "sigmoid": sigmoid,
    "tanh": lambda x: np.tanh(x, dtype=F32),
    "softmax": softmax,
}
