"""Accuracy of a quantized (or otherwise approximated) model against the float golden model."""

from __future__ import annotations

import numpy as np


def edgemark_error(y_float: np.ndarray, y_device: np.ndarray) -> float:
    """EdgeMark's normalised error: ``mean|y_float - y_device| / (max(y_float) - min(y_float))``.

    This is the figure EdgeMark (Nguyen et al., "EdgeMark", 2025) reports for TFLM's quantized
    builds: the mean absolute difference over every output value, divided by the range of the
    float outputs. A constant float output (range 0) gives the plain mean absolute difference.
    """
    a = np.asarray(y_float, dtype=np.float64)
    b = np.asarray(y_device, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    span = float(a.max() - a.min()) if a.size else 0.0
    mean = float(np.mean(np.abs(a - b))) if a.size else 0.0
    return mean / span if span > 0.0 else mean
