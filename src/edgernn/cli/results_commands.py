"""``edgernn results ...`` and ``edgernn report``: the results database from the command line."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

console = Console(highlight=False, width=None if Console().is_terminal else 160)

DB_HELP = "Results database (default: $EDGERNN_DB or ./edgernn-results.sqlite)."

results_app = typer.Typer(
    name="results", help="List, show, compare and export stored measurements.",
    no_args_is_help=True,
)


def _filters(model: str | None, variant: str | None, target: str | None, latest: bool,
             limit: int | None):
    from edgernn.results import RecordFilter

    return RecordFilter(model=model, variant=variant, target=target, latest_only=latest,
                        limit=limit)


@results_app.command("list")
def list_records(
    model: str | None = typer.Option(None, help="Only this model."),
    variant: str | None = typer.Option(None, help="Only this variant."),
    target: str | None = typer.Option(None, help="Only this target."),
    latest: bool = typer.Option(False, help="Only the newest record of each measurement."),
    limit: int | None = typer.Option(None, min=1, help="At most this many (the newest)."),
    db: str | None = typer.Option(None, help=DB_HELP),
) -> None:
    """List stored measurements, oldest first."""
    from edgernn.results import records_table, results_list

    records = results_list(db, _filters(model, variant, target, latest, limit))
    console.print(records_table(records, title=f"{len(records)} records"))


@results_app.command("show")
def show(
    record_id: int = typer.Argument(..., help="Record id (see `edgernn results list`)."),
    db: str | None = typer.Option(None, help=DB_HELP),
) -> None:
    """Show every metric of one stored measurement."""
    from edgernn.results import record_table, results_show

    console.print(record_table(results_show(record_id, db)))


@results_app.command("compare")
def compare(
    id_a: int = typer.Argument(..., help="First record id (A)."),
    id_b: int = typer.Argument(..., help="Second record id (B)."),
    db: str | None = typer.Option(None, help=DB_HELP),
) -> None:
    """Compare two measurements metric by metric (delta B - A, ratio B / A)."""
    from edgernn.results import comparison_table, results_compare

    console.print(comparison_table(results_compare(id_a, id_b, db)))


@results_app.command("export")
def export(
    path: Path = typer.Argument(..., help="Output file (.csv or .json)."),
    format: str | None = typer.Option(None, "--format", help="csv or json (default: suffix)."),
    model: str | None = typer.Option(None, help="Only this model."),
    variant: str | None = typer.Option(None, help="Only this variant."),
    target: str | None = typer.Option(None, help="Only this target."),
    latest: bool = typer.Option(False, help="Only the newest record of each measurement."),
    db: str | None = typer.Option(None, help=DB_HELP),
) -> None:
    """Export stored measurements to CSV or JSON."""
    from edgernn.results import results_export

    written = results_export(path, format, db, _filters(model, variant, target, latest, None))
    console.print(f"wrote {written}")


def report(
    output: Path = typer.Option(Path("edgernn-out/report"), "-o", "--output",
                                help="Directory for report.md, report.html and plots/."),
    model: str | None = typer.Option(None, help="Only this model."),
    variant: str | None = typer.Option(None, help="Only this variant."),
    target: str | None = typer.Option(None, help="Only this target."),
    db: str | None = typer.Option(None, help=DB_HELP),
) -> None:
    """Write the report (Markdown, HTML, plots) from the newest record of each measurement."""
    from edgernn.report import write_report_from_db
    from edgernn.results import RecordFilter

    filters = RecordFilter(model=model, variant=variant, target=target, latest_only=True)
    paths = write_report_from_db(output, db=db, filters=filters)
    console.print(f"wrote {paths.markdown}, {paths.html} and {len(paths.plots)} plots")
