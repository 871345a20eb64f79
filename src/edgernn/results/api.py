"""One library call per ``edgernn results`` command (the CLI only parses arguments)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from edgernn.results.compare import Comparison
from edgernn.results.db import RecordFilter, ResultsDB
from edgernn.results.records import BenchRecord

DbPath = str | os.PathLike[str] | None


def store_records(records: list[BenchRecord], db: DbPath = None) -> list[int]:
    """Store records (each in its own transaction) in the database; create it if needed.

    Args:
        records: The records to store.
        db: Database path; ``None``: ``$EDGERNN_DB`` or ``./edgernn-results.sqlite``.

    Returns:
        The new row ids, in order.
    """
    with ResultsDB(db) as database:
        return database.add_many(records)


def results_list(
    db: DbPath = None, filters: RecordFilter | None = None, **criteria: Any
) -> list[BenchRecord]:
    """``edgernn results list``: records matching the filters, oldest first.

    Args:
        db: Database path (see :func:`store_records`). It must exist.
        filters: A :class:`RecordFilter`, or its fields as keyword arguments.
        **criteria: Fields of :class:`RecordFilter`.
    """
    with ResultsDB(db, create=False) as database:
        return database.list(filters, **criteria)


def results_show(record_id: int, db: DbPath = None) -> BenchRecord:
    """``edgernn results show ID``: one stored record (render with ``record_table``)."""
    with ResultsDB(db, create=False) as database:
        return database.get(record_id)


def results_compare(id_a: int, id_b: int, db: DbPath = None) -> Comparison:
    """``edgernn results compare A B``: per-metric delta (B - A) and ratio (B / A)."""
    with ResultsDB(db, create=False) as database:
        return database.compare(id_a, id_b)


def results_export(
    path: str | os.PathLike[str],
    format: str | None = None,
    db: DbPath = None,
    filters: RecordFilter | None = None,
) -> Path:
    """``edgernn results export FILE``: write the (filtered) records to CSV or JSON.

    Args:
        path: Output file.
        format: ``csv`` or ``json``; ``None`` takes it from the suffix.
        db: Database path (see :func:`store_records`). It must exist.
        filters: Which records to export (all by default).

    Returns:
        The path written.
    """
    with ResultsDB(db, create=False) as database:
        return database.export(path, format=format, filters=filters)
