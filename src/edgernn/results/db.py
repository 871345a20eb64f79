"""The results database: one SQLite row per measured record (docs/results.md).

Writes are transactional: each record is inserted in its own ``BEGIN IMMEDIATE`` transaction and
committed before the next one, so an interrupted run keeps every record already stored and never
leaves a half-written row. The database runs in WAL mode with a busy timeout, so several
processes can write to it at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from edgernn.results.compare import Comparison, compare_records
from edgernn.results.errors import ResultsError
from edgernn.results.records import BenchRecord, OptionValue, dumps, options_key, utc_now
from edgernn.results.schema import (
    JSON_COLUMNS,
    MIGRATIONS,
    NOT_STORED,
    SCHEMA_VERSION,
    VERSION_TABLE,
)

DEFAULT_DB_NAME = "edgernn-results.sqlite"
DB_ENV_VAR = "EDGERNN_DB"
DEFAULT_TIMEOUT_S = 60.0


def resolve_db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """The database path: ``db`` if given, else ``$EDGERNN_DB``, else ``./edgernn-results.sqlite``.

    Args:
        db: An explicit path (the CLI's ``--db``), or ``None``.

    Returns:
        The path (not necessarily existing).
    """
    if db is not None and str(db):
        return Path(db)
    from_env = os.environ.get(DB_ENV_VAR, "")
    return Path(from_env) if from_env else Path.cwd() / DEFAULT_DB_NAME


@dataclass(frozen=True)
class RecordFilter:
    """Which records :meth:`ResultsDB.list` returns. Unset fields do not filter.

    Attributes:
        model: Model key(s).
        variant: Variant(s).
        target: Target name(s).
        options: Build options, as a dictionary or a canonical key (``opt=O2,weights=flash``).
        content_key: Cache key of the inputs.
        since: Only records measured at or after this UTC ISO 8601 time.
        latest_only: Keep only the newest record of each (model, variant, target, options).
        limit: At most this many records (the newest ones), after the other filters.
    """

    model: str | Sequence[str] | None = None
    variant: str | Sequence[str] | None = None
    target: str | Sequence[str] | None = None
    options: dict[str, OptionValue] | str | None = None
    content_key: str | None = None
    since: str | None = None
    latest_only: bool = False
    limit: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL ``WHERE`` clause (empty when nothing filters) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        for column in ("model", "variant", "target"):
            value = getattr(self, column)
            if value is None:
                continue
            values = [value] if isinstance(value, str) else list(value)
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
        if self.options is not None:
            clauses.append("options_key = ?")
            params.append(self.options if isinstance(self.options, str)
                          else options_key(self.options))
        if self.content_key is not None:
            clauses.append("content_key = ?")
            params.append(self.content_key)
        if self.since is not None:
            clauses.append("timestamp >= ?")
            params.append(self.since)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def record_to_row(record: BenchRecord) -> dict[str, Any]:
    """The column values of a record (its id excluded)."""
    row: dict[str, Any] = {}
    for f in fields(BenchRecord):
        if f.name in NOT_STORED:
            continue
        value = getattr(record, f.name)
        if f.name in JSON_COLUMNS:
            row[JSON_COLUMNS[f.name]] = dumps(asdict(value) if f.name == "env" else value)
        else:
            row[f.name] = value
    row["options_key"] = record.options_key
    row["timestamp"] = record.timestamp
    return row


def row_to_record(row: sqlite3.Row) -> BenchRecord:
    """Rebuild a record from a ``records`` row."""
    data: dict[str, Any] = {}
    columns = set(row.keys())
    for f in fields(BenchRecord):
        if f.name == "id":
            data["id"] = row["id"]
        elif f.name in JSON_COLUMNS:
            data[f.name] = json.loads(row[JSON_COLUMNS[f.name]])
        elif f.name in columns:
            data[f.name] = row[f.name]
    return BenchRecord.from_dict(data)


class ResultsDB:
    """A results database (SQLite), migrated to the current schema when opened.

    Use as a context manager or call :meth:`close`.

    Args:
        path: Database file; ``None`` means :func:`resolve_db_path` (``$EDGERNN_DB`` or
            ``./edgernn-results.sqlite``).
        create: Create the file if it does not exist; otherwise a missing file is an error.
        timeout_s: How long a write waits for another process holding the lock.

    Raises:
        ResultsError: If the file is missing (``create=False``), not a SQLite database, or was
            written by a newer edgernn.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        create: bool = True,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.path = resolve_db_path(path)
        if not self.path.exists():
            if not create:
                raise ResultsError(
                    f"no results database at {self.path} (run `edgernn bench` or pass --db)"
                )
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.timeout_s = timeout_s
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=timeout_s, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise ResultsError(f"cannot open results database {self.path}: {exc}") from exc
        self._conn.row_factory = sqlite3.Row
        try:
            self._setup()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise ResultsError(f"{self.path} is not a usable results database: {exc}") from exc
        except BaseException:
            self._conn.close()
            raise

    # -- connection ---------------------------------------------------------------------------

    def _retry(self, sql: str) -> list[sqlite3.Row]:
        """Run a statement, retrying while another process holds a lock it needs."""
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                return self._conn.execute(sql).fetchall()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _setup(self) -> None:
        self._conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
        mode = self._retry("PRAGMA journal_mode = WAL")[0][0]
        if str(mode).lower() != "wal":
            raise ResultsError(f"{self.path}: cannot switch the database to WAL mode ({mode})")
        # FULL: a committed record survives a power cut too, not only a killed process.
        self._conn.execute("PRAGMA synchronous = FULL")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with BEGIN IMMEDIATE (waits for other writers)."""
        self._retry("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _stored_version(self) -> int:
        self._conn.execute(VERSION_TABLE)
        return int(
            self._conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
        )

    def _migrate(self) -> None:
        tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master")}
        if "schema_version" in tables and self._read_version() == SCHEMA_VERSION:
            return
        with self._write() as conn:
            current = self._stored_version()
            if current > SCHEMA_VERSION:
                raise ResultsError(
                    f"{self.path} has schema version {current}, newer than this edgernn "
                    f"understands ({SCHEMA_VERSION}); upgrade edgernn"
                )
            for migration in MIGRATIONS:
                if migration.version <= current:
                    continue
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, description, applied_utc) "
                    "VALUES (?, ?, ?)",
                    (migration.version, migration.description, utc_now()),
                )

    def _read_version(self) -> int:
        return int(
            self._conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
        )

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        return self._read_version()

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> ResultsDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])

    # -- writing ------------------------------------------------------------------------------

    def add(self, record: BenchRecord) -> int:
        """Store one record in its own transaction.

        Args:
            record: The record; its ``id`` is ignored (and left unchanged).

        Returns:
            The new row id.
        """
        row = record_to_row(record)
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        with self._write() as conn:
            cursor = conn.execute(
                f"INSERT INTO records ({columns}) VALUES ({marks})", list(row.values())
            )
            return int(cursor.lastrowid)

    def add_many(self, records: Iterable[BenchRecord]) -> list[int]:
        """Store records one by one, committing each (an interruption keeps those stored)."""
        return [self.add(record) for record in records]

    # -- reading ------------------------------------------------------------------------------

    def get(self, record_id: int) -> BenchRecord:
        """The record with row id ``record_id``.

        Raises:
            ResultsError: If there is no such record.
        """
        row = self._conn.execute("SELECT * FROM records WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise ResultsError(f"no record with id {record_id} in {self.path}")
        return row_to_record(row)

    def list(self, filters: RecordFilter | None = None, **criteria: Any) -> list[BenchRecord]:
        """Records matching ``filters`` (or the same fields as keyword arguments), oldest first.

        Args:
            filters: A :class:`RecordFilter`.
            **criteria: Fields of :class:`RecordFilter`, when ``filters`` is not given.

        Returns:
            The records, in the order they were stored.
        """
        if filters is None:
            try:
                filters = RecordFilter(**criteria)
            except TypeError as exc:
                raise ResultsError(f"unknown record filter: {exc}") from exc
        elif criteria:
            raise ResultsError("pass either a RecordFilter or keyword filters, not both")
        where, params = filters.where()
        rows = self._conn.execute(f"SELECT * FROM records{where} ORDER BY id", params).fetchall()
        records = [row_to_record(row) for row in rows]
        if filters.latest_only:
            newest: dict[tuple[str, str, str, str], BenchRecord] = {}
            for record in records:
                known = newest.get(record.identity)
                if known is None or (record.timestamp, record.id) >= (known.timestamp, known.id):
                    newest[record.identity] = record
            records = sorted(newest.values(), key=lambda r: r.id or 0)
        if filters.limit is not None:
            records = records[-filters.limit:] if filters.limit > 0 else []
        return records

    def latest(
        self,
        model: str,
        variant: str,
        target: str,
        options: dict[str, OptionValue] | str | None = None,
    ) -> BenchRecord | None:
        """The newest record of (model, variant, target[, options]), or ``None``.

        Args:
            model: Model key.
            variant: Variant.
            target: Target name.
            options: Build options or their canonical key; ``None`` matches any options.
        """
        where, params = RecordFilter(
            model=model, variant=variant, target=target, options=options
        ).where()
        row = self._conn.execute(
            f"SELECT * FROM records{where} ORDER BY timestamp DESC, id DESC LIMIT 1", params
        ).fetchone()
        return None if row is None else row_to_record(row)

    def find(self, content_key: str) -> BenchRecord | None:
        """The newest record with this content (cache) key, or ``None``."""
        row = self._conn.execute(
            "SELECT * FROM records WHERE content_key = ? ORDER BY timestamp DESC, id DESC LIMIT 1",
            (content_key,),
        ).fetchone()
        return None if row is None else row_to_record(row)

    def compare(self, id_a: int, id_b: int) -> Comparison:
        """Metric-by-metric comparison of two stored records (delta = b - a, ratio = b / a)."""
        return compare_records(self.get(id_a), self.get(id_b))

    def export(
        self,
        path: str | os.PathLike[str],
        format: str | None = None,
        filters: RecordFilter | None = None,
    ) -> Path:
        """Write the records (all, or those matching ``filters``) to a CSV or JSON file.

        Args:
            path: Output file.
            format: ``csv`` or ``json``; ``None`` takes it from the file suffix.
            filters: Which records to export.

        Returns:
            The path written.
        """
        from edgernn.results.export import export_records

        return export_records(self.list(filters), path, format=format)
