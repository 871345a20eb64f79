"""A hand-written C firmware: instruction counts, inputs/outputs, attribution, stack use."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from simfw import FW_DIR, TEST_MEMORY, build_elf
from unicorn import UC_ARCH_ARM, UC_HOOK_CODE, UC_HOOK_INTR, UC_MODE_MCLASS, UC_MODE_THUMB, Uc
from unicorn import arm_const as ua

from edgernn.sim import CYCLE_MODEL_VERSION, ElfImage, MemoryTiming, Simulator

L4PLUS = MemoryTiming(flash_wait_states=5, prefetch=True,
                      icache={"lines": 32, "line_bytes": 32}, dcache={"lines": 8, "line_bytes": 32})


def _inputs() -> dict[str, bytes]:
    rng = np.random.default_rng(7)
    return {
        "input_a": rng.uniform(-2, 2, 32).astype("<f4").tobytes(),
        "input_b": rng.uniform(-2, 2, 32).astype("<f4").tobytes(),
        "input_ints": rng.integers(-1000, 1000, 16).astype("<i4").tobytes(),
        "input_bytes": rng.integers(0, 256, 64).astype("u1").tobytes(),
    }


@pytest.fixture(params=["-O2", "-O0", "-Os"])
def hand_elf(request, tmp_path):
    return build_elf(tmp_path, {"hand_fw.c": (FW_DIR / "hand_fw.c").read_text()},
                     opt=request.param)


def _plain_unicorn_count(elf, inputs: dict[str, bytes]) -> int:
    """Instructions counted by a bare UC_HOOK_CODE hook, independent of edgernn.sim."""
    image = ElfImage(elf)
    uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS)
    uc.ctl_set_cpu_model(ua.UC_CPU_ARM_CORTEX_M4)
    uc.mem_map(TEST_MEMORY.flash_base, TEST_MEMORY.flash_size)
    uc.mem_map(TEST_MEMORY.sram_base, TEST_MEMORY.sram_size)
    uc.mem_map(0xE000_0000, 0x10_0000)
    for seg in image.segments:
        uc.mem_write(seg.load_address, seg.data)
    for name, data in inputs.items():
        uc.mem_write(image.load_address(image.symbol(name).address), data)
    sp, pc = struct.unpack("<II", uc.mem_read(TEST_MEMORY.flash_base, 8))
    uc.reg_write(ua.UC_ARM_REG_SP, sp)
    count = 0
    stop: list[int] = []

    def on_code(uc, address, size, _):
        nonlocal count
        count += 1

    def on_intr(uc, intno, _):
        stop.append(uc.reg_read(ua.UC_ARM_REG_PC))
        uc.emu_stop()

    uc.hook_add(UC_HOOK_CODE, on_code)
    uc.hook_add(UC_HOOK_INTR, on_intr)
    while True:
        uc.emu_start(pc | 1, 0xFFFF_FFFE)
        pc = stop.pop()
        if uc.mem_read(pc, 1)[0] not in (1, 2):  # bkpt #0 ends the run
            return count
        pc += 2


def test_instruction_count_equals_plain_unicorn_code_hook(hand_elf) -> None:
    inputs = _inputs()
    sim = Simulator(hand_elf, TEST_MEMORY, memory_timing=L4PLUS)
    for name, data in inputs.items():
        sim.write_symbol(name, data)
    result = sim.run()
    assert result.instructions == _plain_unicorn_count(hand_elf, inputs)


def test_outputs_are_correct_and_cycles_are_attributed(hand_elf) -> None:
    inputs = _inputs()
    sim = Simulator(hand_elf, TEST_MEMORY, memory_timing=L4PLUS)
    for name, data in inputs.items():
        sim.write_symbol(name, data)
    result = sim.run(outputs=["out_crc", "out_dot", "out_sorted", "out_stack"])

    assert struct.unpack("<I", result.outputs["out_crc"])[0] == zlib.crc32(inputs["input_bytes"])
    a = np.frombuffer(inputs["input_a"], "<f4")
    b = np.frombuffer(inputs["input_b"], "<f4")
    expected_dot = float(np.clip(a * b, -1, 1).astype(np.float32).sum())
    assert struct.unpack("<f", result.outputs["out_dot"])[0] == pytest.approx(expected_dot,
                                                                             rel=1e-5)
    ints = np.frombuffer(inputs["input_ints"], "<i4")
    assert list(np.frombuffer(result.outputs["out_sorted"], "<i4")) == sorted(ints)

    assert result.exit_code == 0
    assert result.region.marked and result.region.entries == 1
    for name in ("crc32", "dot_clamped", "insertion_sort", "deep_frame", "main"):
        assert result.function_cycles[name] > 0
    assert sum(result.function_cycles.values()) == result.region.cycles
    assert sum(result.function_cycles_total.values()) == result.cycles
    assert result.function_cycles["crc32"] > result.function_cycles["dot_clamped"]
    assert 1024 <= result.peak_stack_bytes < result.stack_bytes == 8192
    assert result.flash.fetch_line_hits > 0 and result.flash.data_reads > 0
    assert result.as_record()["cycle_model_version"] == CYCLE_MODEL_VERSION


def test_write_symbol_rejects_bad_inputs(tmp_path) -> None:
    from edgernn.errors import SimulationError

    elf = build_elf(tmp_path, {"hand_fw.c": (FW_DIR / "hand_fw.c").read_text()})
    sim = Simulator(elf, TEST_MEMORY)
    with pytest.raises(SimulationError, match="is 128 bytes, got 4"):
        sim.write_symbol("input_a", b"\0" * 4)
    with pytest.raises(SimulationError, match=r"\.bss"):
        sim.write_symbol("out_crc", b"\0" * 4)
    with pytest.raises(SimulationError, match="not found"):
        sim.write_symbol("no_such_symbol", b"")


_NOINIT_FW = """\
#include <stdint.h>
/* Input in a NOLOAD section the startup code neither copies nor zeroes (like edgernn's
   .edgernn_io), output and a scratch word in .bss. */
__attribute__((section(".noinit"))) volatile int32_t input_noinit[4];
int32_t output_sum;
int32_t scratch_bss;

int main(void) {
    int32_t sum = 0;
    for (int i = 0; i < 4; ++i) sum += input_noinit[i] * (i + 1);
    output_sum = sum + scratch_bss;  /* scratch_bss is 0: the startup zeroed it */
    __asm volatile ("bkpt #1\\n bkpt #2");
    return 0;
}
"""


def test_write_symbol_places_inputs_in_noload_ram(tmp_path) -> None:
    """A NOBITS symbol outside [_sbss, _ebss) is written to RAM and survives the startup."""
    from edgernn.errors import SimulationError

    elf = build_elf(tmp_path, {"noinit.c": _NOINIT_FW})
    image = ElfImage(elf)
    section = image.section_at(image.symbol("input_noinit").address)
    assert section is not None and section.nobits and section.name == ".noinit"
    sim = Simulator(elf, TEST_MEMORY)
    sim.write_symbol("input_noinit", struct.pack("<4i", 3, -1, 4, 10))
    with pytest.raises(SimulationError, match=r"scratch_bss.*\[_sbss, _ebss\).*zeroes"):
        sim.write_symbol("scratch_bss", b"\1\0\0\0")
    result = sim.run(outputs=["output_sum"])
    assert struct.unpack("<i", result.outputs["output_sum"])[0] == 3 - 2 + 12 + 40
