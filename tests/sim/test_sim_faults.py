"""Broken firmware ends with a clear error naming the PC and symbol, never a hang."""

from __future__ import annotations

import pytest
from simfw import TEST_MEMORY, build_elf, snippet_elf

from edgernn.errors import EdgernnError, SimulationError
from edgernn.sim import (
    CpuException,
    FaultHandlerEntered,
    MemoryFault,
    MemoryMap,
    RunLimitExceeded,
    Simulator,
    StackOverflow,
    simulate,
)


def test_read_of_unmapped_memory(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "ldr r3, [r2]", setup="ldr r2, =0x30000000")
    with pytest.raises(MemoryFault) as info:
        simulate(elf, TEST_MEMORY)
    fault = info.value
    assert (fault.access, fault.address) == ("read", 0x3000_0000)
    assert "main+0x" in fault.where and f"0x{fault.pc:08x}" in str(fault)
    assert "0x30000000" in str(fault)


def test_write_to_flash(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "str r3, [r2]", setup="ldr r2, =0x08000100")
    with pytest.raises(MemoryFault, match=r"write to read-only .* \(flash\)") as info:
        simulate(elf, TEST_MEMORY)
    assert info.value.address == 0x0800_0100


def test_jump_to_unmapped_code(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "bx r2", setup="ldr r2, =0x30000001")
    with pytest.raises(MemoryFault) as info:
        simulate(elf, TEST_MEMORY)
    assert info.value.access == "fetch" and info.value.address == 0x3000_0000


def test_entering_the_hardfault_handler(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "bl HardFault_Handler")
    with pytest.raises(FaultHandlerEntered, match="HardFault_Handler"):
        simulate(elf, TEST_MEMORY)


def test_undefined_instruction(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "udf #7")
    with pytest.raises(CpuException, match=r"undefined instruction .* at 0x[0-9a-f]+ \(main\+"):
        simulate(elf, TEST_MEMORY)


def test_infinite_loop_hits_the_instruction_limit(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "1: b 1b")
    with pytest.raises(RunLimitExceeded, match="instruction limit .* did not terminate"):
        simulate(elf, TEST_MEMORY, max_instructions=100_000)


def test_infinite_loop_hits_the_cycle_limit(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "1: adds r2, #1\n b 1b")
    with pytest.raises(RunLimitExceeded, match="cycle limit"):
        simulate(elf, TEST_MEMORY, max_cycles=50_000)


def test_infinite_loop_hits_the_wall_clock_limit(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "1: b 1b")
    with pytest.raises(RunLimitExceeded, match="wall-clock limit"):
        simulate(elf, TEST_MEMORY, timeout_s=0.3)


_RECURSE_C = """\
__attribute__((noinline)) int recurse(int n)
{
    volatile char frame[256];
    frame[0] = (char)n;
    return n ? recurse(n - 1) + frame[0] : 0;
}
int main(void) { return recurse(100); }   /* ~26 KiB of stack; 8 KiB reserved */
"""


def test_stack_overflow_below_the_stack_limit(tmp_path) -> None:
    elf = build_elf(tmp_path, {"recurse.c": _RECURSE_C})
    with pytest.raises(StackOverflow, match=r"below the stack limit 0x2000e000 .*recurse\+"):
        simulate(elf, TEST_MEMORY)


_NO_FPU_START = """\
    .syntax unified
    .cpu cortex-m4
    .fpu fpv4-sp-d16
    .thumb
    .section .vectors, "a"
    .word _estack
    .word start
    .text
    .type start, %function
    .thumb_func
start:                       /* forgets to enable the FPU in CPACR */
    vadd.f32 s0, s0, s1
    bkpt #0
    .size start, .-start
"""


def test_fpu_instruction_with_fpu_disabled(tmp_path) -> None:
    elf = build_elf(tmp_path, {"start.S": _NO_FPU_START}, startup=False)
    with pytest.raises(CpuException, match="CPACR .* NOCP"):
        simulate(elf, TEST_MEMORY)


def test_region_end_without_start_is_an_error(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "nop", setup="bkpt #2")
    with pytest.raises(SimulationError, match="bkpt #2 .* without bkpt #1"):
        simulate(elf, TEST_MEMORY)


def test_elf_outside_the_memory_map(tmp_path) -> None:
    elf = snippet_elf(tmp_path, "nop")
    small = MemoryMap(flash_base=0x0000_0000, flash_size=64 * 1024, sram_base=0x2000_0000,
                      sram_size=64 * 1024)
    with pytest.raises(SimulationError, match="outside the memory map"):
        Simulator(elf, small)


def test_every_failure_is_an_edgernn_error() -> None:
    for cls in (MemoryFault, FaultHandlerEntered, StackOverflow, CpuException, RunLimitExceeded):
        assert issubclass(cls, SimulationError) and issubclass(cls, EdgernnError)
