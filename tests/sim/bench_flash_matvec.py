"""Measure simulation speed on a 3-million-MAC float workload with its weights in flash.

Run: ``.venv/bin/python tests/sim/bench_flash_matvec.py`` (prints wall time and rates).
512 x 512 float weights (1 MiB, in flash) x 12 steps = 3.1 M multiply-accumulates, simulated
with the STM32L4+ flash timing (5 wait states, ART caches and prefetch).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from simfw import L4PLUS_120MHZ, matvec_elf  # noqa: E402

from edgernn.sim import MemoryMap, MemoryTiming, simulate  # noqa: E402

N, STEPS = 512, 12
MEMORY = MemoryMap(flash_base=0x0800_0000, flash_size=2 << 20, sram_base=0x2000_0000,
                   sram_size=640 << 10)


def main() -> None:
    weights = np.random.default_rng(0).uniform(-0.05, 0.05, (N, N)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        elf = matvec_elf(Path(tmp), N, STEPS, weights.tobytes(), MEMORY)
        for name, timing in (("zero-wait", MemoryTiming.zero_wait()),
                             ("stm32l4+ 120 MHz", MemoryTiming(**L4PLUS_120MHZ))):
            start = time.perf_counter()
            result = simulate(elf, MEMORY, memory_timing=timing)
            wall = time.perf_counter() - start
            macs = N * N * STEPS
            print(f"{name:18s} MACs {macs:,}  instructions {result.instructions:,}  "
                  f"region cycles {result.region.cycles:,} ({result.region.cycles / macs:.2f}"
                  f"/MAC)  wall {wall:.2f} s  {result.instructions / wall / 1e6:.2f} M instr/s")
            print(f"{'':18s} {result.flash}")


if __name__ == "__main__":
    main()
