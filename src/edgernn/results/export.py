"""Exporting records to CSV or JSON, and reading such exports back.

CSV: one row per record; scalar fields as columns (empty = not measured), the build options,
breakdowns and per-function cycles as canonical JSON text, the environment flattened into
``env_<field>`` columns. JSON: ``{"format": "edgernn-results", "schema_version": N,
"records": [...]}`` with each record as nested objects. Both round-trip exactly.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

from edgernn.results.errors import ResultsError
from edgernn.results.records import (
    BenchRecord,
    FieldInfo,
    dumps,
    environment_fields,
    record_fields,
)
from edgernn.results.schema import SCHEMA_VERSION

FORMATS: tuple[str, ...] = ("csv", "json")
JSON_FORMAT_NAME = "edgernn-results"


def _format_of(path: Path, format: str | None) -> str:
    chosen = (format or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ResultsError(
            f"unknown export format {chosen or '(none)'!r} for {path} (use: {', '.join(FORMATS)})"
        )
    return chosen


def csv_columns() -> list[str]:
    """The CSV header: record fields (``env`` flattened into ``env_<field>``) and options_key."""
    columns: list[str] = []
    for info in record_fields():
        if info.name == "env":
            columns.extend(f"env_{e.name}" for e in environment_fields())
        else:
            columns.append(info.name)
            if info.name == "options":
                columns.append("options_key")
    return columns


def _csv_row(record: BenchRecord) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for info in record_fields():
        value = getattr(record, info.name)
        if info.name == "env":
            for env_info in environment_fields():
                env_value = getattr(record.env, env_info.name)
                row[f"env_{env_info.name}"] = "" if env_value is None else env_value
        elif info.kind == "json":
            row[info.name] = dumps(value)
        else:
            row[info.name] = "" if value is None else repr(value) if info.kind == "float" else value
        if info.name == "options":
            row["options_key"] = record.options_key
    return row


def export_records(
    records: list[BenchRecord], path: str | os.PathLike[str], format: str | None = None
) -> Path:
    """Write records to a CSV or JSON file.

    Args:
        records: The records, written in the given order.
        path: Output file (parent directories are created).
        format: ``csv`` or ``json``; ``None`` takes it from the file suffix.

    Returns:
        The path written.

    Raises:
        ResultsError: If the format is unknown.
    """
    out = Path(path)
    chosen = _format_of(out, format)
    out.parent.mkdir(parents=True, exist_ok=True)
    if chosen == "json":
        doc = {
            "format": JSON_FORMAT_NAME,
            "schema_version": SCHEMA_VERSION,
            "records": [record.to_dict() for record in records],
        }
        out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return out
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=csv_columns(), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(_csv_row(record))
    return out


def _parse(info: FieldInfo, text: str) -> Any:
    if info.kind == "json":
        return json.loads(text)
    if text == "":
        return None
    if info.kind == "int":
        return int(text)
    if info.kind == "float":
        return float(text)
    return text


def read_export(path: str | os.PathLike[str], format: str | None = None) -> list[BenchRecord]:
    """Read records back from a file written by :func:`export_records`.

    Args:
        path: The CSV or JSON file.
        format: ``csv`` or ``json``; ``None`` takes it from the file suffix.

    Returns:
        The records, in file order, with the ids they had when exported.

    Raises:
        ResultsError: If the file is missing or not an edgernn export.
    """
    source = Path(path)
    chosen = _format_of(source, format)
    if not source.is_file():
        raise ResultsError(f"no export file at {source}")
    try:
        if chosen == "json":
            doc = json.loads(source.read_text(encoding="utf-8"))
            if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT_NAME:
                raise ResultsError(f"{source} is not an edgernn results export")
            return [BenchRecord.from_dict(item) for item in doc["records"]]
        with source.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = set(csv_columns()) - set(reader.fieldnames or [])
            if missing:
                raise ResultsError(
                    f"{source} is not an edgernn results export (missing columns: "
                    f"{', '.join(sorted(missing))})"
                )
            records = []
            env_infos = environment_fields()
            for row in reader:
                data = {
                    info.name: _parse(info, row[info.name])
                    for info in record_fields() if info.name != "env"
                }
                data["env"] = {e.name: _parse(e, row[f"env_{e.name}"]) for e in env_infos}
                records.append(BenchRecord.from_dict(data))
            return records
    except (ValueError, KeyError, TypeError) as exc:
        raise ResultsError(f"{source}: malformed export: {exc}") from exc
