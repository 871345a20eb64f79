"""Metric-by-metric comparison of two records."""

from __future__ import annotations

from dataclasses import dataclass

from edgernn.results.records import (
    FLASH_PARTS,
    RAM_PARTS,
    BenchRecord,
    ordered_parts,
    record_fields,
)

# Fields that are inputs or identity rather than comparable measurements.
_SKIPPED = frozenset({"id", "clock_hz", "run_current_ma", "supply_v", "float_task_value"})


@dataclass(frozen=True)
class ComparisonRow:
    """One metric of two records: values, delta ``b - a`` and ratio ``b / a`` (None if undefined).

    Attributes:
        metric: Field name; breakdown parts as ``flash.weights``, ``ram.stack``, per-function
            cycles as ``cycles[function]``.
        unit: Unit of the values and of the delta.
        a: Value of the first record.
        b: Value of the second record.
        delta: ``b - a``.
        ratio: ``b / a`` (below 1: the second record is lower).
    """

    metric: str
    unit: str
    a: float | None
    b: float | None
    delta: float | None
    ratio: float | None


@dataclass(frozen=True)
class Comparison:
    """Two records and their per-metric :class:`ComparisonRow` list."""

    a: BenchRecord
    b: BenchRecord
    rows: list[ComparisonRow]

    def row(self, metric: str) -> ComparisonRow:
        """The row of one metric.

        Raises:
            KeyError: If the metric is not compared.
        """
        for row in self.rows:
            if row.metric == metric:
                return row
        raise KeyError(metric)


def _row(metric: str, unit: str, a: float | None, b: float | None) -> ComparisonRow:
    delta = b - a if a is not None and b is not None else None
    ratio = b / a if a is not None and b is not None and a != 0 else None
    return ComparisonRow(metric, unit, a, b, delta, ratio)


def compare_records(a: BenchRecord, b: BenchRecord) -> Comparison:
    """Compare every numeric metric, breakdown part and function of two records.

    Args:
        a: The first (baseline) record.
        b: The second record.

    Returns:
        The comparison; rows in record-field order, then flash and RAM parts, then functions
        (by cycles in ``a``, descending, then by name).
    """
    rows: list[ComparisonRow] = []
    for info in record_fields():
        if info.kind in ("int", "float") and info.name not in _SKIPPED:
            rows.append(_row(info.name, info.unit, getattr(a, info.name), getattr(b, info.name)))
    for prefix, name, known in (("flash", "flash_breakdown", FLASH_PARTS),
                                ("ram", "ram_breakdown", RAM_PARTS)):
        parts_a: dict[str, int] = getattr(a, name)
        parts_b: dict[str, int] = getattr(b, name)
        for part, _ in ordered_parts({**parts_b, **parts_a}, known):
            rows.append(_row(f"{prefix}.{part}", "bytes", parts_a.get(part), parts_b.get(part)))
    functions = sorted(
        set(a.function_cycles) | set(b.function_cycles),
        key=lambda fn: (-a.function_cycles.get(fn, -1), fn),
    )
    for fn in functions:
        rows.append(
            _row(f"cycles[{fn}]", "cycles", a.function_cycles.get(fn), b.function_cycles.get(fn))
        )
    return Comparison(a=a, b=b, rows=rows)
