"""Board profiles: the built-in ones load and say what the datasheets say; bad ones fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgernn.errors import EdgernnError
from edgernn.sim import MemoryMap, MemoryTiming, cycle_model_names
from edgernn.targets import BoardError, board_names, get_board, load_board_file, register_board

GOOD = """
name: tiny
mcu: test
core: cortex-m4
clock_hz: 48000000
cycle_model: cortex-m4
memory:
  flash: {base: 0x08000000, size: 64K}
  ram: {base: 0x20000000, size: 16K}
toolchain:
  cflags: [-mcpu=cortex-m4, -mthumb]
"""


def test_builtin_boards_are_registered() -> None:
    assert {"nucleo-l4r5zi", "generic-cortex-m4f"} <= set(board_names())


def test_nucleo_l4r5zi_profile() -> None:
    """The figures the firmware and the cycle model rely on (STM32L4R5ZI, RM0432)."""
    board = get_board("nucleo-l4r5zi")
    assert board.mcu == "STM32L4R5ZI" and board.core == "cortex-m4"
    assert board.fpu == "fpv4-sp-d16" and board.dsp
    assert board.clock_hz == 120_000_000
    assert (board.memory.flash.base, board.memory.flash.size) == (0x0800_0000, 2048 * 1024)
    assert (board.memory.ram.base, board.memory.ram.size) == (0x2000_0000, 640 * 1024)
    banks = {b.name: (b.base, b.size // 1024) for b in board.memory.ram_banks}
    assert banks == {"SRAM1": (0x2000_0000, 192), "SRAM2": (0x2003_0000, 64),
                     "SRAM3": (0x2004_0000, 384)}
    timing = board.memory.timing
    assert timing.flash_wait_states == 5 and timing.prefetch
    assert timing.icache is not None and timing.dcache is not None
    assert board.toolchain.cflags == ("-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16",
                                      "-mfloat-abi=hard")
    # No invented figure: a missing datasheet current is None with a TODO note.
    assert board.power.run_current_ma is not None or "TODO" in board.power.note


def test_generic_board_is_zero_wait() -> None:
    board = get_board("generic-cortex-m4f")
    assert board.memory_timing().is_zero_wait
    assert board.memory.timing.icache is None


@pytest.mark.parametrize("name", board_names())
def test_profiles_convert_to_simulator_types(name: str) -> None:
    board = get_board(name)
    memory_map, timing = board.memory_map(), board.memory_timing()
    assert isinstance(memory_map, MemoryMap) and isinstance(timing, MemoryTiming)
    assert memory_map.in_flash(board.memory.flash.base)
    assert memory_map.in_ram(board.memory.ram.end - 1)
    assert board.cycle_model in cycle_model_names()


def test_unknown_board_lists_known_ones() -> None:
    with pytest.raises(BoardError, match=r"unknown board 'nucleo-xyz' \(known boards: .*nucleo-l4r5zi"):
        get_board("nucleo-xyz")


def test_board_from_file_and_registration(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD)
    board = get_board(path)
    assert board.name == "tiny" and board.memory.ram.size == 16 * 1024
    assert load_board_file(path) == board
    with pytest.raises(BoardError, match="already registered"):
        register_board(get_board("nucleo-l4r5zi"))
    with pytest.raises(BoardError, match="no such board profile file"):
        get_board(tmp_path / "missing.yaml")


BAD = {
    "missing field": (GOOD.replace("clock_hz: 48000000\n", ""), "clock_hz: Field required"),
    "unknown key": (GOOD + "colour: blue\n", "colour: unknown key"),
    "bad size": (GOOD.replace("size: 16K", "size: lots"), "memory.ram.size: size 'lots'"),
    "wrong core": (GOOD.replace("core: cortex-m4", "core: cortex-m0"), "core: Input should be"),
    "overlap": (GOOD.replace("0x20000000", "0x08000000"), "memory: flash and ram overlap"),
    "bank gap": (GOOD.replace("size: 16K}", "size: 16K}\n  ram_banks:\n"
                              "    - {name: A, base: 0x20000000, size: 8K}\n"
                              "    - {name: B, base: 0x20003000, size: 4K}"),
                 "memory: ram bank 'B' starts at 0x20003000, expected 0x20002000"),
    "cache line": (GOOD.replace("size: 16K}", "size: 16K}\n  timing:\n"
                                "    icache: {lines: 4, line_bytes: 24}"),
                   "memory.timing.icache: cache line_bytes must be a power of two"),
    "not yaml": ("name: [unclosed\n", "not valid YAML"),
    "not a mapping": ("- a\n- b\n", "must be a YAML mapping"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_invalid_profiles_name_file_field_and_problem(case: str, tmp_path: Path) -> None:
    text, message = BAD[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(BoardError) as info:
        load_board_file(path)
    assert isinstance(info.value, EdgernnError)
    text = str(info.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text
