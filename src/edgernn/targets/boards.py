"""Board profiles: what firmware builds and the simulator need to know about a board.

A board is a YAML data file in ``targets/boards/`` (one per board, the file name is the board
name), validated by :class:`BoardProfile`. Adding a board is adding a file: the registry reads
every ``*.yaml`` there on first use. :func:`get_board` also accepts the path of a profile file
outside the package, and :func:`register_board` adds a profile built in Python.

Fields are documented in ``docs/firmware.md``. Sizes may be written as bytes (``655360``) or
with a binary suffix (``640K``, ``2M``; K = 1024 bytes); addresses as YAML hex (``0x20000000``).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from edgernn.errors import EdgernnError
from edgernn.sim.memory import MemoryTiming
from edgernn.validation import parse_yaml_model

if TYPE_CHECKING:  # the simulator is only imported when a profile is turned into its types
    from edgernn.sim import MemoryMap

BOARDS_PACKAGE = "edgernn.targets"
BOARDS_DIR = "boards"

_SIZE = re.compile(r"^\s*(\d+)\s*([KM]?)i?B?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "K": 1024, "M": 1024 * 1024}


class BoardError(EdgernnError):
    """A board is unknown, or its profile file is missing or invalid."""


def _parse_size(value: Any) -> Any:
    """``640K`` / ``2M`` / ``4096`` -> bytes; anything else is left for pydantic to reject."""
    if isinstance(value, str):
        match = _SIZE.match(value)
        if match is None:
            raise ValueError(f"size {value!r} is not a byte count like 4096, 640K or 2M")
        return int(match.group(1)) * _UNITS[match.group(2).upper()]
    return value


ByteSize = Annotated[int, BeforeValidator(_parse_size), Field(gt=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MemorySpan(_Strict):
    """A contiguous memory range.

    Attributes:
        base: first address.
        size: size in bytes.
    """

    base: int = Field(ge=0, lt=1 << 32)
    size: ByteSize

    @property
    def end(self) -> int:
        """First address after the range."""
        return self.base + self.size

    def contains(self, address: int) -> bool:
        """Whether ``address`` lies in the range."""
        return self.base <= address < self.end


class RamBank(MemorySpan):
    """One physical SRAM bank, for documentation and checks (``SRAM1``, ``SRAM2`` ...).

    Attributes:
        name: bank name as the reference manual spells it.
        note: anything worth knowing (aliases, retention in low-power modes).
    """

    name: str
    note: str = ""


class BoardMemory(_Strict):
    """Memories the firmware is linked into, and how fast the flash is.

    Attributes:
        flash: on-chip flash (code, constants, load images of initialised data).
        ram: the contiguous SRAM the linker uses for data, bss, I/O buffers and the stack.
        ram_banks: the physical banks ``ram`` is made of (must tile it exactly when given).
        timing: flash wait states, prefetch and caches.
        note: how the memory map was established (sources, caveats).
    """

    flash: MemorySpan
    ram: MemorySpan
    ram_banks: tuple[RamBank, ...] = ()
    timing: MemoryTiming = MemoryTiming()
    note: str = ""

    @model_validator(mode="after")
    def _layout(self) -> BoardMemory:
        if self.flash.base < self.ram.end and self.ram.base < self.flash.end:
            raise ValueError("flash and ram overlap")
        if self.ram_banks:
            address = self.ram.base
            for bank in sorted(self.ram_banks, key=lambda b: b.base):
                if bank.base != address:
                    raise ValueError(
                        f"ram bank {bank.name!r} starts at 0x{bank.base:08x}, expected "
                        f"0x{address:08x}: banks must tile ram without gaps or overlaps"
                    )
                address = bank.end
            if address != self.ram.end:
                raise ValueError(
                    f"ram banks end at 0x{address:08x} but ram ends at 0x{self.ram.end:08x}"
                )
        return self


class Toolchain(_Strict):
    """How to compile for the board's core.

    Attributes:
        cflags: core/FPU/ABI flags passed to every compile and link step.
    """

    cflags: tuple[str, ...] = Field(min_length=1)


class PowerFigures(_Strict):
    """Datasheet figures for energy estimates (None where no figure has been sourced).

    Attributes:
        supply_voltage_v: supply voltage the run current is specified at.
        run_current_ma: typical run-mode supply current at ``clock_hz`` executing from flash.
        conditions: the datasheet's test conditions for ``run_current_ma``.
        source: document, table and revision the figures come from.
        note: caveats, or the TODO that stands in for a missing figure.
    """

    supply_voltage_v: float | None = Field(default=None, gt=0)
    run_current_ma: float | None = Field(default=None, gt=0)
    conditions: str = ""
    source: str = ""
    note: str = ""


class BoardProfile(_Strict):
    """One board: core, clock, memory map and timing, compiler flags, power figures.

    Attributes:
        name: registry name (also the profile file's stem).
        description: one line for listings.
        mcu: microcontroller part number.
        core: CPU core (only ``cortex-m4`` so far).
        fpu: floating-point unit (``fpv4-sp-d16``) or None.
        dsp: whether the DSP extension (SIMD, saturating arithmetic) is present.
        clock_hz: core clock the timing figures hold for.
        memory: memory map and flash timing.
        cycle_model: name of the simulator's core cycle model (``edgernn.sim`` registry).
        toolchain: compiler flags for the core.
        power: datasheet current and voltage for energy estimates.
        sources: documents the profile's figures come from.
    """

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    description: str = ""
    mcu: str
    core: Literal["cortex-m4"]
    fpu: str | None = None
    dsp: bool = False
    clock_hz: int = Field(gt=0)
    memory: BoardMemory
    cycle_model: str = Field(min_length=1)
    toolchain: Toolchain
    power: PowerFigures = PowerFigures()
    sources: tuple[str, ...] = ()

    @property
    def clock_mhz(self) -> float:
        """Core clock in MHz."""
        return self.clock_hz / 1e6

    def memory_map(self) -> MemoryMap:
        """The simulator's memory map of this board (flash and the linker's RAM)."""
        from edgernn.sim import MemoryMap

        return MemoryMap(
            flash_base=self.memory.flash.base, flash_size=self.memory.flash.size,
            sram_base=self.memory.ram.base, sram_size=self.memory.ram.size,
        )

    def memory_timing(self) -> MemoryTiming:
        """The simulator's flash timing of this board (the profile's ``memory.timing``)."""
        return self.memory.timing


def parse_board(text: str, source: str = "<board>") -> BoardProfile:
    """Parse and validate board profile YAML.

    Raises:
        BoardError: not YAML, not a mapping, or a field is missing or invalid; the message
            names ``source``, the field and the problem.
    """
    return parse_yaml_model(text, BoardProfile, source, BoardError, "a board profile")


def load_board_file(path: str | Path) -> BoardProfile:
    """Load and validate one board profile file.

    Raises:
        BoardError: the file cannot be read or is invalid (file, field, problem).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BoardError(f"{path}: cannot read board profile ({exc})") from None
    return parse_board(text, source=str(path))


