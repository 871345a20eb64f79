"""The report's content as plain tables of strings, shared by the Markdown and HTML renderers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from edgernn.bench.tflm_reference import TflmFigure, TflmReference
from edgernn.results.format import (
    MISSING,
    fmt_fixed,
    fmt_int,
    fmt_kb,
    fmt_ratio,
    fmt_sig,
    fmt_signed_pct,
)
from edgernn.results.metrics import TASK_METRIC_LABELS
from edgernn.results.names import model_display_name, model_sort_key, variant_sort_key
from edgernn.results.records import BenchRecord

OUT_OF_MEMORY = "out of memory"
TOP_FUNCTIONS = 10


@dataclass(frozen=True)
class TableData:
    """A table: headers, rows of formatted cells, and per-column alignment (``l`` or ``r``)."""

    headers: list[str]
    rows: list[list[str]]
    align: list[str]


@dataclass(frozen=True)
class Note:
    """A numbered note under a table."""

    number: int
    text: str


@dataclass(frozen=True)
class FunctionTable:
    """The per-function cycle breakdown of one record."""

    heading: str
    total_cycles: int
    table: TableData


@dataclass(frozen=True)
class ReportContent:
    """Everything the report shows, formatted."""

    title: str
    summary: list[str]
    results: TableData
    tflm_board: str | None
    tflm_source: str | None
    tflm_framework: str
    tflm: TableData | None
    tflm_notes: list[Note] = field(default_factory=list)
    functions: list[FunctionTable] = field(default_factory=list)
    environment: TableData | None = None


def sort_records(records: Sequence[BenchRecord]) -> list[BenchRecord]:
    """Records in report order: EdgeMark model order, variant order, target, options, time, id."""
    return sorted(
        records,
        key=lambda r: (model_sort_key(r.model), variant_sort_key(r.variant), r.target,
                       r.options_key, r.timestamp, r.id or 0),
    )


def several_builds(records: Sequence[BenchRecord]) -> bool:
    """Whether the records span more than one (target, options): then rows name their build."""
    return len({(r.target, r.options_key) for r in records}) > 1


def _task(record: BenchRecord) -> str:
    if record.task_metric is None or record.task_value is None:
        return MISSING
    return f"{TASK_METRIC_LABELS[record.task_metric]} {fmt_sig(record.task_value)}"


# (header, alignment, cell) of the results table: EdgeMark's columns, then edgernn's extras.
RESULT_COLUMNS: list[tuple[str, str, Callable[[BenchRecord], str]]] = [
    ("Parameters", "r", lambda r: fmt_int(r.parameters)),
    ("MACs", "r", lambda r: fmt_int(r.macs)),
    ("EdgeMark MACs", "r", lambda r: fmt_int(r.edgemark_macs)),
    ("Error", "r", lambda r: fmt_sig(r.error, 3)),
    ("Exe (ms)", "r", lambda r: fmt_sig(r.exe_ms)),
    ("Flash (kB)", "r", lambda r: fmt_kb(r.flash_bytes)),
    ("RAM (kB)", "r", lambda r: fmt_kb(r.ram_bytes)),
    ("Cycles", "r", lambda r: fmt_int(r.cycles)),
    ("Cycles/MAC", "r", lambda r: fmt_fixed(r.cycles_per_mac, 2)),
    ("Instructions", "r", lambda r: fmt_int(r.instructions)),
    ("Task metric", "l", _task),
    ("Δ vs float (%)", "r", lambda r: fmt_signed_pct(r.task_change_pct)),
    ("Energy (µJ)", "r", lambda r: fmt_sig(r.energy_uj)),
    ("GOP/s", "r", lambda r: fmt_sig(r.gops, 3)),
    ("GOP/s/W", "r", lambda r: fmt_sig(r.gops_per_w, 3)),
]


def _identity_cells(record: BenchRecord, with_build: bool) -> list[str]:
    cells = [model_display_name(record.model), record.variant]
    return cells + [record.target, record.options_key] if with_build else cells


def _identity_headers(with_build: bool) -> tuple[list[str], list[str]]:
    headers = ["Model", "Variant"] + (["Target", "Options"] if with_build else [])
    return headers, ["l"] * len(headers)


def results_table(records: Sequence[BenchRecord]) -> TableData:
    """The EdgeMark-style table with edgernn's extra columns, one row per record (sorted)."""
    with_build = several_builds(records)
    headers, align = _identity_headers(with_build)
    headers += [c[0] for c in RESULT_COLUMNS]
    align += [c[1] for c in RESULT_COLUMNS]
    rows = [
        _identity_cells(r, with_build) + [cell(r) for _, _, cell in RESULT_COLUMNS]
        for r in sort_records(records)
    ]
    return TableData(headers, rows, align)


