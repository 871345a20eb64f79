"""Read what the simulator needs from a firmware ELF: load segments, symbols, code ranges."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from elftools.common.exceptions import ELFError
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from edgernn.errors import SimulationError

_EM_ARM = "EM_ARM"


@dataclass(frozen=True)
class Segment:
    """One PT_LOAD segment: loaded at its physical address, run at its virtual address."""

    load_address: int
    data: bytes
    mem_size: int
    run_address: int


@dataclass(frozen=True)
class Section:
    """An allocated ELF section (run-time address range)."""

    name: str
    address: int
    size: int
    nobits: bool
    alloc: bool


@dataclass(frozen=True)
class Symbol:
    """An ELF symbol with its address (Thumb bit cleared for functions) and size."""

    name: str
    address: int
    size: int
    kind: str  # "func" or "object" or "notype"


class ElfImage:
    """A parsed firmware image.

    Args:
        path: The ELF file (32-bit little-endian Arm).

    Raises:
        SimulationError: The file is missing or not a 32-bit Arm ELF.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            with self.path.open("rb") as stream:
                elf = ELFFile(stream)
                if elf["e_machine"] != _EM_ARM or elf.elfclass != 32:
                    raise SimulationError(f"{self.path}: not a 32-bit Arm ELF")
                self.segments = self._read_segments(elf)
                self.symbols, self._mapping = self._read_symbols(elf)
                self.code_ranges = self._read_code_ranges(elf)
                self.sections = [
                    Section(sec.name, sec["sh_addr"], sec["sh_size"],
                            sec["sh_type"] == "SHT_NOBITS",
                            bool(sec["sh_flags"] & SH_FLAGS.SHF_ALLOC))
                    for sec in elf.iter_sections()
                    if sec["sh_flags"] & SH_FLAGS.SHF_ALLOC and sec["sh_size"] > 0
                ]
        except FileNotFoundError:
            raise SimulationError(f"firmware ELF not found: {self.path}") from None
        except ELFError as exc:
            raise SimulationError(f"{self.path}: unreadable ELF ({exc})") from None
        funcs = sorted(
            (s for s in self.symbols.values() if s.kind == "func" and s.size > 0),
            key=lambda s: s.address,
        )
        self._func_starts = [s.address for s in funcs]
        self._funcs = funcs

    @staticmethod
    def _read_segments(elf: ELFFile) -> list[Segment]:
        segments = []
        for seg in elf.iter_segments():
            if seg["p_type"] != "PT_LOAD" or seg["p_memsz"] == 0:
                continue
            segments.append(
                Segment(seg["p_paddr"], seg.data(), seg["p_memsz"], seg["p_vaddr"])
            )
        if not segments:
            raise SimulationError("ELF has no PT_LOAD segments")
        return segments

    @staticmethod
    def _read_symbols(elf: ELFFile) -> tuple[dict[str, Symbol], list[tuple[int, str]]]:
        symtab = elf.get_section_by_name(".symtab")
        symbols: dict[str, Symbol] = {}
        mapping: list[tuple[int, str]] = []
        if symtab is None:
            return symbols, mapping
        kinds = {"STT_FUNC": "func", "STT_OBJECT": "object", "STT_NOTYPE": "notype"}
        for sym in symtab.iter_symbols():
            name = sym.name
            kind = kinds.get(sym["st_info"]["type"])
            if not name or kind is None or sym["st_shndx"] == "SHN_UNDEF":
                continue
            value = sym["st_value"]
            if name.startswith("$"):  # Arm mapping symbols: $t code, $d data, $a Arm code
                mapping.append((value, name[1:2]))
                continue
            if kind == "func":
                value &= ~1
            # A global definition wins over a local one of the same name.
            if name not in symbols or sym["st_info"]["bind"] == "STB_GLOBAL":
                symbols[name] = Symbol(name, value, sym["st_size"], kind)
        mapping.sort()
        return symbols, mapping

    def _read_code_ranges(self, elf: ELFFile) -> list[tuple[int, bytes]]:
        """Thumb code stretches (address, bytes) of executable sections, split at $d/$t."""
        ranges: list[tuple[int, bytes]] = []
        for section in elf.iter_sections():
            flags = section["sh_flags"]
            if not (flags & SH_FLAGS.SHF_EXECINSTR) or section["sh_type"] != "SHT_PROGBITS":
                continue
            start, data = section["sh_addr"], section.data()
            end = start + len(data)
            marks = [(a, k) for a, k in self._mapping if start <= a < end]
            if not marks or marks[0][0] != start:
                marks.insert(0, (start, "t"))
            for (addr, kind), nxt in zip(marks, [*marks[1:], (end, "")], strict=True):
                if kind == "t" and nxt[0] > addr:
                    ranges.append((addr, data[addr - start : nxt[0] - start]))
        return ranges

    def symbol(self, name: str) -> Symbol:
        """Look a symbol up by name.

        Raises:
            SimulationError: No such symbol in the ELF.
        """
        try:
            return self.symbols[name]
        except KeyError:
            raise SimulationError(f"symbol {name!r} not found in {self.path.name}") from None

    def section_at(self, address: int) -> Section | None:
        """The allocated section whose run-time range contains ``address``."""
        for section in self.sections:
            if section.address <= address < section.address + section.size:
                return section
        return None

    def load_address(self, address: int) -> int:
        """Where the bytes of run-time ``address`` are loaded (its LMA); itself if not loaded."""
        for seg in self.segments:
            if seg.run_address <= address < seg.run_address + len(seg.data):
                return seg.load_address + (address - seg.run_address)
        return address

    def function_at(self, address: int) -> str | None:
        """Name of the FUNC symbol whose [address, address+size) contains ``address``."""
        i = bisect.bisect_right(self._func_starts, address) - 1
        if i >= 0:
            func = self._funcs[i]
            if address < func.address + func.size:
                return func.name
        return None

    def describe(self, address: int) -> str:
        """``0x08000124 (matvec+0x10)`` style text for error messages."""
        name = self.function_at(address)
        if name is None:
            return f"0x{address:08x}"
        offset = address - self.symbols[name].address
        return f"0x{address:08x} ({name}+0x{offset:x})"
