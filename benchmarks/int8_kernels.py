"""Where the cycles of the int8 builds go: matrix-vector cycles per MAC and the per-function split.

Usage: python benchmarks/int8_kernels.py [--db edgernn-results.sqlite] [--variant int8]
                                         [--split lstm gru]

Reads the newest record of each (model, variant, weight placement) from a results database
written by ``edgernn bench`` (run it once per placement, e.g. ``edgernn bench --variant int8
--weights flash`` and ``... --weights sram`` with the same ``--db``) and prints, per model:

* milliseconds with the weights in flash and in SRAM (whichever were measured);
* ``matvec cyc/MAC``: the cycles of the matrix-vector kernels (:data:`MATVEC_FUNCTIONS`:
  ``edgernn_matvec_s8``, ``edgernn_matmul2_s8`` and their assembly bodies ``*_dsp4``, the
  one-step and two-step products of every projection and head) divided by the model's matrix
  MACs (the record's ``macs``), per placement;
* ``matvec share``: their part of the inference cycles, per placement;
* then, for the models named with ``--split``, every function's self cycles per inference and
  share (the simulator's per-function attribution, ``BenchRecord.function_cycles``: self
  cycles of each ELF function, callees not included, mean over the check sequences).

The figures are the stored measurements; nothing is simulated here. docs/bench.md.
"""

from __future__ import annotations

import argparse
import sys

from edgernn.results.api import results_list
from edgernn.results.records import BenchRecord

#: The matrix-vector kernels of the int8 variant: one-vector and two-vector products (the
#: C entry points handle row and column remainders, the ``_dsp4`` bodies the four-row blocks).
MATVEC_FUNCTIONS = ("edgernn_matvec_s8", "edgernn_matvec_s8_dsp4", "edgernn_matmul2_s8",
                    "edgernn_matmul2_s8_dsp4")
PLACEMENTS = ("flash", "sram")


def newest(records: list[BenchRecord], variant: str) -> dict[tuple[str, str], BenchRecord]:
    """The newest record per (model, placement) of ``variant`` (records come oldest first)."""
    chosen: dict[tuple[str, str], BenchRecord] = {}
    for record in records:
        if record.variant == variant and record.cycles:
            chosen[(record.model, str(record.options.get("weights", "flash")))] = record
    return chosen


def matvec_cycles(record: BenchRecord) -> int:
    """Self cycles of the matrix-vector kernels in one inference."""
    return sum(record.function_cycles.get(name, 0) for name in MATVEC_FUNCTIONS)


def _cell(values: dict[str, str]) -> str:
    return " / ".join(values.get(p, "-") for p in PLACEMENTS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="results database (default: edgernn's)")
    parser.add_argument("--variant", default="int8")
    parser.add_argument("--split", nargs="*", default=["lstm", "gru"],
                        help="models whose per-function split is printed")
    args = parser.parse_args(argv)
    chosen = newest(results_list(args.db), args.variant)
    if not chosen:
        print(f"no {args.variant} records in the database", file=sys.stderr)
        return 2
    models = sorted({m for m, _ in chosen}, key=lambda m: min(
        r.id or 0 for (mm, _), r in chosen.items() if mm == m))
    print(f"{args.variant}: ms | matvec cyc/MAC | matvec share, each flash / sram")
    print(f"{'model':14s} {'ms':>17s} {'matvec cyc/MAC':>17s} {'matvec share':>15s}")
    for model in models:
        ms, per_mac, share = {}, {}, {}
        for placement in PLACEMENTS:
            record = chosen.get((model, placement))
            if record is None:
                continue
            mv = matvec_cycles(record)
            ms[placement] = f"{record.exe_ms:.2f}"
            per_mac[placement] = f"{mv / record.macs:.2f}" if record.macs else "-"
            share[placement] = f"{100.0 * mv / record.cycles:.1f}%"
        print(f"{model:14s} {_cell(ms):>17s} {_cell(per_mac):>17s} {_cell(share):>15s}")
    for model in args.split:
        for placement in PLACEMENTS:
            record = chosen.get((model, placement))
            if record is None:
                continue
            print(f"\n{model} {args.variant}, weights in {placement}: {record.cycles} cycles "
                  f"per inference (record {record.id}, commit {record.env.git_commit})")
            for name, cyc in sorted(record.function_cycles.items(), key=lambda kv: -kv[1]):
                if cyc == 0:
                    continue
                print(f"  {name:36s} {cyc:9d} {100.0 * cyc / record.cycles:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
