"""The result record: one measured (model, variant, target, build options), with units.

Every field carries its unit and description as dataclass metadata (:func:`record_fields`), so
tables, exports and the docs read them from one place. Derived metrics (execution time from
cycles, cycles per MAC, the survey's Eq. 22 change, energy, Eq. 25 throughput, energy
efficiency) are filled in from the measured inputs when the record is created, by the functions
of :mod:`edgernn.results.metrics`; a value given explicitly is kept.
"""

from __future__ import annotations

import json
import math
import platform
import subprocess
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from edgernn import __version__
from edgernn.results import metrics
from edgernn.results.errors import ResultsError
from edgernn.results.names import VARIANTS

OptionValue = str | int | float | bool

# Parts of the flash and RAM breakdowns, in display order. Other keys are allowed after them.
# Flash parts are the categories of the firmware size report (edgernn.targets.sizes): weight
# arrays, runtime kernels, generated model code and data, harness and startup, C/math/compiler
# libraries, and bytes no symbol covers.
FLASH_PARTS: tuple[str, ...] = ("weights", "kernels", "model", "harness", "library", "other")
RAM_PARTS: tuple[str, ...] = ("data", "bss", "ram_weights", "io", "stack")


def _meta(unit: str, doc: str, kind: str) -> dict[str, str]:
    return {"unit": unit, "doc": doc, "kind": kind}


@dataclass(frozen=True)
class FieldInfo:
    """Name, unit, kind (int, float, str, json) and description of a record field."""

    name: str
    unit: str
    kind: str
    doc: str


def utc_now() -> str:
    """The current time as a UTC ISO 8601 string with seconds (``2026-05-09T07:35:25Z``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _git_commit() -> str | None:
    """The commit of the edgernn checkout (``-dirty`` when tracked files changed), if any."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(here), "diff", "--quiet", "HEAD", "--"],
            capture_output=True, timeout=5,
        ).returncode
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}-dirty" if dirty == 1 else head or None


@dataclass(frozen=True, kw_only=True)
class Environment:
    """Where and with what a record was measured."""

    edgernn_version: str = field(metadata=_meta("", "edgernn version", "str"))
    git_commit: str | None = field(
        default=None, metadata=_meta("", "edgernn git commit (-dirty: local changes)", "str")
    )
    compiler: str | None = field(
        default=None, metadata=_meta("", "compiler and its version", "str")
    )
    compiler_flags: str | None = field(default=None, metadata=_meta("", "compiler flags", "str"))
    cycle_model: str | None = field(
        default=None, metadata=_meta("", "cycle model name and version", "str")
    )
    host: str | None = field(
        default=None, metadata=_meta("", "host that ran the measurement", "str")
    )
    timestamp: str = field(metadata=_meta("UTC ISO 8601", "time of the measurement", "str"))

    def __post_init__(self) -> None:
        try:
            moment = datetime.fromisoformat(self.timestamp)
        except (TypeError, ValueError) as exc:
            raise ResultsError(f"timestamp {self.timestamp!r} is not ISO 8601") from exc
        if moment.utcoffset() is None or moment.utcoffset().total_seconds() != 0:
            raise ResultsError(f"timestamp {self.timestamp!r} is not in UTC")

    @classmethod
    def capture(
        cls,
        *,
        compiler: str | None = None,
        compiler_flags: str | None = None,
        cycle_model: str | None = None,
        timestamp: str | None = None,
    ) -> Environment:
        """The environment of this process: edgernn version and commit, host and current time.

        Args:
            compiler: Compiler name and version (e.g. ``arm-none-eabi-gcc 13.2.1``).
            compiler_flags: The flags the firmware was built with.
            cycle_model: Name and version of the cycle model that counted the cycles.
            timestamp: UTC ISO 8601 time; the current time when omitted.

        Returns:
            The environment.
        """
        host = (
            f"{platform.node()} ({platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()})"
        )
        return cls(
            edgernn_version=__version__,
            git_commit=_git_commit(),
            compiler=compiler,
            compiler_flags=compiler_flags,
            cycle_model=cycle_model,
            host=host,
            timestamp=timestamp or utc_now(),
        )

    def identity(self) -> tuple[str | None, ...]:
        """Every field but the timestamp: records sharing it were measured alike."""
        return (
            self.edgernn_version, self.git_commit, self.compiler, self.compiler_flags,
            self.cycle_model, self.host,
        )