_REGISTRY: dict[str, BoardProfile] = {}
_LOADED = False


def _builtin_files() -> list[Path]:
    folder = resources.files(BOARDS_PACKAGE) / BOARDS_DIR
    return sorted(Path(str(f)) for f in folder.iterdir() if f.name.endswith(".yaml"))


def _ensure_loaded() -> None:
    global _LOADED
    if _LOADED:
        return
    for path in _builtin_files():
        profile = load_board_file(path)
        if profile.name != path.stem:
            raise BoardError(f"{path}: name: {profile.name!r} differs from the file name")
        _REGISTRY.setdefault(profile.name, profile)
    _LOADED = True


def register_board(profile: BoardProfile, *, replace: bool = False) -> None:
    """Add a board to the registry.

    Raises:
        BoardError: a board of that name exists and ``replace`` is False.
    """
    _ensure_loaded()
    if profile.name in _REGISTRY and not replace:
        raise BoardError(f"board {profile.name!r} is already registered")
    _REGISTRY[profile.name] = profile


def board_names() -> list[str]:
    """Names of every registered board, sorted."""
    _ensure_loaded()
    return sorted(_REGISTRY)


def get_board(board: str | Path | BoardProfile) -> BoardProfile:
    """A board profile by registry name, or from a profile file path.

    Args:
        board: a registered name (``nucleo-l4r5zi``), the path of a ``.yaml`` profile, or a
            profile (returned as is).

    Raises:
        BoardError: unknown name (the message lists the known boards) or invalid file.
    """
    if isinstance(board, BoardProfile):
        return board
    _ensure_loaded()
    key = str(board)
    if key in _REGISTRY:
        return _REGISTRY[key]
    path = Path(key)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise BoardError(f"{path}: no such board profile file")
        return load_board_file(path)
    raise BoardError(f"unknown board {key!r} (known boards: {', '.join(board_names())})")
