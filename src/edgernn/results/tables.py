"""Rich tables of records for ``edgernn results list|show|compare``."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from edgernn.results.compare import Comparison
from edgernn.results.format import MISSING, fmt_kb, fmt_ratio, fmt_sig
from edgernn.results.metrics import TASK_METRIC_LABELS
from edgernn.results.names import model_display_name
from edgernn.results.records import (
    FLASH_PARTS,
    RAM_PARTS,
    BenchRecord,
    environment_fields,
    ordered_parts,
    record_fields,
)


def _value(value: object) -> str:
    """A cell: floats to 6 significant digits, text escaped from Rich markup."""
    if value is None:
        return MISSING
    if isinstance(value, float):
        return fmt_sig(value, 6)
    return escape(str(value))


def records_table(records: list[BenchRecord], title: str = "edgernn results") -> Table:
    """One line per record: id, time, identity and the headline metrics.

    Args:
        records: The records, shown in the given order.
        title: Table title.
    """
    table = Table(title=title, title_justify="left")
    headers = ("ID", "Time (UTC)", "Model", "Variant", "Target", "Options", "Error", "Exe (ms)",
               "Cycles/MAC", "Flash (kB)", "RAM (kB)", "Task metric")
    for header in headers:
        left = header in ("Time (UTC)", "Model", "Variant", "Target", "Options", "Task metric")
        table.add_column(header, justify="left" if left else "right")
    for r in records:
        task = MISSING
        if r.task_metric is not None and r.task_value is not None:
            task = f"{TASK_METRIC_LABELS[r.task_metric]} {fmt_sig(r.task_value)}"
        table.add_row(
            _value(r.id), r.timestamp, _value(model_display_name(r.model)), _value(r.variant),
            _value(r.target), _value(r.options_key), fmt_sig(r.error, 3), fmt_sig(r.exe_ms),
            fmt_sig(r.cycles_per_mac, 3), fmt_kb(r.flash_bytes), fmt_kb(r.ram_bytes), task,
        )
    return table


def record_table(record: BenchRecord) -> Table:
    """Every field of one record with its unit; breakdowns, functions and environment expanded.

    Args:
        record: The record to show.
    """
    table = Table(
        title=_value(f"record {record.id}: {model_display_name(record.model)} "
                     f"{record.variant} on {record.target} ({record.options_key})"),
        title_justify="left",
    )
    table.add_column("Field")
    table.add_column("Value", justify="right")
    table.add_column("Unit")
    for info in record_fields():
        value = getattr(record, info.name)
        if info.name == "env":
            table.add_section()
            for env_info in environment_fields():
                table.add_row(f"env.{env_info.name}", _value(getattr(record.env, env_info.name)),
                              env_info.unit)
        elif info.name == "options":
            table.add_row("options", _value(record.options_key), "")
        elif info.kind == "json":
            table.add_section()
            if info.name == "function_cycles":
                parts = sorted(value.items(), key=lambda kv: (-kv[1], kv[0]))
            else:
                parts = ordered_parts(value, FLASH_PARTS if "flash" in info.name else RAM_PARTS)
            if not value:
                table.add_row(info.name, MISSING, info.unit)
            for key, part in parts:
                table.add_row(_value(f"{info.name}.{key}"), _value(part), info.unit)
        else:
            table.add_row(info.name, _value(value), info.unit)
    return table


def comparison_table(comparison: Comparison) -> Table:
    """The per-metric rows of a comparison: a, b, delta ``b - a`` and ratio ``b / a``.

    Args:
        comparison: From :meth:`ResultsDB.compare` or :func:`compare_records`.
    """
    a, b = comparison.a, comparison.b
    table = Table(
        title=_value(f"A = record {a.id} ({a.model} {a.variant} {a.target} {a.options_key}) vs "
                     f"B = record {b.id} ({b.model} {b.variant} {b.target} {b.options_key})"),
        title_justify="left",
        caption="ratio = B / A (below 1: B is lower)",
    )
    for header in ("Metric", "Unit", "A", "B", "B - A", "B / A"):
        table.add_column(header, justify="left" if header in ("Metric", "Unit") else "right")
    for row in comparison.rows:
        if row.a is None and row.b is None:
            continue
        table.add_row(_value(row.metric), row.unit, _value(row.a), _value(row.b), _value(row.delta),
                      fmt_ratio(row.ratio))
    return table
