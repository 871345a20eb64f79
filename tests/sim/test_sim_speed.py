"""The flash-resident weight workload of the simulation-speed benchmark, checked for results.

Requirement: a 3 M-MAC float inference simulates in under 20 s, i.e. about 16 M instructions
at >= 0.8 M instructions/s with the flash model on. That is a speed bar, so it is measured by the
benchmark ``bench_flash_matvec.py`` next to this file (wall time and rate, to be run on an idle
machine), not asserted here: a wall-clock rate in the test suite fails whenever the machine is
busy. This test runs a quarter of the workload (256 x 256 weights x 12 steps) and checks what
does not depend on the machine: the numbers, the instruction count and the flash stall model.
"""

from __future__ import annotations

import numpy as np
from simfw import L4PLUS_120MHZ, matvec_elf

from edgernn.sim import MemoryMap, MemoryTiming, simulate

N, STEPS = 256, 12
MEMORY = MemoryMap(flash_base=0x0800_0000, flash_size=1 << 20, sram_base=0x2000_0000,
                   sram_size=64 << 10)


def test_flash_matvec_result_and_stalls(tmp_path) -> None:
    rng = np.random.default_rng(1)
    weights = rng.uniform(-0.2, 0.2, (N, N)).astype(np.float32)
    elf = matvec_elf(tmp_path, N, STEPS, weights.tobytes(), MEMORY)
    result = simulate(elf, MEMORY, memory_timing=MemoryTiming(**L4PLUS_120MHZ),
                      outputs=["x"])

    x = np.zeros(N, np.float32)
    x[0] = 1.0
    for _ in range(STEPS):
        x = (np.float32(0.5) * (weights @ x)).astype(np.float32)
    simulated = np.frombuffer(result.outputs["x"], "<f4")
    # FMA and summation order differ from numpy: compare against the vector's scale.
    np.testing.assert_allclose(simulated, x, rtol=0, atol=1e-4 * float(np.abs(x).max()))

    assert result.instructions > 5 * N * N * STEPS
    # Streaming weights through the 8-line data cache: one line fill (5 wait states) per
    # 32 bytes = 8 floats, so about 5/8 stall cycles per MAC.
    macs = N * N * STEPS
    assert 0.6 <= result.flash.data_stall_cycles / macs <= 0.7
