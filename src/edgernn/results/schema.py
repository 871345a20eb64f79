"""Schema of the results database and the migrations that build it, version by version.

A database records the migrations applied to it in ``schema_version`` (one row per version).
Opening a database applies the missing steps in one transaction; a database newer than this
code is refused. Never edit a released step: add a new one (docs/results.md, "Migrations").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One schema step: the version it produces, what it does, and its SQL statements."""

    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "records: identity, counts, error, task metric, cycles and time, flash and RAM, env",
        (
            """
            CREATE TABLE records (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                timestamp TEXT NOT NULL,
                model TEXT NOT NULL,
                variant TEXT NOT NULL,
                target TEXT NOT NULL,
                options_key TEXT NOT NULL,
                options_json TEXT NOT NULL,
                parameters INTEGER,
                macs INTEGER,
                edgemark_macs INTEGER,
                error REAL,
                max_abs_error REAL,
                task_metric TEXT,
                task_value REAL,
                float_task_value REAL,
                task_change_pct REAL,
                cycles INTEGER,
                clock_hz REAL,
                exe_ms REAL,
                cycles_per_mac REAL,
                flash_bytes INTEGER,
                flash_json TEXT NOT NULL,
                ram_bytes INTEGER,
                ram_json TEXT NOT NULL,
                env_json TEXT NOT NULL,
                content_key TEXT
            )
            """,
            "CREATE INDEX records_identity ON records "
            "(model, variant, target, options_key, timestamp)",
        ),
    ),
    Migration(
        2,
        "instructions, per-function cycles, energy, throughput and energy efficiency",
        (
            "ALTER TABLE records ADD COLUMN instructions INTEGER",
            "ALTER TABLE records ADD COLUMN function_cycles_json TEXT NOT NULL DEFAULT '{}'",
            "ALTER TABLE records ADD COLUMN run_current_ma REAL",
            "ALTER TABLE records ADD COLUMN supply_v REAL",
            "ALTER TABLE records ADD COLUMN energy_uj REAL",
            "ALTER TABLE records ADD COLUMN gops REAL",
            "ALTER TABLE records ADD COLUMN gops_per_w REAL",
            # Throughput (survey Eq. 25) needs only columns version 1 had: fill it in.
            "UPDATE records SET gops = 2.0 * macs / (exe_ms * 1e6) "
            "WHERE macs IS NOT NULL AND exe_ms > 0",
            "CREATE INDEX records_content_key ON records (content_key)",
        ),
    ),
)

SCHEMA_VERSION: int = MIGRATIONS[-1].version

VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_utc TEXT NOT NULL
)
"""

# Record fields stored as JSON text, and their columns.
JSON_COLUMNS: dict[str, str] = {
    "options": "options_json",
    "flash_breakdown": "flash_json",
    "ram_breakdown": "ram_json",
    "function_cycles": "function_cycles_json",
    "env": "env_json",
}

# Record fields not stored as columns of their own (the id is the row id; the options key is
# stored as options_key next to options_json).
NOT_STORED: frozenset[str] = frozenset({"id"})
