"""docs/results.md documents every column of the schema with the unit the code uses."""

import sqlite3
from pathlib import Path

from edgernn.results import MIGRATIONS, ResultsDB, record_fields
from edgernn.results.schema import JSON_COLUMNS

DOC = Path(__file__).resolve().parents[2] / "docs" / "results.md"


def doc_table(header: str) -> list[list[str]]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(header) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("| "):
            break
        rows.append([cell.strip() for cell in line.strip()[1:-1].replace("\\|", "¦").split(" | ")])
    return rows


def test_every_column_is_documented_with_its_type_and_unit(tmp_path):
    ResultsDB(tmp_path / "r.sqlite").close()
    conn = sqlite3.connect(tmp_path / "r.sqlite")
    columns = {name: kind for _, name, kind, *_ in conn.execute("PRAGMA table_info(records)")}
    documented = {row[0]: row for row in doc_table("| Column | Type | Unit | Description |")}
    assert sorted(documented) == sorted(columns)
    units = {info.name: info.unit for info in record_fields()}
    units.update({column: units[field] for field, column in JSON_COLUMNS.items()})
    for name, (_, kind, unit, description) in documented.items():
        assert kind == columns[name], name
        assert description, name
        if name in units:
            assert unit == (units[name] or "—"), name


def test_every_migration_is_documented():
    rows = doc_table("| Version | Change |")
    assert [int(row[0]) for row in rows] == [m.version for m in MIGRATIONS]
