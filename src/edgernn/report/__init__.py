"""The benchmark report: Markdown and HTML with EdgeMark-style tables and plots."""

from edgernn.report.content import ReportContent, TableData, build_content
from edgernn.report.plots import PlotInfo, write_plots
from edgernn.report.render import ReportPaths, markdown_table, write_report, write_report_from_db

__all__ = [
    "PlotInfo",
    "ReportContent",
    "ReportPaths",
    "TableData",
    "build_content",
    "markdown_table",
    "write_plots",
    "write_report",
    "write_report_from_db",
]
