"""Flash and RAM use of a firmware ELF, with a breakdown by origin (read with pyelftools).

Definitions (also in ``docs/firmware.md``; KB = 1024 bytes):

* **flash** - every allocated section with contents whose load address (LMA) is in the board's
  flash: vector table, ``.text``, ``.rodata``, ``.ARM.exidx``/``.ARM.extab`` and the load
  images of ``.data`` and ``.ram_weights``.
* **RAM** (static) - ``.data`` + ``.bss`` + ``.ram_weights``: what the startup code initialises.
  The harness's I/O buffers (``.edgernn_io``) and the reserved stack are reported apart, and the
  simulator's measured peak stack can be added (:meth:`SizeReport.with_peak_stack`).
* **breakdown** - every sized ELF symbol (``st_size`` bytes, its section says flash and/or RAM)
  is put in one category: ``weights`` (the model's weight arrays, by name), ``kernels``
  (``edgernn_*`` runtime functions and the local symbols of runtime files), ``model`` (the
  generated ``NAME_*`` functions, parameter and state structs, buffers, and local symbols of
  ``NAME.c``), ``harness`` (startup, vector table, ``main``, ``harness_*`` buffers) and
  ``library`` (everything else with a symbol: newlib, libm, libgcc). ``other`` is what no
  symbol covers (alignment padding, unwind tables), so the categories add up to the total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from elftools.common.exceptions import ELFError
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from edgernn.errors import BuildError
from edgernn.targets.boards import BoardProfile

KB = 1024
CATEGORIES = ("weights", "kernels", "model", "harness", "library", "other")

IO_SECTION = ".edgernn_io"
STACK_SECTION = ".stack"
RAM_WEIGHTS_SECTION = ".ram_weights"

#: Global symbols of the startup file and the harness (everything else global is by prefix).
HARNESS_SYMBOLS = frozenset({
    "main", "Reset_Handler", "NMI_Handler", "HardFault_Handler", "MemManage_Handler",
    "BusFault_Handler", "UsageFault_Handler", "Default_Handler", "isr_vector_table",
})
HARNESS_FILES = frozenset({"firmware_main.c", "startup_cortex_m4.c"})


@dataclass(frozen=True)
class SizeBreakdown:
    """Bytes per origin; the fields add up to the total they break down."""

    weights: int = 0
    kernels: int = 0
    model: int = 0
    harness: int = 0
    library: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        """Sum of every category."""
        return sum(self.as_dict().values())

    def as_dict(self) -> dict[str, int]:
        """Category -> bytes, in :data:`CATEGORIES` order."""
        return {name: getattr(self, name) for name in CATEGORIES}


@dataclass(frozen=True)
class SectionSize:
    """One allocated ELF section.

    Attributes:
        name: section name.
        address: run-time address (VMA).
        load_address: where its bytes are stored (LMA; equals ``address`` unless copied).
        size: bytes.
        nobits: True for sections without file contents (``.bss``, NOLOAD).
    """

    name: str
    address: int
    load_address: int
    size: int
    nobits: bool


@dataclass(frozen=True)
class SizeReport:
    """Memory use of one firmware image. All figures in bytes.

    Attributes:
        flash_bytes: everything stored in flash (see the module docstring).
        ram_bytes: static RAM: ``.data`` + ``.bss`` + ``.ram_weights``.
        data_bytes: ``.data``.
        bss_bytes: ``.bss``.
        ram_weight_bytes: weights copied to SRAM at start-up (0 when they stay in flash).
        io_bytes: the harness's NOLOAD input/output buffers.
        stack_reserved_bytes: the stack region the linker script reserves.
        peak_stack_bytes: deepest stack use measured by the simulator (None until measured).
        flash: breakdown of ``flash_bytes``.
        ram: breakdown of ``ram_bytes``.
        weight_symbols: each weight array's name and size.
        sections: every allocated section.
    """

    flash_bytes: int
    ram_bytes: int
    data_bytes: int
    bss_bytes: int
    ram_weight_bytes: int
    io_bytes: int
    stack_reserved_bytes: int
    flash: SizeBreakdown
    ram: SizeBreakdown
    weight_symbols: dict[str, int] = field(default_factory=dict)
    sections: tuple[SectionSize, ...] = ()
    peak_stack_bytes: int | None = None

    @property
    def weight_bytes(self) -> int:
        """Bytes of every weight array."""
        return sum(self.weight_symbols.values())

    @property
    def ram_with_stack_bytes(self) -> int | None:
        """Static RAM plus the measured peak stack (None until the stack is measured)."""
        if self.peak_stack_bytes is None:
            return None
        return self.ram_bytes + self.peak_stack_bytes

    def with_peak_stack(self, peak_stack_bytes: int) -> SizeReport:
        """A copy with the simulator's peak stack filled in."""
        return replace(self, peak_stack_bytes=peak_stack_bytes)

    def as_record(self) -> dict[str, object]:
        """Flat JSON-friendly record (bytes) for the results database."""
        record: dict[str, object] = {
            "flash_bytes": self.flash_bytes, "ram_bytes": self.ram_bytes,
            "data_bytes": self.data_bytes, "bss_bytes": self.bss_bytes,
            "ram_weight_bytes": self.ram_weight_bytes, "io_bytes": self.io_bytes,
            "stack_reserved_bytes": self.stack_reserved_bytes,
            "peak_stack_bytes": self.peak_stack_bytes, "weight_bytes": self.weight_bytes,
        }
        record.update({f"flash_{k}_bytes": v for k, v in self.flash.as_dict().items()})
        record.update({f"ram_{k}_bytes": v for k, v in self.ram.as_dict().items()})
        return record


