"""Records and helper processes for the results-database tests."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from edgernn.results import BenchRecord, Environment, ResultsDB

ENV = dict(
    edgernn_version="0.1.0",
    git_commit="fedcba9876543210fedcba9876543210fedcba98",
    compiler="arm-none-eabi-gcc 13.2.1",
    compiler_flags="-O2 -mcpu=cortex-m4",
    cycle_model="cortex-m4f 1",
    host="test-host",
)


def make_record(
    model: str = "lstm",
    variant: str = "int8",
    *,
    index: int = 0,
    timestamp: str | None = None,
    **overrides: object,
) -> BenchRecord:
    """A complete record; ``index`` varies the measured figures and the default timestamp."""
    values: dict[str, object] = dict(
        model=model, variant=variant, target="nucleo-l4r5zi",
        options={"opt": "O2", "weights": "flash"},
        parameters=26912, macs=2662400, edgemark_macs=2702400,
        error=0.0125 + index * 1e-4, max_abs_error=0.04,
        task_metric="test_mse", task_value=0.0835, float_task_value=0.0833,
        cycles=6_000_000 + 1000 * index, clock_hz=120_000_000.0, instructions=4_800_000,
        flash_breakdown={"weights": 27500, "kernels": 3600, "model": 1100, "harness": 2300,
                         "library": 5000},
        ram_breakdown={"data": 120, "bss": 1400, "stack": 880},
        run_current_ma=12.5, supply_v=3.3,
        function_cycles={"edgernn_lstm_step_s8": 5_000_000, "edgernn_matvec_s8[unrolled]": 900_000,
                         "main": 100_000 + 1000 * index},
        env=Environment(**ENV, timestamp=timestamp or f"2026-02-01T12:{index // 60 % 60:02d}:{index % 60:02d}Z"),
        content_key=f"key-{model}-{variant}-{index}",
    )
    values.update(overrides)
    return BenchRecord(**values)  # type: ignore[arg-type]


def insert_rows(db_path: str, count: int, tag: str, start: Any = None) -> None:
    """Insert ``count`` records (process entry point for the concurrent-writer test).

    ``start`` is a barrier the writers pass together, so they really race (also to create the
    database).
    """
    if start is not None:
        start.wait(timeout=60)
    with ResultsDB(db_path) as db:
        for index in range(count):
            db.add(make_record(index=index, target=f"board-{tag}"))


if __name__ == "__main__":
    # Used by the interruption test: write records until killed, printing progress.
    path, total = sys.argv[1], int(sys.argv[2])
    with ResultsDB(Path(path)) as db:
        for i in range(total):
            db.add(make_record(index=i))
            if i == 20:
                print("started", flush=True)