def options_key(options: dict[str, OptionValue]) -> str:
    """Canonical string of build options: ``key=value`` pairs sorted by key, comma-separated.

    Booleans are written ``true``/``false``; no options give ``default``.

    Args:
        options: Build options (e.g. ``{"opt": "O2", "weights": "flash"}``).

    Returns:
        The key, e.g. ``opt=O2,weights=flash``.
    """
    if not options:
        return "default"
    parts = []
    for key in sorted(options):
        value = options[key]
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        parts.append(f"{key}={text}")
    return ",".join(parts)


@dataclass(kw_only=True)
class BenchRecord:
    """One measured (model, variant, target, build options) with its metrics.

    Optional metrics are ``None`` when not measured (e.g. no cycles on a host-only run).
    The units of every field are in its metadata (:func:`record_fields`) and in docs/results.md.
    """

    model: str = field(metadata=_meta("", "model key (simple0 ... gru or a spec name)", "str"))
    variant: str = field(
        metadata=_meta("", "numeric variant: float32, int8, int16x8 or int8-weights", "str")
    )
    target: str = field(metadata=_meta("", "target board (or host) name", "str"))
    options: dict[str, OptionValue] = field(
        default_factory=dict,
        metadata=_meta("", "build options (optimization level, weight placement, ...)", "json"),
    )
    parameters: int | None = field(
        default=None, metadata=_meta("count", "weights and biases of the model", "int")
    )
    macs: int | None = field(
        default=None,
        metadata=_meta("MAC", "matrix multiply-accumulates of one inference (all steps)", "int"),
    )
    edgemark_macs: int | None = field(
        default=None,
        metadata=_meta("MAC", "EdgeMark's MACs (profiler FLOPs / 2) of one inference", "int"),
    )
    error: float | None = field(
        default=None,
        metadata=_meta(
            "fraction of output range",
            "EdgeMark error: mean |y_float - y_device| / (max - min of y_float)", "float",
        ),
    )
    max_abs_error: float | None = field(
        default=None, metadata=_meta("output unit", "max |y_float - y_device|", "float")
    )
    task_metric: str | None = field(
        default=None, metadata=_meta("", "task metric name: test_mse or test_accuracy", "str")
    )
    task_value: float | None = field(
        default=None, metadata=_meta("metric unit", "task metric of this variant", "float")
    )
    float_task_value: float | None = field(
        default=None, metadata=_meta("metric unit", "task metric of the float model", "float")
    )
    task_change_pct: float | None = field(
        default=None,
        metadata=_meta("%", "change of the task metric vs float (survey Eq. 22; + = better)",
                       "float"),
    )
    cycles: int | None = field(
        default=None, metadata=_meta("cycles", "CPU cycles of one inference", "int")
    )
    clock_hz: float | None = field(
        default=None, metadata=_meta("Hz", "CPU clock the time is computed at", "float")
    )
    exe_ms: float | None = field(
        default=None, metadata=_meta("ms", "execution time of one inference", "float")
    )
    instructions: int | None = field(
        default=None, metadata=_meta("instructions", "instructions executed per inference", "int")
    )
    cycles_per_mac: float | None = field(
        default=None, metadata=_meta("cycles/MAC", "cycles per matrix MAC", "float")
    )
    flash_bytes: int | None = field(
        default=None, metadata=_meta("bytes", "flash of the whole firmware image", "int")
    )
    flash_breakdown: dict[str, int] = field(
        default_factory=dict,
        metadata=_meta(
            "bytes", "flash by part: weights, kernels, model, harness, library, other", "json"
        ),
    )
    ram_bytes: int | None = field(
        default=None, metadata=_meta("bytes", "RAM of the whole firmware (static + stack)", "int")
    )
    ram_breakdown: dict[str, int] = field(
        default_factory=dict,
        metadata=_meta("bytes", "RAM by part: data, bss, ram_weights, io, stack", "json"),
    )
    run_current_ma: float | None = field(
        default=None, metadata=_meta("mA", "board run-mode current at clock_hz", "float")
    )
    supply_v: float | None = field(
        default=None, metadata=_meta("V", "supply voltage of the board", "float")
    )
    energy_uj: float | None = field(
        default=None, metadata=_meta("µJ", "energy of one inference (I × V × t)", "float")
    )
    gops: float | None = field(
        default=None,
        metadata=_meta("GOP/s", "effective throughput 2·MACs / time (survey Eq. 25)", "float"),
    )
    gops_per_w: float | None = field(
        default=None, metadata=_meta("GOP/s/W", "energy efficiency Q_eff / P", "float")
    )
    function_cycles: dict[str, int] = field(
        default_factory=dict,
        metadata=_meta("cycles", "cycles per inference attributed to each function", "json"),
    )
    env: Environment = field(metadata=_meta("", "environment of the measurement", "json"))
    content_key: str | None = field(
        default=None,
        metadata=_meta("", "cache key of the inputs (model, variant, target, options, tools)",
                       "str"),
    )
    id: int | None = field(
        default=None, metadata=_meta("", "row id in the results database (None until stored)",
                                     "int"),
    )

    def __post_init__(self) -> None:
        self._validate()
        self._derive()

    # -- identity ---------------------------------------------------------------------------

    @property
    def options_key(self) -> str:
        """Canonical string of the build options (:func:`options_key`)."""
        return options_key(self.options)

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """(model, variant, target, options key): what makes two records the same measurement."""
        return (self.model, self.variant, self.target, self.options_key)

    @property
    def timestamp(self) -> str:
        """UTC ISO 8601 time of the measurement (from :attr:`env`)."""
        return self.env.timestamp

    @property
    def power_w(self) -> float | None:
        """Run-mode power in watts, when current and voltage are known."""
        if self.run_current_ma is None or self.supply_v is None:
            return None
        return metrics.power_w(self.run_current_ma, self.supply_v)

    # -- validation and derived metrics -------------------------------------------------------

    def _validate(self) -> None:
        label = f"{self.model or '?'}/{self.variant or '?'}"
        for name in ("model", "target"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ResultsError(f"record {label}: {name} must be a non-empty string")
        if self.variant not in VARIANTS:
            raise ResultsError(
                f"record {label}: unknown variant {self.variant!r} (known: {', '.join(VARIANTS)})"
            )
        if not isinstance(self.env, Environment):
            raise ResultsError(f"record {label}: env must be an Environment")
        for key, value in self.options.items():
            if not isinstance(key, str) or not isinstance(value, OptionValue):
                raise ResultsError(f"record {label}: build option {key!r} is not a scalar")
        for info in record_fields():
            value = getattr(self, info.name)
            if value is None or info.name == "id":
                continue
            if info.kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
                raise ResultsError(f"record {label}: {info.name} must be an integer, got {value!r}")
            if info.kind == "float":
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ResultsError(f"record {label}: {info.name} must be a number")
                if not math.isfinite(value):
                    raise ResultsError(f"record {label}: {info.name} is {value!r}")
                setattr(self, info.name, float(value))
            if info.kind in ("int", "float") and value < 0 and info.name != "task_change_pct":
                raise ResultsError(f"record {label}: {info.name} is negative ({value!r})")
        if self.task_metric is not None and self.task_metric not in metrics.TASK_METRICS:
            raise ResultsError(
                f"record {label}: unknown task metric {self.task_metric!r} "
                f"(known: {', '.join(metrics.TASK_METRICS)})"
            )
        for name, total_name in (("flash_breakdown", "flash_bytes"), ("ram_breakdown", "ram_bytes"),
                                 ("function_cycles", None)):
            parts: dict[str, int] = getattr(self, name)
            for key, value in parts.items():
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ResultsError(f"record {label}: {name}[{key!r}] must be an integer >= 0")
            if total_name and parts:
                total = getattr(self, total_name)
                if total is None:
                    setattr(self, total_name, sum(parts.values()))
                elif sum(parts.values()) != total:
                    raise ResultsError(
                        f"record {label}: {name} sums to {sum(parts.values())} bytes but "
                        f"{total_name} is {total}"
                    )

    def _derive(self) -> None:
        if self.variant == "float32" and self.float_task_value is None:
            self.float_task_value = self.task_value
        if self.exe_ms is None and self.cycles is not None and self.clock_hz:
            self.exe_ms = metrics.execution_ms(self.cycles, self.clock_hz)
        if self.cycles_per_mac is None and self.cycles is not None and self.macs:
            self.cycles_per_mac = metrics.cycles_per_mac(self.cycles, self.macs)
        if (self.task_change_pct is None and self.task_metric is not None
                and self.task_value is not None and self.float_task_value):
            self.task_change_pct = metrics.task_change(
                self.task_metric, self.task_value, self.float_task_value
            )
        watts = self.power_w
        if self.energy_uj is None and watts is not None and self.exe_ms is not None:
            self.energy_uj = metrics.energy_uj(self.run_current_ma, self.supply_v, self.exe_ms)
        if self.gops is None and self.macs is not None and self.exe_ms:
            self.gops = metrics.effective_throughput_gops(self.macs, self.exe_ms)
        if self.gops_per_w is None and self.gops is not None and watts:
            self.gops_per_w = metrics.energy_efficiency_gops_per_w(self.gops, watts)

    # -- serialization ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready nested dictionaries (``env`` as a dictionary)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BenchRecord:
        """Rebuild a record from :meth:`to_dict` output.

        Raises:
            ResultsError: On unknown or missing keys or invalid values.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ResultsError(f"unknown record fields: {', '.join(unknown)}")
        values = dict(data)
        env = values.get("env")
        if not isinstance(env, dict):
            raise ResultsError("record has no environment (env)")
        try:
            values["env"] = Environment(**env)
            return cls(**values)
        except TypeError as exc:
            raise ResultsError(f"invalid record: {exc}") from exc


def ordered_parts(parts: dict[str, int], known: tuple[str, ...]) -> list[tuple[str, int]]:
    """Breakdown parts in display order: the ``known`` parts first, in order, then the others
    by name.

    Args:
        parts: A breakdown (e.g. ``record.flash_breakdown``).
        known: The known part names (:data:`FLASH_PARTS` or :data:`RAM_PARTS`).
    """
    first = [(name, parts[name]) for name in known if name in parts]
    return first + sorted((k, v) for k, v in parts.items() if k not in known)


def record_fields() -> list[FieldInfo]:
    """Name, unit, kind and description of every :class:`BenchRecord` field, in order."""
    return [
        FieldInfo(f.name, f.metadata["unit"], f.metadata["kind"], f.metadata["doc"])
        for f in fields(BenchRecord)
    ]


def environment_fields() -> list[FieldInfo]:
    """Name, unit, kind and description of every :class:`Environment` field, in order."""
    return [
        FieldInfo(f.name, f.metadata["unit"], f.metadata["kind"], f.metadata["doc"])
        for f in fields(Environment)
    ]


def field_unit(name: str) -> str:
    """The unit of a record field (empty for unitless fields)."""
    for info in record_fields():
        if info.name == name:
            return info.unit
    raise KeyError(name)


def dumps(value: object) -> str:
    """Canonical JSON (sorted keys, no spaces) used for the JSON columns and exports."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

