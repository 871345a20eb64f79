"""Derived metrics of a benchmark record, each with the source of its definition.

Sources:
    * EdgeMark: the "error" column of the EdgeMark results page (deployed vs original outputs).
    * Survey: Rezk et al., "Recurrent Neural Networks: An Embedded Computing Perspective",
      IEEE Access 2020 — Eq. 22 (effect on accuracy), Eq. 25 (effective throughput) and the
      energy-efficiency definition E_eff = Q_eff / P (its case e2).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from edgernn.results.errors import ResultsError

# Task metrics a record can carry, mapped to "lower is better" (the survey's alpha = 1).
TASK_METRICS: dict[str, bool] = {
    "test_mse": True,
    "test_accuracy": False,
}

# Short labels of the task metrics for tables.
TASK_METRIC_LABELS: dict[str, str] = {
    "test_mse": "MSE",
    "test_accuracy": "accuracy",
}


def edgemark_error(y_float: ArrayLike, y_device: ArrayLike) -> float:
    """EdgeMark's error: mean |y_float - y_device| divided by the range of ``y_float``.

    Source: EdgeMark results page — the mean absolute difference between the deployed model's
    outputs and the original float model's outputs on the check inputs, divided by the range
    (max - min) of the original outputs.

    Args:
        y_float: Outputs of the original float model (any shape).
        y_device: Outputs of the deployed model, same shape.

    Returns:
        The error, a fraction of the output range (dimensionless). 0 when both agree exactly.

    Raises:
        ResultsError: If the shapes differ, the arrays are empty, or ``y_float`` is constant
            while the outputs differ (the ratio is undefined).
    """
    reference = np.asarray(y_float, dtype=np.float64)
    device = np.asarray(y_device, dtype=np.float64)
    if reference.shape != device.shape:
        raise ResultsError(f"output shapes differ: {reference.shape} vs {device.shape}")
    if reference.size == 0:
        raise ResultsError("cannot compute the EdgeMark error of empty outputs")
    mean_abs = float(np.mean(np.abs(reference - device)))
    spread = float(np.max(reference) - np.min(reference))
    if spread == 0.0:
        if mean_abs == 0.0:
            return 0.0
        raise ResultsError("the float outputs are constant: the EdgeMark error is undefined")
    return mean_abs / spread


def max_abs_error(y_float: ArrayLike, y_device: ArrayLike) -> float:
    """Largest |y_float - y_device| over all outputs (in the outputs' own unit).

    Args:
        y_float: Outputs of the original float model.
        y_device: Outputs of the deployed model, same shape.

    Returns:
        The maximum absolute difference.
    """
    reference = np.asarray(y_float, dtype=np.float64)
    device = np.asarray(y_device, dtype=np.float64)
    if reference.shape != device.shape:
        raise ResultsError(f"output shapes differ: {reference.shape} vs {device.shape}")
    return float(np.max(np.abs(reference - device))) if reference.size else 0.0


def accuracy_change(value: float, baseline: float, *, lower_is_better: bool) -> float:
    """Effect of an optimization on a task metric, in percent of the baseline (survey Eq. 22).

    ``a_delta = (-1)**alpha * (V_a - V_b) / V_b * 100`` with ``V_a`` the value after the
    optimization, ``V_b`` the value before, and ``alpha = 1`` when lower values are better (MSE),
    ``0`` when higher values are better (accuracy). Positive means the optimized model is better.

    Args:
        value: ``V_a``, the metric of the optimized (e.g. int8) model.
        baseline: ``V_b``, the metric of the float model.
        lower_is_better: Whether lower metric values are better (``alpha = 1``).

    Returns:
        The change in percent.

    Raises:
        ResultsError: If the baseline is zero.
    """
    if baseline == 0:
        raise ResultsError("the accuracy change (survey Eq. 22) is undefined for a zero baseline")
    sign = -1.0 if lower_is_better else 1.0
    return sign * (value - baseline) / baseline * 100.0 + 0.0  # + 0.0: no "-0.00" for no change


def task_change(metric: str, value: float, float_value: float) -> float:
    """Survey Eq. 22 for a named task metric (see :data:`TASK_METRICS`).

    Args:
        metric: Task metric name (``test_mse`` or ``test_accuracy``).
        value: The metric of the measured variant.
        float_value: The metric of the float model.

    Returns:
        The change vs float in percent (positive = better than float).
    """
    if metric not in TASK_METRICS:
        raise ResultsError(f"unknown task metric {metric!r} (known: {', '.join(TASK_METRICS)})")
    return accuracy_change(value, float_value, lower_is_better=TASK_METRICS[metric])


def execution_ms(cycles: int, clock_hz: float) -> float:
    """Execution time of one inference in milliseconds: ``cycles / f_clk``."""
    if clock_hz <= 0:
        raise ResultsError(f"clock frequency must be positive, got {clock_hz!r} Hz")
    return cycles / clock_hz * 1e3


def cycles_per_mac(cycles: int, macs: int) -> float:
    """Cycles per matrix MAC of one inference (docs/counting.md: MACs are matrix MACs)."""
    if macs <= 0:
        raise ResultsError(f"MAC count must be positive, got {macs!r}")
    return cycles / macs


def power_w(run_current_ma: float, supply_v: float) -> float:
    """Power in watts drawn in run mode: ``P = I * V`` (I in mA, V in volts)."""
    return run_current_ma * 1e-3 * supply_v


def energy_uj(run_current_ma: float, supply_v: float, exe_ms: float) -> float:
    """Energy of one inference in microjoules: ``E = I * V * t``.

    The current is the board profile's run-mode current at the clock used, so this is the
    energy of the whole MCU running the inference (not of the core alone).

    Args:
        run_current_ma: Run-mode supply current in milliamperes.
        supply_v: Supply voltage in volts.
        exe_ms: Execution time of one inference in milliseconds.

    Returns:
        Energy per inference in µJ (mA · V · ms = µJ).
    """
    return run_current_ma * supply_v * exe_ms


def effective_throughput_gops(macs: int, exe_ms: float) -> float:
    """Effective throughput in GOP/s (survey Eq. 25).

    ``Q_eff = n_op * n_steps / t_comp`` with ``n_op = 2 ×`` the matrix MACs of one step (a MAC
    is two operations; the survey counts the matrix-vector products, its case q3). ``macs`` here
    is the matrix MACs of the whole sequence, i.e. already multiplied by ``n_steps``.

    Args:
        macs: Matrix MACs of one inference (all time steps).
        exe_ms: Execution time of one inference in milliseconds.

    Returns:
        Effective throughput in 10^9 operations per second.
    """
    if exe_ms <= 0:
        raise ResultsError(f"execution time must be positive, got {exe_ms!r} ms")
    return 2.0 * macs / (exe_ms * 1e-3) / 1e9


def energy_efficiency_gops_per_w(gops: float, watts: float) -> float:
    """Energy efficiency in GOP/s/W: ``E_eff = Q_eff / P`` (survey, energy efficiency, case e2).

    Args:
        gops: Effective throughput in GOP/s (:func:`effective_throughput_gops`).
        watts: Power in watts (:func:`power_w`).

    Returns:
        GOP/s per watt (equivalently GOP per joule).
    """
    if watts <= 0:
        raise ResultsError(f"power must be positive, got {watts!r} W")
    return gops / watts