def _ratio(reference: float | None, ours: float | None) -> float | None:
    return reference / ours if reference is not None and ours else None


def tflm_table(
    records: Sequence[BenchRecord], reference: TflmReference
) -> tuple[TableData | None, list[Note]]:
    """TFLM's published figures beside edgernn's, with the ratios TFLM / edgernn.

    Only records measured on the reference board, for a (model, variant) TFLM published, are
    compared. A ratio above 1 means edgernn is faster (time) or smaller (flash, RAM).

    Args:
        records: edgernn's records.
        reference: The published figures.

    Returns:
        The table (``None`` when no record is comparable) and its numbered notes.
    """
    comparable = [
        r for r in sort_records(records)
        if reference.matches_target(r.target) and reference.get(r.model, r.variant) is not None
    ]
    if not comparable:
        return None, []
    with_build = several_builds(comparable)
    fw = reference.framework
    headers, align = _identity_headers(with_build)
    headers += [
        f"{fw} Exe (ms)", "edgernn Exe (ms)", f"Speed-up ({fw}/edgernn)",
        f"{fw} Flash (kB)", "edgernn Flash (kB)", f"Flash ratio ({fw}/edgernn)",
        f"{fw} RAM (kB)", "edgernn RAM (kB)", f"RAM ratio ({fw}/edgernn)",
        f"{fw} Error", "edgernn Error", "Note",
    ]
    align += ["r"] * 11 + ["l"]
    rows: list[list[str]] = []
    notes: list[Note] = []
    noted: dict[tuple[str, str], int] = {}
    for record in comparable:
        figure: TflmFigure = reference.get(record.model, record.variant)  # type: ignore[assignment]
        note_cell = ""
        if figure.note or figure.out_of_memory:
            key = (figure.model, figure.variant)
            if key not in noted:
                noted[key] = len(notes) + 1
                notes.append(Note(noted[key], _note_text(figure, record, fw)))
            note_cell = f"[{noted[key]}]"
        if figure.out_of_memory:
            tflm_cells = [OUT_OF_MEMORY, fmt_sig(record.exe_ms), MISSING,
                          OUT_OF_MEMORY, fmt_kb(record.flash_bytes), MISSING,
                          OUT_OF_MEMORY, fmt_kb(record.ram_bytes), MISSING]
        else:
            tflm_cells = [
                fmt_sig(figure.exe_ms), fmt_sig(record.exe_ms),
                fmt_ratio(_ratio(figure.exe_ms, record.exe_ms)),
                fmt_kb(figure.flash_bytes), fmt_kb(record.flash_bytes),
                fmt_ratio(_ratio(figure.flash_bytes, record.flash_bytes)),
                fmt_kb(figure.ram_bytes), fmt_kb(record.ram_bytes),
                fmt_ratio(_ratio(figure.ram_bytes, record.ram_bytes)),
            ]
        rows.append(
            _identity_cells(record, with_build) + tflm_cells
            + [fmt_sig(figure.error, 3), fmt_sig(record.error, 3), note_cell]
        )
    return TableData(headers, rows, align), notes


def _note_text(figure: TflmFigure, record: BenchRecord, framework: str) -> str:
    name = f"{model_display_name(figure.model)} {figure.variant}"
    if figure.out_of_memory:
        text = f"{name} — {framework}: out of memory."
        return f"{text} {figure.note}" if figure.note else text
    text = f"{name}: {figure.note}"
    alt = _ratio(figure.alt_exe_ms, record.exe_ms)
    if alt is not None:
        text += (f" Against {fmt_sig(figure.alt_exe_ms)} ms the speed-up "
                 f"({framework}/edgernn) would be {fmt_ratio(alt)}.")
    return text


def function_tables(
    records: Sequence[BenchRecord], top: int = TOP_FUNCTIONS
) -> list[FunctionTable]:
    """Per-function cycles of each record that has them: the ``top`` functions, the rest summed.

    The share is of the record's cycles per inference (of the functions' sum when the record has
    no total).
    """
    sorted_records = sort_records(records)
    with_build = several_builds(sorted_records)
    tables = []
    for record in sorted_records:
        if not record.function_cycles:
            continue
        heading = f"{model_display_name(record.model)} · {record.variant}"
        if with_build:
            heading += f" · {record.target} · {record.options_key}"
        ranked = sorted(record.function_cycles.items(), key=lambda kv: (-kv[1], kv[0]))
        total = record.cycles or sum(record.function_cycles.values())
        rows = [[name, fmt_int(cycles), fmt_fixed(100.0 * cycles / total, 1)]
                for name, cycles in ranked[:top]]
        rest = ranked[top:]
        if rest:
            rest_cycles = sum(c for _, c in rest)
            rows.append([f"({len(rest)} other functions)", fmt_int(rest_cycles),
                         fmt_fixed(100.0 * rest_cycles / total, 1)])
        tables.append(FunctionTable(
            heading, total, TableData(["Function", "Cycles", "Share (%)"], rows, ["l", "r", "r"])
        ))
    return tables


