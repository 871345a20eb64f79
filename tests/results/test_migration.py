"""Migrations: a database written at schema version 1 opens, migrates and keeps its rows."""

import json
import sqlite3
from pathlib import Path

import pytest
from results_cases import make_record

from edgernn.results import MIGRATIONS, SCHEMA_VERSION, ResultsDB

V1_SCHEMA = Path(__file__).parent / "fixtures" / "schema_v1.sql"

V1_ROW = {
    "timestamp": "2025-12-01T09:30:00Z", "model": "gru", "variant": "int8",
    "target": "nucleo-l4r5zi", "options_key": "opt=O2", "options_json": '{"opt":"O2"}',
    "parameters": 20896, "macs": 2048000, "edgemark_macs": 2094400, "error": 0.02,
    "max_abs_error": 0.05, "task_metric": "test_mse", "task_value": 0.084,
    "float_task_value": 0.0834, "task_change_pct": -0.719, "cycles": 4800000,
    "clock_hz": 120000000.0, "exe_ms": 40.0, "cycles_per_mac": 2.34375, "flash_bytes": 30000,
    "flash_json": '{"weights":21000,"kernels":9000}', "ram_bytes": 2000,
    "ram_json": '{"bss":1200,"stack":800}',
    "env_json": json.dumps({"edgernn_version": "0.0.9", "git_commit": None, "compiler": "gcc",
                            "compiler_flags": "-O2", "cycle_model": "m4 0", "host": "old",
                            "timestamp": "2025-12-01T09:30:00Z"}),
    "content_key": "old-key",
}


def make_v1_database(path: Path) -> None:
    """A database exactly as edgernn wrote it at schema version 1, with one row."""
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA.read_text())
    columns = ", ".join(V1_ROW)
    conn.execute(f"INSERT INTO records ({columns}) VALUES ({', '.join('?' * len(V1_ROW))})",
                 list(V1_ROW.values()))
    conn.commit()
    conn.close()


def test_the_v1_fixture_is_what_migration_1_builds(tmp_path):
    """The frozen fixture and the shipped first step agree (a released step never changes)."""
    fixture, shipped = sqlite3.connect(tmp_path / "a.sqlite"), sqlite3.connect(tmp_path / "b.sqlite")
    fixture.executescript(V1_SCHEMA.read_text())
    for statement in MIGRATIONS[0].statements:
        shipped.execute(statement)
    columns = "SELECT name, type, \"notnull\" FROM pragma_table_info('records')"
    assert fixture.execute(columns).fetchall() == shipped.execute(columns).fetchall()


def test_opening_a_v1_database_migrates_it_and_keeps_the_row(tmp_path):
    path = tmp_path / "old.sqlite"
    make_v1_database(path)
    assert SCHEMA_VERSION > 1
    with ResultsDB(path) as db:
        assert db.schema_version == SCHEMA_VERSION
        (old,) = db.list()
        assert (old.id, old.model, old.variant, old.cycles, old.exe_ms) == (1, "gru", "int8", 4800000, 40.0)
        assert old.flash_breakdown == {"weights": 21000, "kernels": 9000}
        assert old.env.edgernn_version == "0.0.9"
        # Columns added by version 2: empty, or filled from version-1 columns.
        assert old.instructions is None and old.function_cycles == {} and old.energy_uj is None
        assert old.gops == pytest.approx(2 * 2048000 / 0.040 / 1e9)
        new_id = db.add(make_record(index=1))
        assert [r.id for r in db.list()] == [1, new_id]
    versions = sqlite3.connect(path).execute("SELECT version FROM schema_version").fetchall()
    assert versions == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
    with ResultsDB(path) as db:  # reopening is a no-op
        assert len(db) == 2
