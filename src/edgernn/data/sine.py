"""A multi-sine forecasting set: a learnable counterpart to ``randomset_seq``."""

from __future__ import annotations

import numpy as np

from edgernn.data.base import Dataset, next_step_regression, register_dataset, require_features
from edgernn.spec.schema import ModelSpec

COMPONENTS = 3
PERIOD_RANGE = (8.0, 64.0)  # steps per cycle of each component
NOISE = 0.01


@register_dataset("sine")
def sine(spec: ModelSpec) -> Dataset:
    """Each feature is a fixed sum of ``COMPONENTS`` sines; samples are windows at random times.

    Per feature, periods (uniform in ``PERIOD_RANGE`` steps), phases and amplitudes are drawn
    once from ``RandomState(seed)``; each sample starts at a random time, so a model has to infer
    the phase from the window. Values are scaled into about [-1, 1], plus Gaussian noise of
    standard deviation ``NOISE``. Next-step prediction, ``x = s[:, :-1]``, ``y = s[:, 1:]``.
    """
    features = require_features(spec, "sine")
    training = spec.training
    rng = np.random.RandomState(training.seed)
    shape = (1, 1, features, COMPONENTS)
    omega = 2 * np.pi / rng.uniform(*PERIOD_RANGE, size=shape)
    phase = rng.uniform(0, 2 * np.pi, size=shape)
    amplitude = rng.uniform(0.5, 1.0, size=shape)
    amplitude /= amplitude.sum(axis=-1, keepdims=True)
    start = rng.uniform(0, 1000, size=(training.samples, 1, 1, 1))
    t = start + np.arange(spec.sequence_length + 1).reshape(1, -1, 1, 1)
    series = (amplitude * np.sin(omega * t + phase)).sum(axis=-1)
    series += rng.normal(0.0, NOISE, size=series.shape)
    return next_step_regression(
        spec,
        "sine",
        series,
        f"sums of {COMPONENTS} sines per feature, {training.samples} windows x "
        f"{spec.sequence_length} steps x {features} features, next-step prediction "
        f"(seed {training.seed})",
    )
