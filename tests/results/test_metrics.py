"""Derived metrics: EdgeMark error, survey Eq. 22 and Eq. 25, energy and energy efficiency."""

import numpy as np
import pytest

from edgernn.results import ResultsError, metrics


def test_edgemark_error_is_mean_abs_difference_over_float_range():
    y_float = np.array([[0.0, 1.0], [2.0, 4.0]])
    y_device = y_float + np.array([[0.1, -0.1], [0.2, 0.0]])
    # mean |diff| = 0.4 / 4 = 0.1; range = 4 - 0 = 4
    assert metrics.edgemark_error(y_float, y_device) == pytest.approx(0.025)
    assert metrics.edgemark_error(y_float, y_float) == 0.0
    assert metrics.max_abs_error(y_float, y_device) == pytest.approx(0.2)


def test_edgemark_error_rejects_mismatched_or_constant_outputs():
    with pytest.raises(ResultsError, match="shapes differ"):
        metrics.edgemark_error(np.zeros(3), np.zeros(4))
    with pytest.raises(ResultsError, match="constant"):
        metrics.edgemark_error(np.ones(3), np.zeros(3))
    assert metrics.edgemark_error(np.ones(3), np.ones(3)) == 0.0


def test_eq22_reproduces_the_survey_examples():
    # Survey: baseline accuracy 96 %, 94 % after optimization -> -2.1 %; 98 % -> +2.1 %.
    assert metrics.accuracy_change(94.0, 96.0, lower_is_better=False) == pytest.approx(-2.083, abs=1e-3)
    assert metrics.accuracy_change(98.0, 96.0, lower_is_better=False) == pytest.approx(2.083, abs=1e-3)
    assert metrics.accuracy_change(96.0, 96.0, lower_is_better=False) == 0.0


def test_eq22_sign_flips_when_lower_is_better():
    # An MSE rising from 0.080 to 0.084 is a 5 % loss; falling to 0.076 a 5 % gain.
    assert metrics.task_change("test_mse", 0.084, 0.080) == pytest.approx(-5.0)
    assert metrics.task_change("test_mse", 0.076, 0.080) == pytest.approx(5.0)
    assert metrics.task_change("test_accuracy", 0.55, 0.50) == pytest.approx(10.0)
    assert str(metrics.task_change("test_mse", 0.08, 0.08)) == "0.0"  # never "-0.0"
    with pytest.raises(ResultsError, match="unknown task metric"):
        metrics.task_change("bleu", 1.0, 1.0)
    with pytest.raises(ResultsError, match="zero baseline"):
        metrics.accuracy_change(1.0, 0.0, lower_is_better=True)


def test_eq25_effective_throughput_counts_two_operations_per_mac():
    # 2 662 400 MACs in 50 ms: 5 324 800 operations / 0.05 s = 0.106496 GOP/s.
    assert metrics.effective_throughput_gops(2_662_400, 50.0) == pytest.approx(0.106496)
    with pytest.raises(ResultsError):
        metrics.effective_throughput_gops(1, 0.0)


def test_energy_power_and_efficiency():
    # 12.5 mA at 3.3 V = 41.25 mW; for 50 ms: 2062.5 µJ.
    assert metrics.power_w(12.5, 3.3) == pytest.approx(0.04125)
    assert metrics.energy_uj(12.5, 3.3, 50.0) == pytest.approx(2062.5)
    assert metrics.energy_efficiency_gops_per_w(0.106496, 0.04125) == pytest.approx(2.58172, rel=1e-5)
    # Efficiency is operations per joule: 2 MACs x count / energy.
    ops_per_joule = 2 * 2_662_400 / (2062.5e-6)
    assert metrics.energy_efficiency_gops_per_w(0.106496, 0.04125) * 1e9 == pytest.approx(ops_per_joule)


def test_time_and_cycles_per_mac():
    assert metrics.execution_ms(6_000_000, 120e6) == pytest.approx(50.0)
    assert metrics.cycles_per_mac(5_324_800, 2_662_400) == pytest.approx(2.0)
