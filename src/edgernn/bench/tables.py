"""Terminal tables of a bench run: EdgeMark's columns and the comparison with TFLM."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from edgernn.bench.tflm_reference import load_tflm_reference
from edgernn.report import TableData, build_content
from edgernn.results import BenchRecord

# EdgeMark's columns plus the cycle figures; the report has every column.
TERMINAL_COLUMNS = (
    "Model", "Variant", "Parameters", "MACs", "Error", "Exe (ms)", "Flash (kB)", "RAM (kB)",
    "Cycles", "Cycles/MAC", "Instructions", "Task metric",
)


def _rich(data: TableData, title: str, columns: Sequence[str] | None = None) -> Table:
    keep = [i for i, h in enumerate(data.headers) if columns is None or h in columns]
    table = Table(title=title, title_justify="left")
    for i in keep:
        table.add_column(data.headers[i], justify="right" if data.align[i] == "r" else "left")
    for row in data.rows:
        table.add_row(*(row[i] for i in keep))
    return table


def bench_tables(records: Sequence[BenchRecord]) -> list[Table]:
    """The results table and, for records on TFLM's board, the TFLM comparison."""
    content = build_content(records, load_tflm_reference())
    tables = [_rich(content.results, "edgernn bench", TERMINAL_COLUMNS)]
    if content.tflm is not None and content.tflm.rows:
        columns = [h for h in content.tflm.headers if "Error" not in h and h != "Note"]
        tables.append(
            _rich(content.tflm, "against TFLM (published; ratios TFLM / edgernn)", columns)
        )
    return tables
