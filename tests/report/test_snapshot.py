"""The Markdown report of a fixed record set, as a snapshot (EDGERNN_UPDATE_SNAPSHOTS=1 rewrites)."""

import os
from pathlib import Path

from report_cases import make_records

from edgernn.report import write_report

SNAPSHOT = Path(__file__).parent / "snapshots" / "report.md"


def test_markdown_report_snapshot(tmp_path):
    text = write_report(make_records(), tmp_path).markdown.read_text(encoding="utf-8")
    if os.environ.get("EDGERNN_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8")
