"""Firmware builds: every zoo model links warning-free for the NUCLEO-L4R5ZI, sizes add up.

Each model is built once per module (random weights and biases, -O2, weights in flash).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from edgernn.errors import BuildError
from edgernn.ir import Graph, build_graph
from edgernn.spec import load_spec, zoo_names
from edgernn.targets import (
    FIRMWARE_CFLAGS,
    FirmwareBuild,
    ToolchainError,
    build_firmware,
    find_arm_toolchain,
    get_board,
)
from edgernn.targets.sizes import CATEGORIES

ZOO = zoo_names()
BOARD = get_board("nucleo-l4r5zi")


def _graph(name: str) -> Graph:
    return build_graph(load_spec(name), seed=0, random_biases=True)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FirmwareBuild]:
    root = tmp_path_factory.mktemp("fw")
    return {name: build_firmware(_graph(name), BOARD, build_dir=root / name) for name in ZOO}


def _symbol(elf: Path, name: str) -> int:
    with elf.open("rb") as stream:
        symtab = ELFFile(stream).get_section_by_name(".symtab")
        return next(s["st_value"] for s in symtab.iter_symbols() if s.name == name)


@pytest.mark.parametrize("name", ZOO)
def test_builds_clean_with_werror(builds: dict[str, FirmwareBuild], name: str) -> None:
    build = builds[name]
    assert build.compiler_output == ""
    assert build.elf.is_file() and build.map_file.is_file()
    assert build.compiler_version.startswith("arm-none-eabi-gcc")
    for flag in ("-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard",
                 "-Werror", "-Wall", "-Wextra", "-std=c99", "-O2", "-ffunction-sections",
                 "-fdata-sections"):
        assert flag in build.cflags
    for flag in ("--specs=nano.specs", "-nostartfiles", "-Wl,--gc-sections", "-lm"):
        assert flag in build.ldflags
    assert build.ldflags[-1] == "-lm"


@pytest.mark.parametrize("name", ZOO)
def test_sizes_are_consistent(builds: dict[str, FirmwareBuild], name: str) -> None:
    build = builds[name]
    sizes = build.sizes
    # Every weight array is in the ELF, in flash, with the codegen's byte count.
    assert sizes.weight_bytes == build.model.flash_bytes == 4 * build.model.sizes.parameter_count
    assert all(BOARD.memory.flash.contains(a) for a in build.weight_addresses.values())
    assert sizes.flash_bytes >= sizes.weight_bytes
    # The breakdowns add up, and nothing is negative.
    assert sizes.flash.total == sizes.flash_bytes and sizes.ram.total == sizes.ram_bytes
    assert all(sizes.flash.as_dict()[c] >= 0 for c in CATEGORIES)
    assert sizes.flash.weights == sizes.weight_bytes
    assert min(sizes.flash.kernels, sizes.flash.model, sizes.flash.harness) > 0
    # Flash is every loaded section stored in flash; static RAM is .data + .bss.
    stored = [s for s in sizes.sections if not s.nobits and BOARD.memory.flash.contains(s.load_address)]
    assert sizes.flash_bytes == sum(s.size for s in stored)
    assert {".isr_vector", ".text", ".rodata", ".data"} <= {s.name for s in stored}
    assert sizes.ram_bytes == sizes.data_bytes + sizes.bss_bytes and sizes.ram_weight_bytes == 0
    # The model's own buffers (state, scratch, layer buffers) are part of static RAM.
    assert sizes.ram.model >= build.model.ram_bytes
    # I/O: one sequence in and out plus the status word, 8-byte aligned.
    assert build.input.size == 4 * build.model.sizes.run_input_size
    assert build.output.size == 4 * build.model.sizes.run_output_size
    assert build.input.size + build.output.size + 4 <= sizes.io_bytes < build.input.size + build.output.size + 24
    assert sizes.stack_reserved_bytes == 8 * 1024 and sizes.peak_stack_bytes is None
    assert sizes.flash_bytes < BOARD.memory.flash.size
    assert sizes.ram_bytes + sizes.io_bytes + sizes.stack_reserved_bytes < BOARD.memory.ram.size


def test_vector_table_and_memory_layout(builds: dict[str, FirmwareBuild]) -> None:
    build = builds["lstm"]
    with build.elf.open("rb") as stream:
        elf = ELFFile(stream)
        vectors = elf.get_section_by_name(".isr_vector")
        words = [int.from_bytes(vectors.data()[i:i + 4], "little") for i in range(0, 16, 4)]
        assert vectors["sh_addr"] == BOARD.memory.flash.base
        sections = {s.name: s for s in elf.iter_sections()}
        assert sections[".edgernn_io"]["sh_type"] == "SHT_NOBITS"  # NOLOAD
        assert sections[".data"]["sh_addr"] == BOARD.memory.ram.base
    estack, limit = _symbol(build.elf, "_estack"), _symbol(build.elf, "_stack_limit")
    assert words[0] == estack and estack - limit == 8 * 1024
    assert words[1] == _symbol(build.elf, "Reset_Handler") | 1
    assert words[3] == _symbol(build.elf, "HardFault_Handler") | 1
    assert BOARD.memory.ram.base < build.input.address < limit  # I/O below the stack
    script = build.linker_script.read_text()
    assert "FLASH (rx)  : ORIGIN = 0x08000000, LENGTH = 2097152" in script
    assert "RAM   (rwx) : ORIGIN = 0x20000000, LENGTH = 655360" in script
    assert ".edgernn_io (NOLOAD)" in script


def test_weights_in_sram_cost_ram_not_flash(builds: dict[str, FirmwareBuild], tmp_path: Path) -> None:
    flash = builds["simple1"]
    sram = build_firmware(flash.graph, BOARD, weights="sram", build_dir=tmp_path)
    weight_bytes = flash.sizes.weight_bytes
    assert all(BOARD.memory.ram.contains(a) for a in sram.weight_addresses.values())
    assert sram.sizes.ram_weight_bytes == weight_bytes
    assert sram.sizes.ram_bytes - flash.sizes.ram_bytes == weight_bytes
    # The load image stays. The float32 matrices start on 32-byte flash lines
    # (EDGERNN_F32_WEIGHTS_ALIGNED): in flash the compiler's order can put up to 28 bytes of
    # padding before each; packed for the SRAM copy there is none.
    padding = 28 * len(sram.weight_addresses)
    assert abs(sram.sizes.flash_bytes - flash.sizes.flash_bytes) <= 16 + padding
    assert sram.sizes.flash.weights == weight_bytes == sram.sizes.ram.weights
    # Same C source: only the linker script differs.
    assert (sram.build_dir / "src" / "simple1.c").read_bytes() == \
        (flash.build_dir / "src" / "simple1.c").read_bytes()


def test_options_stack_and_optimisation(builds: dict[str, FirmwareBuild], tmp_path: Path) -> None:
    graph = builds["simple1"].graph
    small = build_firmware(graph, BOARD, opt="Os", stack_bytes=4096, build_dir=tmp_path / "os")
    fast = build_firmware(graph, BOARD, opt="O3", build_dir=tmp_path / "o3")
    assert "-Os" in small.cflags and "-O3" in fast.cflags
    assert small.sizes.stack_reserved_bytes == 4096
    assert small.sizes.flash.kernels < fast.sizes.flash.kernels
    with pytest.raises(BuildError, match="unknown optimisation level 'O9'"):
        build_firmware(graph, BOARD, opt="O9", build_dir=tmp_path / "bad")
    with pytest.raises(BuildError, match="unknown weight placement"):
        build_firmware(graph, BOARD, weights="eeprom", build_dir=tmp_path / "bad")  # type: ignore[arg-type]


def test_build_is_deterministic(builds: dict[str, FirmwareBuild], tmp_path: Path) -> None:
    first = builds["gru"]
    again = build_firmware(first.graph, BOARD, build_dir=tmp_path / "elsewhere")
    for name in ("gru.elf", "gru.map", "firmware.ld", "firmware_main.c"):
        assert (again.build_dir / name).read_bytes() == (first.build_dir / name).read_bytes(), name
    assert again.sizes == first.sizes


def test_generic_board_and_too_small_board(builds: dict[str, FirmwareBuild], tmp_path: Path) -> None:
    graph = builds["simple2"].graph
    generic = build_firmware(graph, "generic-cortex-m4f", build_dir=tmp_path / "generic")
    assert generic.sizes.flash.weights == builds["simple2"].sizes.flash.weights
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(
        "name: tiny\nmcu: test\ncore: cortex-m4\nclock_hz: 48000000\ncycle_model: cortex-m4\n"
        "memory:\n  flash: {base: 0x08000000, size: 64K}\n  ram: {base: 0x20000000, size: 16K}\n"
        "toolchain:\n  cflags: [-mcpu=cortex-m4, -mthumb, -mfpu=fpv4-sp-d16, -mfloat-abi=hard]\n"
    )
    with pytest.raises(BuildError, match=r"simple2 does not fit tiny: (FLASH|RAM) overflowed by \d+ bytes"):
        build_firmware(graph, tiny, build_dir=tmp_path / "tiny")


def test_missing_toolchain_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ToolchainError, match="apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"):
        find_arm_toolchain("arm-none-eabi-gcc-does-not-exist")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("EDGERNN_ARM_CC", raising=False)
    with pytest.raises(ToolchainError, match=r"'arm-none-eabi-gcc' not found on PATH.*setup\.sh"):
        build_firmware(_graph("simple0"), BOARD, build_dir=tmp_path / "b")


def test_firmware_flags_are_strict() -> None:
    assert {"-Werror", "-pedantic", "-Wdouble-promotion"} <= set(FIRMWARE_CFLAGS)