def _short_commit(commit: str | None) -> str:
    if not commit:
        return MISSING
    head, _, dirty = commit.partition("-")
    return head[:12] + (f"-{dirty}" if dirty else "")


def environment_table(records: Sequence[BenchRecord]) -> TableData:
    """One row per distinct environment (all but the timestamp), with its time span."""
    groups: dict[tuple[str | None, ...], list[BenchRecord]] = {}
    for record in records:
        groups.setdefault(record.env.identity(), []).append(record)
    rows = []
    for members in groups.values():
        env = members[0].env
        times = sorted(r.timestamp for r in members)
        span = times[0] if times[0] == times[-1] else f"{times[0]} – {times[-1]}"
        rows.append([
            str(len(members)), env.edgernn_version, _short_commit(env.git_commit),
            env.compiler or MISSING, env.compiler_flags or MISSING, env.cycle_model or MISSING,
            env.host or MISSING, span,
        ])
    rows.sort(key=lambda row: (row[-1], row[1:]))
    headers = ["Records", "edgernn", "Commit", "Compiler", "Flags", "Cycle model", "Host",
               "Measured (UTC)"]
    return TableData(headers, rows, ["r"] + ["l"] * 7)


def _summary(records: Sequence[BenchRecord]) -> list[str]:
    models = sorted({r.model for r in records}, key=model_sort_key)
    variants = sorted({r.variant for r in records}, key=variant_sort_key)
    targets = sorted({r.target for r in records})
    return [
        f"Records: {len(records)}",
        f"Models: {', '.join(model_display_name(m) for m in models)}",
        f"Variants: {', '.join(variants)}",
        f"Targets: {', '.join(targets)}",
    ]


def build_content(
    records: Sequence[BenchRecord],
    reference: TflmReference | None,
    title: str = "edgernn benchmark report",
) -> ReportContent:
    """Format everything the report shows.

    Args:
        records: The records to report (at least one).
        reference: Published TFLM figures to compare with, or ``None``.
        title: Report title.
    """
    tflm, notes = tflm_table(records, reference) if reference is not None else (None, [])
    return ReportContent(
        title=title,
        summary=_summary(records),
        results=results_table(records),
        tflm_board=reference.board if reference is not None else None,
        tflm_source=reference.source if reference is not None else None,
        tflm_framework=reference.framework if reference is not None else "TFLM",
        tflm=tflm,
        tflm_notes=notes,
        functions=function_tables(records),
        environment=environment_table(sort_records(records)),
    )


# Metric definitions shown at the end of the report (docs/results.md has the full text).
DEFINITIONS: list[tuple[str, str]] = [
    ("Parameters", "weights and biases of the model (Keras' count)."),
    ("MACs", "matrix multiply-accumulates of one inference over all time steps (survey Table 3 "
             "convention); EdgeMark MACs: TF profiler FLOPs / 2, elementwise operations "
             "included (docs/counting.md)."),
    ("Error", "EdgeMark's error: mean |y_float − y_device| over the check inputs divided by the "
              "range (max − min) of y_float."),
    ("Exe (ms)", "time of one inference: cycles / CPU clock."),
    ("Flash, RAM", "whole firmware image (runtime and startup included), kB of 1024 bytes; RAM "
                   "is static data (.data, .bss, weights copied to SRAM), the harness's "
                   "input/output buffers and the measured peak stack."),
    ("Cycles/MAC", "cycles per matrix MAC."),
    ("Δ vs float", "change of the task metric against the float model, survey (Rezk et al. "
                   "2020) Eq. 22: (−1)^α · (V_a − V_b) / V_b · 100, α = 1 for MSE (lower is "
                   "better), 0 for accuracy; positive means better than float."),
    ("Energy", "run-mode current × supply voltage × execution time, an estimate from the "
               "board profile's cited run current (see its power.note; for nucleo-l4r5zi a "
               "lower bound)."),
    ("GOP/s", "effective throughput, survey Eq. 25: Q_eff = n_op · n_steps / t_comp with "
              "n_op = 2 × matrix MACs per step."),
    ("GOP/s/W", "energy efficiency Q_eff / P, P = run-mode current × supply voltage (survey, "
                "energy efficiency, case e2)."),
    ("Ratios", "published TFLM figure / edgernn figure: above 1, edgernn is faster or smaller."),
]
