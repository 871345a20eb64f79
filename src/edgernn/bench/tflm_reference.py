"""The published TFLM figures of the EdgeMark RNN study (data file ``tflm_reference.yaml``).

These are the numbers edgernn reproduces and compares against: per model and variant, the
parameters, MACs, error, execution time, flash and RAM that TensorFlow Lite for Microcontrollers
reached on a NUCLEO-L4R5ZI (Cortex-M4F, 120 MHz). Flash and RAM are whole-program figures in kB of
1024 bytes.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from edgernn.errors import EdgernnError

DATA_FILE = "tflm_reference.yaml"


class TflmFigure(BaseModel):
    """TFLM's published figures of one (model, variant). Missing figures are ``None``.

    Attributes:
        model: Model key (simple0 ... gru).
        variant: ``float32`` (EdgeMark's "basic") or ``int8`` ("int8 only").
        parameters: Parameter count.
        macs: EdgeMark's MACs (TF profiler FLOPs / 2) of one inference.
        error: EdgeMark's error (fraction of the float output range).
        exe_ms: Execution time of one inference, ms.
        flash_kb: Whole-program flash, kB (1024 bytes).
        ram_kb: Whole-program RAM, kB (1024 bytes).
        out_of_memory: TFLM could not run the model on the board (no time, flash, RAM).
        alt_exe_ms: A corrected time when the published one is doubtful (see ``note``), ms.
        note: Remark on the figures.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    variant: str
    parameters: int
    macs: int
    error: float | None = None
    exe_ms: float | None = None
    flash_kb: float | None = None
    ram_kb: float | None = None
    out_of_memory: bool = False
    alt_exe_ms: float | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _complete_unless_out_of_memory(self) -> TflmFigure:
        measured = (self.error, self.exe_ms, self.flash_kb, self.ram_kb)
        if self.out_of_memory and any(v is not None for v in measured[1:]):
            raise ValueError("an out-of-memory entry has no time, flash or RAM")
        if not self.out_of_memory and any(v is None for v in measured):
            raise ValueError("error, exe_ms, flash_kb and ram_kb are required")
        return self

    @property
    def flash_bytes(self) -> float | None:
        """Flash in bytes (kB × 1024)."""
        return None if self.flash_kb is None else self.flash_kb * 1024

    @property
    def ram_bytes(self) -> float | None:
        """RAM in bytes (kB × 1024)."""
        return None if self.ram_kb is None else self.ram_kb * 1024


class TflmReference(BaseModel):
    """All published TFLM figures with where they come from.

    Attributes:
        source: The publication.
        framework: Short framework name for tables (``TFLM``).
        board: The board the figures were measured on.
        cpu: Its CPU.
        clock_hz: Its clock, Hz.
        figures: One entry per (model, variant).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    framework: str
    board: str
    cpu: str
    clock_hz: int
    figures: tuple[TflmFigure, ...]

    @model_validator(mode="after")
    def _unique(self) -> TflmReference:
        keys = [(f.model, f.variant) for f in self.figures]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate (model, variant) entries")
        return self

    def get(self, model: str, variant: str) -> TflmFigure | None:
        """The figures of (model, variant), or ``None`` when TFLM published none."""
        for figure in self.figures:
            if figure.model == model and figure.variant == variant:
                return figure
        return None

    def matches_target(self, target: str) -> bool:
        """Whether an edgernn target name denotes the reference board.

        Names are compared ignoring case and every character but letters and digits, so
        ``nucleo-l4r5zi``, ``NUCLEO_L4R5ZI`` and ``NUCLEO-L4R5ZI`` all match.
        """
        return _normalized(target) == _normalized(self.board)


def _normalized(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def parse_tflm_reference(text: str, origin: str = DATA_FILE) -> TflmReference:
    """Parse and validate reference figures from YAML text.

    Args:
        text: The YAML document.
        origin: Name of the source for error messages.

    Raises:
        EdgernnError: If the document is malformed.
    """
    try:
        return TflmReference.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as exc:
        first = str(exc).splitlines()
        raise EdgernnError(f"{origin}: invalid TFLM reference figures: {' '.join(first[:3])}") \
            from exc


@cache
def load_tflm_reference(path: Path | None = None) -> TflmReference:
    """The published TFLM figures (the packaged ``tflm_reference.yaml`` by default).

    Args:
        path: Another file of the same format.

    Returns:
        The validated figures.
    """
    if path is not None:
        return parse_tflm_reference(Path(path).read_text(encoding="utf-8"), str(path))
    text = resources.files("edgernn.bench").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_tflm_reference(text)