def _classify(
    name: str, file: str | None, model: str, weights: frozenset[str], kernel_files: frozenset[str]
) -> str:
    if name in weights:
        return "weights"
    if file is not None:  # a local symbol: its source file decides
        if file in kernel_files:
            return "kernels"
        if file == f"{model}.c":
            return "model"
        if file in HARNESS_FILES:
            return "harness"
        return "library"
    if name in HARNESS_SYMBOLS or name.startswith("harness_"):
        return "harness"
    if name.startswith(f"{model}_"):
        return "model"
    if name.startswith("edgernn_"):
        return "kernels"
    return "library"


def measure_elf(
    elf_path: str | Path,
    board: BoardProfile,
    model: str,
    weight_names: Iterable[str],
    kernel_files: Iterable[str] = (),
) -> SizeReport:
    """Measure flash and RAM use of a firmware ELF.

    Args:
        elf_path: the linked firmware.
        board: its board profile (which addresses are flash and RAM).
        model: the model name (prefix of its generated symbols, ``NAME.c``).
        weight_names: C names of the model's weight arrays.
        kernel_files: base names of the runtime ``.c`` files compiled in.

    Returns:
        The figures and breakdowns.

    Raises:
        BuildError: the ELF cannot be read.
    """
    flash, ram = board.memory.flash, board.memory.ram
    weights = frozenset(weight_names)
    kernels = frozenset(Path(f).name for f in kernel_files)
    try:
        with Path(elf_path).open("rb") as stream:
            elf = ELFFile(stream)
            segments = [s for s in elf.iter_segments() if s["p_type"] == "PT_LOAD"]
            sections: list[SectionSize] = []
            index: dict[int, SectionSize] = {}
            for number, sec in enumerate(elf.iter_sections()):
                if not sec["sh_flags"] & SH_FLAGS.SHF_ALLOC or sec["sh_size"] == 0:
                    continue
                nobits = sec["sh_type"] == "SHT_NOBITS"
                lma = sec["sh_addr"]
                for seg in segments:
                    if not nobits and seg.section_in_segment(sec):
                        lma = sec["sh_addr"] - seg["p_vaddr"] + seg["p_paddr"]
                        break
                info = SectionSize(sec.name, sec["sh_addr"], lma, sec["sh_size"], nobits)
                sections.append(info)
                index[number] = info
            symbols = _sized_symbols(elf, index)
    except (OSError, ELFError) as exc:
        raise BuildError(f"{elf_path}: cannot read firmware ELF ({exc})") from None

    in_flash = [s for s in sections if not s.nobits and flash.contains(s.load_address)]
    flash_bytes = sum(s.size for s in in_flash)
    by_name = {s.name: s for s in sections}

    def size_of(name: str) -> int:
        return by_name[name].size if name in by_name else 0

    apart = {IO_SECTION, STACK_SECTION}
    static_ram = [s for s in sections if ram.contains(s.address) and s.name not in apart]
    ram_bytes = sum(s.size for s in static_ram)

    flash_parts = dict.fromkeys(CATEGORIES, 0)
    ram_parts = dict.fromkeys(CATEGORIES, 0)
    weight_sizes: dict[str, int] = {}
    static_names = {s.name for s in static_ram}
    for name, file, size, section in symbols:
        category = _classify(name, file, model, weights, kernels)
        if category == "weights":
            weight_sizes[name] = size
        if not section.nobits and flash.contains(section.load_address):
            flash_parts[category] += size
        if section.name in static_names:
            ram_parts[category] += size
    flash_parts["other"] = flash_bytes - sum(flash_parts.values())
    ram_parts["other"] = ram_bytes - sum(ram_parts.values())
    return SizeReport(
        flash_bytes=flash_bytes,
        ram_bytes=ram_bytes,
        data_bytes=size_of(".data"),
        bss_bytes=size_of(".bss"),
        ram_weight_bytes=size_of(RAM_WEIGHTS_SECTION),
        io_bytes=size_of(IO_SECTION),
        stack_reserved_bytes=size_of(STACK_SECTION),
        flash=SizeBreakdown(**flash_parts),
        ram=SizeBreakdown(**ram_parts),
        weight_symbols=dict(sorted(weight_sizes.items())),
        sections=tuple(sections),
    )


def _sized_symbols(
    elf: ELFFile, sections: dict[int, SectionSize]
) -> list[tuple[str, str | None, int, SectionSize]]:
    """(name, source file for locals else None, size, section) of every sized data/code symbol.

    Local symbols follow the STT_FILE symbol of their translation unit (the ELF symbol table
    lists all locals before the globals). A symbol seen twice at the same place counts once.
    """
    symtab = elf.get_section_by_name(".symtab")
    if symtab is None:
        raise ELFError("no symbol table (stripped ELF)")
    found: list[tuple[str, str | None, int, SectionSize]] = []
    seen: set[tuple[int, int]] = set()
    current_file: str | None = None
    for sym in symtab.iter_symbols():
        kind = sym["st_info"]["type"]
        if kind == "STT_FILE":
            current_file = Path(sym.name).name
            continue
        if kind not in ("STT_FUNC", "STT_OBJECT") or sym["st_size"] == 0:
            continue
        shndx = sym["st_shndx"]
        if not isinstance(shndx, int) or shndx not in sections:
            continue
        address = sym["st_value"] & ~1 if kind == "STT_FUNC" else sym["st_value"]
        if (address, sym["st_size"]) in seen:
            continue
        seen.add((address, sym["st_size"]))
        local = sym["st_info"]["bind"] == "STB_LOCAL"
        found.append((sym.name, current_file if local else None, sym["st_size"], sections[shndx]))
    return found
