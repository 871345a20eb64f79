"""EdgeMark's ``randomset_seq``: uniform random sequences, next-step prediction."""

from __future__ import annotations

import numpy as np

from edgernn.data.base import Dataset, next_step_regression, register_dataset, require_features
from edgernn.spec.schema import ModelSpec


@register_dataset("randomset_seq")
def randomset_seq(spec: ModelSpec) -> Dataset:
    """Uniform [0, 1) data of shape ``(samples, sequence_length + 1, features)``.

    Drawn as EdgeMark does (NumPy's legacy seeded generator, ``np.random.rand`` after
    ``np.random.seed(seed)``, here through ``RandomState(seed)`` without touching global
    state); ``x = data[:, :-1]``, ``y = data[:, 1:]``. The steps are independent, so no model can
    beat predicting the mean (expected MSE 1/12): the set exercises deployment, not learning.
    """
    features = require_features(spec, "randomset_seq")
    training = spec.training
    rng = np.random.RandomState(training.seed)
    data = rng.random_sample((training.samples, spec.sequence_length + 1, features))
    return next_step_regression(
        spec,
        "randomset_seq",
        data,
        f"uniform random sequences, {training.samples} x {spec.sequence_length} steps x "
        f"{features} features, next-step prediction (seed {training.seed})",
    )
