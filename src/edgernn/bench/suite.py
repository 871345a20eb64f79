"""Benchmark suites: data files naming models, variants, targets, build options and training.

A suite file (YAML)::

    name: edgemark-rnn
    models: [simple0, simple1]          # zoo names, spec files or run directories
    variants: [float32, int8]
    targets: [nucleo-l4r5zi]
    build: {opt: O2, weights: flash}
    check_sequences: 5                  # sequences simulated per measurement
    training: {epochs: 10}              # optional override of every spec's training settings

Built-in suites live in ``edgernn/bench/suites/``; ``edgemark-rnn`` is the default of
``edgernn bench``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from edgernn.errors import EdgernnError
from edgernn.validation import parse_yaml_model

SUITES_PACKAGE = "edgernn.bench.suites"
DEFAULT_SUITE = "edgemark-rnn"


class SuiteError(EdgernnError):
    """A suite file is malformed or names something that does not exist."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BuildOptions(_Strict):
    """Firmware build options of every measurement in a suite."""

    opt: Literal["O2", "Os", "O3"] = "O2"
    weights: Literal["flash", "sram"] = "flash"

    def as_dict(self) -> dict[str, str]:
        """Plain options dict (results database ``options``)."""
        return {"opt": self.opt, "weights": self.weights}


class TrainingOverride(_Strict):
    """Training settings a suite imposes on every spec it trains."""

    epochs: PositiveInt | None = None
    seed: int | None = None


class Suite(_Strict):
    """A benchmark suite."""

    name: str
    description: str = ""
    models: list[str] = Field(min_length=1)
    variants: list[str] = Field(default_factory=lambda: ["float32"], min_length=1)
    targets: list[str] = Field(default_factory=lambda: ["nucleo-l4r5zi"], min_length=1)
    build: BuildOptions = BuildOptions()
    check_sequences: PositiveInt = 5
    training: TrainingOverride = TrainingOverride()


def suite_names() -> list[str]:
    """Names of the built-in suites."""
    files = resources.files(SUITES_PACKAGE).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".yaml"))


def find_suite_file(name_or_path: str | Path) -> Path | None:
    """The file of a built-in suite name or of a suite path; None if it is neither."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        text = path.read_text(encoding="utf-8")
        return path if "models:" in text and "layers:" not in text else None
    builtin = resources.files(SUITES_PACKAGE) / f"{name_or_path}.yaml"
    return Path(str(builtin)) if builtin.is_file() else None


def load_suite(path: str | Path) -> Suite:
    """Load and validate a suite file; errors name the file, the field and the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SuiteError(f"{path}: cannot read suite ({exc.strerror})") from None
    return parse_yaml_model(text, Suite, str(path), SuiteError, "a suite")
