"""Writing the report: Markdown and self-contained HTML (plots embedded) from the content."""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import jinja2

from edgernn.bench.tflm_reference import TflmReference, load_tflm_reference
from edgernn.report.content import DEFINITIONS, TableData, build_content
from edgernn.report.plots import PlotInfo, write_plots
from edgernn.results.db import RecordFilter, ResultsDB
from edgernn.results.errors import ResultsError
from edgernn.results.records import BenchRecord

MARKDOWN_FILE = "report.md"
HTML_FILE = "report.html"
PLOTS_DIR = "plots"


@dataclass(frozen=True)
class ReportPaths:
    """The files a report consists of.

    Attributes:
        markdown: The Markdown report (plots referenced as ``plots/NAME.png``).
        html: The self-contained HTML report (plots embedded as data URIs).
        plots: The PNG plots, by name (params_macs, error, exe_time, flash, ram).
    """

    markdown: Path
    html: Path
    plots: dict[str, Path]


def _escape_md(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def markdown_table(table: TableData) -> str:
    """A GitHub-flavoured Markdown table (cells with ``|`` escaped)."""
    marks = {"l": ":--", "r": "--:"}
    lines = [
        "| " + " | ".join(_escape_md(h) for h in table.headers) + " |",
        "| " + " | ".join(marks[a] for a in table.align) + " |",
    ]
    lines += ["| " + " | ".join(_escape_md(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("edgernn.report", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md_table"] = markdown_table
    env.filters["data_uri"] = _data_uri
    return env


def _reference(tflm: TflmReference | Literal["published"] | None) -> TflmReference | None:
    return load_tflm_reference() if tflm == "published" else tflm  # type: ignore[return-value]


def write_report(
    records: Sequence[BenchRecord],
    out_dir: str | os.PathLike[str],
    tflm: TflmReference | Literal["published"] | None = "published",
    *,
    title: str = "edgernn benchmark report",
) -> ReportPaths:
    """Write the benchmark report: ``report.md``, ``report.html`` and ``plots/*.png``.

    Args:
        records: The records to report (rows are sorted; the order given does not matter).
        out_dir: Output directory (created).
        tflm: Published figures to compare with: ``"published"`` (EdgeMark's TFLM figures),
            another :class:`TflmReference`, or ``None`` for no comparison.
        title: Report title.

    Returns:
        The paths written.

    Raises:
        ResultsError: If there are no records.
    """
    if not records:
        raise ResultsError("no records to report")
    out = Path(out_dir)
    reference = _reference(tflm)
    content = build_content(records, reference, title)
    plots: list[PlotInfo] = write_plots(records, reference, out / PLOTS_DIR)
    context = {
        "c": content,
        "plots": plots,
        "plots_dir": PLOTS_DIR,
        "definitions": DEFINITIONS,
    }
    markdown = out / MARKDOWN_FILE
    markdown.write_text(
        _environment(False).get_template("report.md.j2").render(context), encoding="utf-8"
    )
    html = out / HTML_FILE
    html.write_text(
        _environment(True).get_template("report.html.j2").render(context), encoding="utf-8"
    )
    return ReportPaths(markdown=markdown, html=html, plots={p.name: p.path for p in plots})


def write_report_from_db(
    out_dir: str | os.PathLike[str],
    db: str | os.PathLike[str] | None = None,
    filters: RecordFilter | None = None,
    tflm: TflmReference | Literal["published"] | None = "published",
) -> ReportPaths:
    """``edgernn report``: the report of the newest record of each measurement in the database.

    Args:
        out_dir: Output directory.
        db: Database path; ``None``: ``$EDGERNN_DB`` or ``./edgernn-results.sqlite``.
        filters: Which records; default: the newest of each (model, variant, target, options).
        tflm: As for :func:`write_report`.

    Returns:
        The paths written.

    Raises:
        ResultsError: If the database is missing or no record matches.
    """
    with ResultsDB(db, create=False) as database:
        records = database.list(filters or RecordFilter(latest_only=True))
        if not records:
            raise ResultsError(f"no matching records in {database.path}")
    return write_report(records, out_dir, tflm)
