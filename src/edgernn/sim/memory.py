"""Memory description of a simulated microcontroller: where memories are and how fast they are.

Two pydantic models, both filled by a board profile:

* :class:`MemoryMap` says which address ranges exist (flash, SRAM, extra RAM banks). The
  simulator maps exactly these, plus the Cortex-M Private Peripheral Bus as plain RAM.
* :class:`MemoryTiming` says what an access to flash costs on top of the core's zero-wait-state
  instruction timings: wait states, the flash read width, the instruction prefetcher and the
  instruction/data caches of a flash accelerator (ST's ART). SRAM is always zero wait state.

The timing rules that use these figures are documented in ``docs/cycle-model.md``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: The Cortex-M Private Peripheral Bus (ITM, DWT, FPB, System Control Space incl. CPACR at
#: 0xE000ED88). The simulator maps it as plain RAM so startup code may write CPACR or enable DWT;
#: no peripheral behaviour is modelled.
PPB_BASE = 0xE000_0000
PPB_SIZE = 0x0010_0000


class MemoryRegion(BaseModel):
    """One contiguous RAM bank (beyond the main SRAM), e.g. SRAM2 or CCM RAM."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    base: int = Field(ge=0)
    size: int = Field(gt=0)


class MemoryMap(BaseModel):
    """Address ranges of the simulated device.

    Attributes:
        flash_base: First address of the on-chip flash (code and constants).
        flash_size: Flash size in bytes. Flash is mapped read/execute only: a store to it is a
            fault, as on the real part.
        sram_base: First address of the main SRAM.
        sram_size: Main SRAM size in bytes.
        extra_ram: Further RAM banks, mapped read/write/execute, zero wait state.
        vector_table: Address of the vector table read at reset (initial SP, reset handler).
            Defaults to ``flash_base`` (boot from main flash).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    flash_base: int = Field(ge=0)
    flash_size: int = Field(gt=0)
    sram_base: int = Field(ge=0)
    sram_size: int = Field(gt=0)
    extra_ram: tuple[MemoryRegion, ...] = ()
    vector_table: int | None = None

    @model_validator(mode="after")
    def _no_overlap(self) -> MemoryMap:
        spans = sorted((r.base, r.base + r.size, r.name) for r in self.regions())
        for (_, end, name), (base, _, other) in zip(spans, spans[1:], strict=False):
            if base < end:
                raise ValueError(f"memory regions {name!r} and {other!r} overlap")
        return self

    @property
    def reset_vector_address(self) -> int:
        """Where the core reads the initial SP and reset handler address."""
        return self.flash_base if self.vector_table is None else self.vector_table

    def regions(self) -> tuple[MemoryRegion, ...]:
        """Every mapped memory except the PPB, flash first."""
        return (
            MemoryRegion(name="flash", base=self.flash_base, size=self.flash_size),
            MemoryRegion(name="sram", base=self.sram_base, size=self.sram_size),
            *self.extra_ram,
        )

    def in_flash(self, address: int) -> bool:
        """Whether ``address`` lies in the flash range."""
        return self.flash_base <= address < self.flash_base + self.flash_size

    def in_ram(self, address: int) -> bool:
        """Whether ``address`` lies in SRAM or an extra RAM bank."""
        return any(r.base <= address < r.base + r.size for r in self.regions()[1:])


class CacheConfig(BaseModel):
    """A fully associative LRU cache in front of the flash.

    Attributes:
        lines: Number of cache lines.
        line_bytes: Bytes per line; a multiple of the flash read width.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    lines: int = Field(gt=0)
    line_bytes: int = Field(gt=0)

    @model_validator(mode="after")
    def _power_of_two(self) -> CacheConfig:
        if self.line_bytes & (self.line_bytes - 1):
            raise ValueError("cache line_bytes must be a power of two")
        return self


class MemoryTiming(BaseModel):
    """Flash access costs added to the core's zero-wait-state timings.

    Attributes:
        flash_wait_states: Wait states of one flash read (FLASH_ACR.LATENCY on STM32). A read
            takes ``flash_wait_states + 1`` core cycles; the core timings already include 1.
        flash_word_bytes: Bytes delivered by one flash read (8 for a 64-bit flash array).
        prefetch: Instruction prefetch: after an instruction-line fill the next sequential line is
            read in the background.
        icache: Instruction cache in front of flash (None: no instruction cache).
        dcache: Data cache for data/literal reads from flash (None: every read goes to flash).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    flash_wait_states: int = Field(default=0, ge=0, le=64)
    flash_word_bytes: int = Field(default=8, gt=0)
    prefetch: bool = False
    icache: CacheConfig | None = None
    dcache: CacheConfig | None = None

    @model_validator(mode="after")
    def _geometry(self) -> MemoryTiming:
        if self.flash_word_bytes & (self.flash_word_bytes - 1):
            raise ValueError("flash_word_bytes must be a power of two")
        for cache in (self.icache, self.dcache):
            if cache is not None and cache.line_bytes < self.flash_word_bytes:
                raise ValueError("a cache line must hold at least one flash word")
        return self

    @classmethod
    def zero_wait(cls) -> MemoryTiming:
        """Every memory answers in one cycle: the TRM's zero-wait-state system."""
        return cls()

    @property
    def is_zero_wait(self) -> bool:
        """True when flash costs nothing beyond the core timings."""
        return self.flash_wait_states == 0
