"""Rendering pipeline rows as a Rich table."""

from __future__ import annotations

from rich.table import Table

from edgernn.bench.pipeline import PipelineRow

METRIC_LABELS = {
    "test_mse": "MSE",
    "test_accuracy": "accuracy",
}


def _metric(row: PipelineRow) -> str:
    for key, label in METRIC_LABELS.items():
        if key in row.metrics:
            return f"{label} {row.metrics[key]:.4g}"
    return ""


def results_table(rows: list[PipelineRow]) -> Table:
    """The float32 host-verification table: counts, test metric and agreement figures."""
    table = Table(title="edgernn float32: train -> generate C -> host run", title_justify="left")
    headers = ("Model", "Parameters", "MACs", "EdgeMark MACs", "Test metric",
               "|torch-golden|", "|C-golden|", "Train (s)")
    for header in headers:
        table.add_column(header, justify="left" if header in ("Model", "Test metric") else "right")
    for row in rows:
        table.add_row(
            row.model, f"{row.parameters}", f"{row.macs}", f"{row.edgemark_macs}", _metric(row),
            f"{row.torch_vs_golden:.2e}", f"{row.c_vs_golden:.2e}", f"{row.train_seconds:.1f}",
        )
    return table
