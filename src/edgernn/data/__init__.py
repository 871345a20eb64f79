"""Training data sets, built from a spec by name (``spec.training.dataset``).

Registered: ``randomset_seq`` (EdgeMark's uniform random sequences), ``sine`` (multi-sine
forecasting) and ``shakespeare`` (next character; needs the set-up step that installs the texts).
"""

from edgernn.data import randomset, shakespeare, sine  # noqa: F401  (register the builders)
from edgernn.data.base import (
    DATASETS,
    DataError,
    Dataset,
    build_dataset,
    data_dir,
    dataset_names,
    register_dataset,
)

__all__ = [
    "DATASETS",
    "DataError",
    "Dataset",
    "build_dataset",
    "data_dir",
    "dataset_names",
    "register_dataset",
]
