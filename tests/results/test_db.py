"""The results database: storing, reading, filtering, latest, compare, paths and bad files."""

import sqlite3

import pytest
from results_cases import make_record

from edgernn.results import (
    DB_ENV_VAR,
    SCHEMA_VERSION,
    RecordFilter,
    ResultsDB,
    ResultsError,
    resolve_db_path,
    results_compare,
    results_list,
    results_show,
    store_records,
)


def test_a_stored_record_reads_back_identical(tmp_path):
    record = make_record(index=1)
    with ResultsDB(tmp_path / "r.sqlite") as db:
        record_id = db.add(record)
        assert db.schema_version == SCHEMA_VERSION
        stored = db.get(record_id)
    assert stored.id == record_id and record.id is None
    stored.id = None
    assert stored == record


def test_one_row_per_record_with_scalar_columns_and_json_breakdowns(tmp_path):
    path = tmp_path / "r.sqlite"
    store_records([make_record(index=i) for i in range(3)], db=path)
    conn = sqlite3.connect(path)
    row = conn.execute(
        "SELECT COUNT(*), MIN(exe_ms), MAX(flash_bytes), MIN(options_key), MIN(flash_json) "
        "FROM records"
    ).fetchone()
    assert row[:4] == (3, 50.0, 39500, "opt=O2,weights=flash")
    assert row[4].startswith('{"harness":2300')
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_list_filters_and_latest(tmp_path):
    with ResultsDB(tmp_path / "r.sqlite") as db:
        db.add(make_record("lstm", "int8", index=1))
        db.add(make_record("lstm", "int8", index=3))
        db.add(make_record("lstm", "int8", index=2))  # stored last, measured earlier
        db.add(make_record("gru", "float32", index=4))
        db.add(make_record("gru", "float32", index=5, options={"opt": "Os"}))
        assert [r.id for r in db.list()] == [1, 2, 3, 4, 5]
        assert [r.id for r in db.list(model="lstm")] == [1, 2, 3]
        assert [r.id for r in db.list(model=["lstm", "gru"], variant="float32")] == [4, 5]
        assert [r.id for r in db.list(options="opt=Os")] == [5]
        assert [r.id for r in db.list(options={"opt": "O2", "weights": "flash"})] == [1, 2, 3, 4]
        assert [r.id for r in db.list(RecordFilter(latest_only=True))] == [2, 4, 5]
        assert [r.id for r in db.list(since="2026-02-01T12:00:03Z")] == [2, 4, 5]
        assert [r.id for r in db.list(limit=2)] == [4, 5]
        assert db.list(target="nowhere") == []
        assert db.latest("lstm", "int8", "nucleo-l4r5zi").id == 2
        assert db.latest("gru", "float32", "nucleo-l4r5zi", {"opt": "Os"}).id == 5
        assert db.latest("gru", "int8", "nucleo-l4r5zi") is None
        assert db.find("key-lstm-int8-3").id == 2
        with pytest.raises(ResultsError, match="unknown record filter"):
            db.list(colour="red")


def test_get_of_a_missing_id_is_a_user_error(tmp_path):
    with ResultsDB(tmp_path / "r.sqlite") as db, pytest.raises(ResultsError, match="no record"):
        db.get(42)


def test_compare_gives_delta_and_ratio_per_metric(tmp_path):
    path = tmp_path / "r.sqlite"
    a = make_record("lstm", "float32", index=0, cycles=9_000_000,
                    flash_breakdown={"weights": 107648, "kernels": 3000, "model": 1100,
                                     "harness": 2300, "library": 5000})
    b = make_record("lstm", "int8", index=1, cycles=6_000_000)
    ids = store_records([a, b], db=path)
    comparison = results_compare(*ids, db=path)
    assert comparison.a.variant == "float32" and comparison.b.variant == "int8"
    cycles = comparison.row("cycles")
    assert (cycles.a, cycles.b, cycles.delta) == (9_000_000, 6_000_000, -3_000_000)
    assert cycles.ratio == pytest.approx(2 / 3) and cycles.unit == "cycles"
    assert comparison.row("exe_ms").ratio == pytest.approx(2 / 3)
    weights = comparison.row("flash.weights")
    assert (weights.a, weights.b, weights.unit) == (107648, 27500, "bytes")
    assert comparison.row("cycles[main]").delta == 1000
    assert comparison.row("ram.stack").ratio == 1.0
    names = [row.metric for row in comparison.rows]
    assert names.index("flash.weights") < names.index("flash.library") < names.index("ram.data")


def test_library_calls_for_the_cli(tmp_path, monkeypatch):
    path = tmp_path / "env.sqlite"
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    assert resolve_db_path() == path
    assert resolve_db_path(tmp_path / "other.sqlite") == tmp_path / "other.sqlite"
    store_records([make_record(index=7)])
    assert path.is_file()
    assert [r.model for r in results_list()] == ["lstm"]
    assert results_show(1).cycles == 6_007_000
    monkeypatch.delenv(DB_ENV_VAR)
    monkeypatch.chdir(tmp_path)
    assert resolve_db_path() == tmp_path / "edgernn-results.sqlite"


def test_reading_a_missing_database_does_not_create_it(tmp_path):
    path = tmp_path / "none.sqlite"
    with pytest.raises(ResultsError, match="no results database"):
        results_list(db=path)
    assert not path.exists()


def test_a_file_that_is_not_sqlite_is_a_user_error(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are not the results you are looking for" * 20)
    with pytest.raises(ResultsError, match="not a usable results database"):
        ResultsDB(path)


def test_a_database_from_a_newer_edgernn_is_refused(tmp_path):
    path = tmp_path / "r.sqlite"
    ResultsDB(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (?, 'future', '2030-01-01T00:00:00Z')",
                 (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(ResultsError, match="newer than this edgernn"):
        ResultsDB(path)
