"""Result records, the results database (SQLite), comparisons and exports (docs/results.md)."""

from edgernn.results.api import (
    results_compare,
    results_export,
    results_list,
    results_show,
    store_records,
)
from edgernn.results.compare import Comparison, ComparisonRow, compare_records
from edgernn.results.db import (
    DB_ENV_VAR,
    DEFAULT_DB_NAME,
    RecordFilter,
    ResultsDB,
    resolve_db_path,
)
from edgernn.results.errors import ResultsError
from edgernn.results.export import export_records, read_export
from edgernn.results.names import MODEL_NAMES, VARIANTS, model_display_name
from edgernn.results.records import (
    FLASH_PARTS,
    RAM_PARTS,
    BenchRecord,
    Environment,
    options_key,
    record_fields,
)
from edgernn.results.schema import MIGRATIONS, SCHEMA_VERSION
from edgernn.results.tables import comparison_table, record_table, records_table

__all__ = [
    "DB_ENV_VAR",
    "DEFAULT_DB_NAME",
    "FLASH_PARTS",
    "MIGRATIONS",
    "MODEL_NAMES",
    "RAM_PARTS",
    "SCHEMA_VERSION",
    "VARIANTS",
    "BenchRecord",
    "Comparison",
    "ComparisonRow",
    "Environment",
    "RecordFilter",
    "ResultsDB",
    "ResultsError",
    "compare_records",
    "comparison_table",
    "export_records",
    "model_display_name",
    "options_key",
    "read_export",
    "record_fields",
    "record_table",
    "records_table",
    "resolve_db_path",
    "results_compare",
    "results_export",
    "results_list",
    "results_show",
    "store_records",
]
