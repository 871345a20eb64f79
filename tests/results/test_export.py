"""CSV and JSON exports round-trip exactly; bad formats and files are user errors."""

import csv
import json

import pytest
from results_cases import make_record

from edgernn.results import ResultsDB, ResultsError, read_export, results_export, store_records


@pytest.fixture
def stored(tmp_path):
    path = tmp_path / "r.sqlite"
    records = [
        make_record(index=0),
        make_record("simple1", "float32", index=1, task_metric="test_accuracy",
                    task_value=0.5, float_task_value=None, function_cycles={}),
        make_record("gru", "int16x8", index=2, cycles=None, run_current_ma=None, error=None,
                    env=make_record().env.__class__(edgernn_version="0.1.0",
                                                    timestamp="2026-03-01T00:00:00Z")),
    ]
    store_records(records, db=path)
    with ResultsDB(path) as db:
        return path, db.list()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_round_trip(tmp_path, stored, fmt):
    db_path, records = stored
    out = results_export(tmp_path / f"out.{fmt}", db=db_path)
    assert read_export(out) == records


def test_csv_has_one_row_per_record_with_units_readable_columns(tmp_path, stored):
    db_path, records = stored
    out = results_export(tmp_path / "all.csv", db=db_path)
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 3
    assert rows[0]["exe_ms"] == "50.0" and rows[0]["options_key"] == "opt=O2,weights=flash"
    assert rows[0]["env_compiler"] == "arm-none-eabi-gcc 13.2.1"
    assert json.loads(rows[0]["flash_breakdown"])["weights"] == 27500
    assert rows[2]["cycles"] == "" and rows[2]["env_host"] == ""


def test_export_with_filters_and_explicit_format(tmp_path, stored):
    db_path, _ = stored
    from edgernn.results import RecordFilter

    out = results_export(tmp_path / "lstm.txt", format="json", db=db_path,
                         filters=RecordFilter(model="lstm"))
    doc = json.loads(out.read_text())
    assert doc["format"] == "edgernn-results" and [r["model"] for r in doc["records"]] == ["lstm"]


def test_bad_exports_are_user_errors(tmp_path, stored):
    db_path, _ = stored
    with pytest.raises(ResultsError, match="unknown export format"):
        results_export(tmp_path / "out.xlsx", db=db_path)
    (tmp_path / "x.json").write_text('{"something": "else"}')
    with pytest.raises(ResultsError, match="not an edgernn results export"):
        read_export(tmp_path / "x.json")
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ResultsError, match="missing columns"):
        read_export(tmp_path / "x.csv")
    with pytest.raises(ResultsError, match="no export file"):
        read_export(tmp_path / "missing.csv")
