"""Instruction-level Cortex-M simulation of a firmware ELF, with a cycle model.

Execution is unicorn's (QEMU's Thumb-2 + FPv4 emulation); timing is ours. A ``UC_HOOK_BLOCK``
hook charges each executed basic block the cycles the cycle model computed once for it (from
capstone's decoding, cached by address), adds the branch refill when control does not continue
at the fall-through address, and asks the flash model what fetching the block from flash
stalled. Data reads from flash go through a ``UC_HOOK_MEM_READ`` hook restricted to the flash
range (only when flash has wait states); SRAM accesses are zero wait state and never hooked.

Markers: ``bkpt #1`` opens and ``bkpt #2`` closes the measured (inference) region; pairs may
repeat and are summed. Any other ``bkpt`` ends the run; its immediate is the exit code.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from capstone import CS_ARCH_ARM, CS_MODE_MCLASS, CS_MODE_THUMB, Cs
from capstone.arm import ARM_REG_SP
from unicorn import (
    UC_ARCH_ARM,
    UC_ERR_EXCEPTION,
    UC_ERR_INSN_INVALID,
    UC_HOOK_BLOCK,
    UC_HOOK_CODE,
    UC_HOOK_INTR,
    UC_HOOK_MEM_INVALID,
    UC_HOOK_MEM_READ,
    UC_MEM_FETCH_PROT,
    UC_MEM_FETCH_UNMAPPED,
    UC_MEM_READ_PROT,
    UC_MEM_READ_UNMAPPED,
    UC_MEM_WRITE_PROT,
    UC_MEM_WRITE_UNMAPPED,
    UC_MODE_MCLASS,
    UC_MODE_THUMB,
    UC_PROT_ALL,
    UC_PROT_EXEC,
    UC_PROT_READ,
    UC_PROT_WRITE,
    Uc,
    UcError,
)
from unicorn import arm_const as ua

from edgernn.errors import SimulationError
from edgernn.sim.cycles import (
    BlockTiming,
    CycleModel,
    InsnTiming,
    get_cycle_model,
    it_block_length,
)
from edgernn.sim.elf import ElfImage
from edgernn.sim.faults import (
    CpuException,
    FaultHandlerEntered,
    FirmwareFault,
    MemoryFault,
    RunLimitExceeded,
    StackOverflow,
)
from edgernn.sim.flash import FlashModel, FlashStats
from edgernn.sim.memory import PPB_BASE, PPB_SIZE, MemoryMap, MemoryTiming

#: Symbols whose entry means the firmware faulted (CMSIS startup names).
FAULT_HANDLER_SYMBOLS = (
    "HardFault_Handler",
    "MemManage_Handler",
    "BusFault_Handler",
    "UsageFault_Handler",
    "Default_Handler",
)
#: Symbols naming the lowest legal stack address, first found wins.
STACK_LIMIT_SYMBOLS = ("_stack_limit", "__StackLimit", "_sstack", "__stack_limit")
#: (start, end) symbol pairs bounding the memory the startup code zeroes (CMSIS / GNU names).
BSS_BOUND_SYMBOLS = (("_sbss", "_ebss"), ("__bss_start__", "__bss_end__"))

REGION_START_MARKER = 1
REGION_END_MARKER = 2

_STACK_PAINT = 0xA5
_CPACR = 0xE000_ED88
_CPACR_FPU_BITS = 0xF << 20
_EXCP_BKPT = 7
_EXCEPTION_NAMES = {  # QEMU's EXCP_* numbers as unicorn reports them to UC_HOOK_INTR
    1: "undefined instruction (UsageFault UNDEFINSTR)",
    2: "SVC (supervisor call) - not serviced by the simulator",
    3: "prefetch abort",
    4: "data abort",
    5: "IRQ",
    8: "exception return",
    17: "FPU instruction while the FPU is disabled (UsageFault NOCP)",
    18: "invalid state (UsageFault INVSTATE)",
    19: "stack limit violation",
    22: "unaligned access (UsageFault UNALIGNED)",
}
_ACCESS_NAMES = {
    UC_MEM_READ_UNMAPPED: "read",
    UC_MEM_WRITE_UNMAPPED: "write",
    UC_MEM_FETCH_UNMAPPED: "fetch",
    UC_MEM_WRITE_PROT: "write to read-only",
    UC_MEM_READ_PROT: "read of non-readable",
    UC_MEM_FETCH_PROT: "fetch from non-executable",
}
_UC_ERRORS = {
    UC_ERR_INSN_INVALID: "undefined instruction (UsageFault UNDEFINSTR)",
    UC_ERR_EXCEPTION: "unhandled CPU exception",
}
_FP_NAMES = ("v", "fconst", "fmstat")
_UC_REGS: dict[str, int] = {
    **{f"r{i}": getattr(ua, f"UC_ARM_REG_R{i}") for i in range(13)},
    "sb": ua.UC_ARM_REG_R9, "sl": ua.UC_ARM_REG_R10, "fp": ua.UC_ARM_REG_R11,
    "ip": ua.UC_ARM_REG_R12, "sp": ua.UC_ARM_REG_SP, "lr": ua.UC_ARM_REG_LR,
    "pc": ua.UC_ARM_REG_PC, "xpsr": ua.UC_ARM_REG_XPSR,
}


@dataclass(frozen=True)
class RegionStats:
    """Cycles and instructions of the measured region.

    Attributes:
        cycles: Cycles between ``bkpt #1`` and ``bkpt #2`` (summed over pairs), or of the whole
            run when the firmware has no markers.
        instructions: Instructions executed in the region, markers excluded.
        marked: Whether the region came from markers (False: whole run).
        entries: Number of marker pairs seen.
    """

    cycles: int
    instructions: int
    marked: bool
    entries: int


@dataclass(frozen=True)
class SimResult:
    """Everything one simulation measured. Units: cycles are core clock cycles.

    Attributes:
        instructions: Instructions executed in the whole run, markers included.
        cycles: Cycles of the whole run.
        region: The measured region (see :class:`RegionStats`).
        function_cycles: Cycles per function (ELF FUNC symbol containing each block start) in
            the region; ``"<unknown>"`` for code outside any symbol.
        function_cycles_total: The same for the whole run.
        peak_stack_bytes: Deepest stack use seen by stack painting (bytes below initial SP).
        stack_bytes: Size of the painted stack area (initial SP minus stack limit).
        exit_code: Immediate of the final ``bkpt``.
        flash: Counters of the flash model.
        cycle_model: Registry name of the core cycle model.
        cycle_model_version: Version string of that model (e.g. ``cm4-trm-1``).
        memory_timing: The flash timing parameters used.
        unmodelled_instructions: Executions of instructions without a timing rule (1 cycle each).
        unprobed_instructions: Static count of data-dependent instructions costed at their static
            figure because they were outside the pre-scanned code (should be 0).
        wall_seconds: Host time the run took.
        outputs: Bytes of the symbols requested with ``outputs=``.
    """

    instructions: int
    cycles: int
    region: RegionStats
    function_cycles: dict[str, int]
    function_cycles_total: dict[str, int]
    peak_stack_bytes: int
    stack_bytes: int
    exit_code: int
    flash: FlashStats
    cycle_model: str
    cycle_model_version: str
    memory_timing: MemoryTiming
    unmodelled_instructions: dict[str, int] = field(default_factory=dict)
    unprobed_instructions: int = 0
    wall_seconds: float = 0.0
    outputs: dict[str, bytes] = field(default_factory=dict)

    def as_record(self) -> dict[str, object]:
        """A JSON-friendly record (bytes as hex) for the results database."""
        record = asdict(self)
        record["memory_timing"] = self.memory_timing.model_dump()
        record["outputs"] = {k: v.hex() for k, v in self.outputs.items()}
        return record


class _Block:
    """A decoded basic block and its execution counters (hot path: keep slots small)."""

    __slots__ = ("address", "size", "cycles", "penalty", "fallthrough", "ninsn", "plan",
                 "func", "count", "taken", "extra", "timing", "offsets", "fp_first",
                 "fp_reads", "fpu_free", "fp_pending", "fp_tail", "writes_sp")

    def __init__(self, timing: BlockTiming, func: str, plan: tuple[tuple[int, int], ...] | None,
                 probed: frozenset[int] | set[int] = frozenset()):
        self.address = timing.address
        self.size = timing.size
        self.cycles = timing.cycles
        self.ninsn = len(timing.instructions)
        for t in timing.instructions:
            if t.conditional and t.address in probed:
                # Counted as condition-failed (1 cycle, not an executed instruction, as
                # unicorn's code hooks see it); the probe adds the rest when it passes.
                self.cycles -= t.cycles - 1
                self.ninsn -= 1
        self.penalty = timing.taken_penalty
        self.fallthrough = timing.fallthrough
        self.plan = plan
        self.func = func
        self.count = 0
        self.taken = 0
        self.extra = 0  # flash stalls and probe corrections charged to this block
        self.timing = timing
        self.offsets = {t.address: o for t, o in zip(timing.instructions, timing.offsets,
                                                     strict=True)}
        self.fp_first = timing.fp_first
        self.fp_reads = timing.fp_reads
        self.fpu_free = timing.fpu_free
        self.fp_pending = timing.fp_pending
        # Whether the FPU can still be busy, or a result still pending, when the block ends
        # (only then can it delay a later block's FPU instruction).
        self.fp_tail = timing.fpu_free > timing.cycles or (
            bool(timing.fp_pending) and timing.fpu_free + 1 > timing.cycles)
        self.writes_sp = False  # set by the simulator: SP is checked after such a block

    def total(self, count: int, taken: int, extra: int) -> int:
        return count * self.cycles + taken * self.penalty + extra


_SENTINEL_TIMING = BlockTiming(0, 0, [], 0, 0, 0, [])


class Simulator:
    """Runs one firmware ELF on a simulated Cortex-M.

    Args:
        elf: Path of the firmware ELF (or an already parsed :class:`ElfImage`).
        memory_map: Flash/SRAM layout of the device.
        cycle_model: Registry name of the core cycle model, or a model instance.
        memory_timing: Flash wait states and caches; default zero wait states.
        max_instructions: Instruction budget; exceeding it raises :class:`RunLimitExceeded`.
        max_cycles: Cycle budget (None: unlimited).
        timeout_s: Wall-clock budget in seconds (None: unlimited).
        check_stack: Compare SP with the stack-limit symbol after every block that writes SP
            (a StackOverflow when below); False turns the check off.
        fault_handlers: Symbols whose entry is reported as a fault.

    Raises:
        SimulationError: The ELF does not fit the memory map or cannot be read.
    """

    def __init__(
        self,
        elf: str | Path | ElfImage,
        memory_map: MemoryMap,
        *,
        cycle_model: str | CycleModel = "cortex-m4",
        memory_timing: MemoryTiming | None = None,
        max_instructions: int = 2_000_000_000,
        max_cycles: int | None = None,
        timeout_s: float | None = 600.0,
        check_stack: bool = True,
        fault_handlers: Iterable[str] = FAULT_HANDLER_SYMBOLS,
    ) -> None:
        self.image = elf if isinstance(elf, ElfImage) else ElfImage(elf)
        self.memory_map = memory_map
        self.model = get_cycle_model(cycle_model) if isinstance(cycle_model, str) else cycle_model
        self.memory_timing = memory_timing or MemoryTiming.zero_wait()
        self.max_instructions = max_instructions
        self.max_cycles = max_cycles if max_cycles is not None else 1 << 62
        self.timeout_s = timeout_s
        self.check_stack = check_stack
        self._fault_addresses = {
            self.image.symbols[name].address: name
            for name in fault_handlers
            if name in self.image.symbols
        }
        self._ran = False
        self._uc = self._build_machine()
        self._md = Cs(CS_ARCH_ARM, CS_MODE_THUMB | CS_MODE_MCLASS)
        self._md.detail = True

    # ---------------------------------------------------------------- setup

    def _build_machine(self) -> Uc:
        uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS)
        uc.ctl_set_cpu_model(ua.UC_CPU_ARM_CORTEX_M4)
        page = uc.ctl_get_page_size()
        mm = self.memory_map
        for region in mm.regions():
            if region.base % page or region.size % page:
                raise SimulationError(
                    f"memory region {region.name!r} (0x{region.base:08x}, {region.size} bytes) is "
                    f"not aligned to the simulator page size ({page} bytes)"
                )
            perms = UC_PROT_READ | UC_PROT_EXEC if region.name == "flash" else UC_PROT_ALL
            try:
                uc.mem_map(region.base, region.size, perms)
            except UcError as exc:
                raise SimulationError(f"cannot map memory region {region.name!r}: {exc}") from None
        uc.mem_map(PPB_BASE, PPB_SIZE, UC_PROT_READ | UC_PROT_WRITE)
        for seg in self.image.segments:
            end = seg.load_address + len(seg.data)
            if seg.data and not self._mapped(seg.load_address, end):
                raise SimulationError(
                    f"ELF segment 0x{seg.load_address:08x}..0x{end:08x} lies outside the memory "
                    "map (check the linker script against the board's memory)"
                )
            if seg.data:
                uc.mem_write(seg.load_address, seg.data)
        return uc

    def _mapped(self, start: int, end: int) -> bool:
        return any(r.base <= start and end <= r.base + r.size for r in self.memory_map.regions())

    def write_symbol(self, name: str, data: bytes) -> None:
        """Place input bytes in a symbol's memory before the run.

        Where the bytes go depends on what the startup code will do to the symbol's memory:

        * initialised data (``.data``, a section with contents copied from flash by the startup
          code): written into its load image in flash, so the copy carries it;
        * a symbol in flash, or a section with contents loaded at its run address: in place;
        * a NOBITS (NOLOAD) symbol the startup code does not zero (``.noinit``, edgernn's
          ``.edgernn_io``): written directly to RAM at its run address;
        * a symbol in the zero-initialised range is refused: ``[_sbss, _ebss)`` or
          ``[__bss_start__, __bss_end__)`` when the ELF defines those symbols, otherwise any
          NOBITS section named ``.bss``/``.bss.*``.

        Args:
            name: ELF symbol name; its size must equal ``len(data)``.
            data: The bytes to write.

        Raises:
            SimulationError: Unknown symbol, size mismatch, already run, a symbol the startup
                code zeroes (place the buffer in ``.data`` or a NOLOAD ``.noinit`` section), or
                one outside the memory map.
        """
        if self._ran:
            raise SimulationError("write_symbol() must be called before run()")
        sym = self.image.symbol(name)
        if len(data) != sym.size:
            raise SimulationError(
                f"symbol {name!r} is {sym.size} bytes, got {len(data)} bytes to write"
            )
        section = self.image.section_at(sym.address)
        zeroed = self._zeroed_by_startup(sym.address, sym.size)
        if zeroed is not None:
            where = zeroed if section is None or section.name == zeroed else \
                f"{section.name} {zeroed}"
            raise SimulationError(
                f"symbol {name!r} (0x{sym.address:08x}) is in {where}, which the startup code "
                "zeroes; put input buffers in .data or a NOLOAD .noinit section"
            )
        # NOBITS: no load image; the bytes go straight to RAM at the run address.
        target = sym.address if section is not None and section.nobits else \
            self.image.load_address(sym.address)
        if not self._mapped(target, target + len(data)):
            raise SimulationError(f"symbol {name!r} at 0x{target:08x} is outside the memory map")
        self._uc.mem_write(target, bytes(data))

    def _zeroed_by_startup(self, address: int, size: int) -> str | None:
        """Name of the zero-initialised range ``[address, address + size)`` overlaps, if any."""
        symbols = self.image.symbols
        end = address + max(size, 1)
        bounds = [(lo, hi) for lo, hi in BSS_BOUND_SYMBOLS if lo in symbols and hi in symbols]
        if bounds:
            for lo, hi in bounds:
                start, stop = symbols[lo].address, symbols[hi].address
                if address < stop and start < end:
                    return f"[{lo}, {hi})"
            return None
        for section in self.image.sections:  # no bounds symbols: the conventional names
            if section.nobits and (section.name == ".bss" or section.name.startswith(".bss.")) \
                    and address < section.address + section.size and section.address < end:
                return section.name
        return None

    def read_symbol(self, name: str) -> bytes:
        """The current bytes of a symbol (its run-time address), e.g. an output after run()."""
        sym = self.image.symbol(name)
        return bytes(self._uc.mem_read(sym.address, sym.size))

    # ---------------------------------------------------------------- run

    def _decode(self, address: int, size: int) -> BlockTiming:
        code = bytes(self._uc.mem_read(address, size))
        insns = list(self._md.disasm(code, address))
        decoded = sum(i.size for i in insns)
        if decoded != size:
            bad = address + decoded
            raise CpuException(
                f"cannot decode the instruction at {self.image.describe(bad)}", bad,
                self.image.describe(bad),
            )
        return self.model.block_timing(insns)

    def _prescan_probes(self) -> set[int]:
        """Addresses of data-dependent instructions in the ELF's Thumb code ranges."""
        addresses: set[int] = set()
        for start, code in self.image.code_ranges:
            offset = 0
            it_remaining = 0
            while offset < len(code):
                for insn in self._md.disasm(code[offset:], start + offset):
                    offset += insn.size
                    if self.model.needs_probe(insn, it_remaining > 0):
                        addresses.add(insn.address)
                    it_remaining = it_block_length(insn) if insn.insn_name() == "it" else max(
                        0, it_remaining - 1)
                else:
                    offset += 2  # undecodable halfword (data in code): skip it
                    it_remaining = 0
        return addresses

    def _stack_setup(self, initial_sp: int) -> tuple[int, int | None]:
        """Paint the stack area; return its bottom and the limit symbol's address if any."""
        limit = next(
            (self.image.symbols[n].address for n in STACK_LIMIT_SYMBOLS if n in self.image.symbols),
            None,
        )
        bottom = limit
        if bottom is None:
            ram_ends = [
                s.address + s.size
                for s in self.image.sections
                if s.alloc and s.address < initial_sp and self.memory_map.in_ram(s.address)
            ]
            bottom = max(ram_ends, default=initial_sp)
            region = next(
                (r for r in self.memory_map.regions()[1:]
                 if r.base < initial_sp <= r.base + r.size), None,
            )
            if region is not None:
                bottom = max(bottom, region.base)
        bottom = min(bottom + 3 & ~3, initial_sp)
        if bottom < initial_sp and self._mapped(bottom, initial_sp):
            self._uc.mem_write(bottom, bytes([_STACK_PAINT]) * (initial_sp - bottom))
        return bottom, limit

    def _peak_stack(self, bottom: int, top: int) -> int:
        if not self._mapped(bottom, top) or bottom >= top:
            return 0
        data = bytes(self._uc.mem_read(bottom, top - bottom))
        untouched = len(data) - len(data.lstrip(bytes([_STACK_PAINT])))
        return (top - bottom - untouched) & ~3 if untouched < len(data) else 0

    def run(self, outputs: Iterable[str] = ()) -> SimResult:
        """Run from the reset vector until a non-marker ``bkpt``.

        Args:
            outputs: Symbols whose bytes to copy into the result after the run.

        Returns:
            The measurements (see :class:`SimResult`).

        Raises:
            FirmwareFault: A memory fault, fault-handler entry, stack overflow, unserviced
                exception, or an exhausted instruction/cycle/time limit.
            SimulationError: Bad markers, or the simulator was already run.
        """
        if self._ran:
            raise SimulationError("a Simulator runs once; build a new one for another run")
        self._ran = True
        uc, image, model = self._uc, self.image, self.model
        vector = self.memory_map.reset_vector_address
        words = uc.mem_read(vector, 8)
        initial_sp = int.from_bytes(words[:4], "little")
        entry = int.from_bytes(words[4:], "little")
        if not entry & 1:
            raise SimulationError(f"reset vector 0x{entry:08x} lacks the Thumb bit")
        uc.reg_write(ua.UC_ARM_REG_SP, initial_sp)
        stack_bottom, stack_limit = self._stack_setup(initial_sp)
        probed = self._prescan_probes()
        # Stack overflow: SP checked after each block that writes it, not a memory-write hook
        # below the stack (that range holds .bss, and a hooked store inside an IT block leaves
        # unicorn with a stale IT state: unicorn issue #2309, an UNDEFINED B<cc> after it).
        check_sp = stack_limit is not None and self.check_stack
        probe_timings: dict[int, InsnTiming] = {}

        flash_model = FlashModel(self.memory_timing)
        flash_timed = not self.memory_timing.is_zero_wait
        mm = self.memory_map
        blocks: dict[int, _Block] = {}
        stop: list[FirmwareFault | tuple[str, int, int]] = []
        unprobed = [0]
        max_insns, max_cycles = self.max_instructions, self.max_cycles
        fault_addresses = self._fault_addresses
        sentinel = _Block(_SENTINEL_TIMING, "<reset>", None)
        cycles = 0
        ninsn = 0
        prev = sentinel
        # FPU state carried across blocks (absolute cycles): when the FPU accepts its next
        # instruction, and the registers whose result arrives one cycle after that.
        fpu_free_at = 0
        fp_pending: frozenset[int] = frozenset()
        fpu_busy = False  # whether that state can still delay a later block

        def new_block(address: int, size: int) -> _Block | None:
            if address in fault_addresses:
                name = fault_addresses[address]
                stop.append(FaultHandlerEntered(
                    f"firmware entered {name} at 0x{address:08x} (it faulted; the last block "
                    f"executed started at {image.describe(prev.address)})",
                    prev.address, image.describe(prev.address),
                ))
                return None
            try:
                timing = self._decode(address, size)
            except FirmwareFault as fault:
                stop.append(fault)
                return None
            if any(t.name.startswith(_FP_NAMES) for t in timing.instructions):
                cpacr = int.from_bytes(uc.mem_read(_CPACR, 4), "little")
                if cpacr & _CPACR_FPU_BITS != _CPACR_FPU_BITS:
                    stop.append(CpuException(
                        f"FPU instruction at {image.describe(address)} while CPACR (0x{_CPACR:08x}"
                        f" = 0x{cpacr:08x}) does not enable CP10/CP11: a NOCP UsageFault on the "
                        "device (the startup code must enable the FPU)",
                        address, image.describe(address),
                    ))
                    return None
            for t in timing.instructions:
                if t.probe is not None:
                    if t.address in probed:
                        probe_timings[t.address] = t
                    else:
                        unprobed[0] += 1
            plan = None
            if flash_timed and mm.in_flash(address):
                # Markers are debug instrumentation: their own fetch is not charged.
                plan = flash_model.fetch_plan(
                    address, timing.offsets,
                    [0 if t.name == "bkpt" else t.size for t in timing.instructions],
                )
            block = _Block(timing, image.function_at(address) or "<unknown>", plan, probed)
            if check_sp:
                block.writes_sp = any(
                    ARM_REG_SP in insn.regs_access()[1]
                    for insn in self._md.disasm(bytes(uc.mem_read(address, size)), address))
            blocks[address << 16 | size] = block
            return block

        def on_block(uc: Uc, address: int, size: int, _: object) -> None:
            nonlocal cycles, ninsn, prev, fpu_free_at, fp_pending, fpu_busy
            p = prev
            if p.writes_sp:
                sp = uc.reg_read(ua.UC_ARM_REG_SP)
                if sp < stack_limit:
                    stop.append(StackOverflow(
                        f"stack overflow: SP=0x{sp:08x} is below the stack limit "
                        f"0x{stack_limit:08x} after the block at {image.describe(p.address)}; the "
                        f"stack needs {initial_sp - sp} bytes, {initial_sp - stack_limit} are "
                        "reserved", p.address, image.describe(p.address),
                    ))
                    uc.emu_stop()
                    return
            if p.penalty and address != p.fallthrough:
                cycles += p.penalty
                p.taken += 1
            b = blocks.get(address << 16 | size)  # unicorn may end blocks at one address
            if b is None:  # at different places (e.g. after a marker): key on both
                b = new_block(address, size)
                if b is None:
                    uc.emu_stop()
                    return
            b.count += 1
            if b.plan is not None:
                stall = flash_model.fetch(b.plan, cycles)
                if stall:
                    b.extra += stall
                    cycles += stall
            if b.fp_first >= 0:
                if fpu_busy:
                    # The block's first FPU instruction waits for an operation an earlier
                    # block left running (VDIV/VSQRT, a MAC) and for a result arriving late.
                    wait = fpu_free_at - cycles - b.fp_first
                    if wait >= 0 and fp_pending and not fp_pending.isdisjoint(b.fp_reads):
                        wait += 1
                    if wait > 0:
                        b.extra += wait
                        cycles += wait
                fpu_busy = b.fp_tail
                if fpu_busy:
                    fpu_free_at = cycles + b.fpu_free
                    fp_pending = b.fp_pending
            flash_model.now = cycles
            cycles += b.cycles
            ninsn += b.ninsn
            prev = b
            if ninsn > max_insns or cycles > max_cycles:
                what = "instruction" if ninsn > max_insns else "cycle"
                stop.append(RunLimitExceeded(
                    f"{what} limit exceeded after {ninsn} instructions / {cycles} cycles at "
                    f"{image.describe(address)}: the firmware did not terminate",
                    address, image.describe(address),
                ))
                uc.emu_stop()

        def on_flash_read(uc: Uc, access: int, address: int, size: int, value: int,
                          _: object) -> None:
            nonlocal cycles
            stall = flash_model.read(address)
            if stall:
                cycles += stall
                prev.extra += stall

        def access_offset() -> int:
            return prev.offsets.get(uc.reg_read(ua.UC_ARM_REG_PC), 0)

        flash_model.access_offset = access_offset

        def read_register(name: str) -> int:
            return uc.reg_read(_UC_REGS[name])

        def on_probe(uc: Uc, address: int, size: int, _: object) -> None:
            # Unicorn calls code hooks only for instructions that execute: an IT-block
            # instruction whose condition fails never gets here (it was costed as failed).
            nonlocal cycles, ninsn
            t = probe_timings.get(address)
            if t is not None:
                actual, passed = model.probe(t, read_register)
                delta = actual - (1 if t.conditional else t.cycles)
                cycles += delta
                prev.extra += delta
                if passed and t.conditional:
                    ninsn += 1

        def on_interrupt(uc: Uc, intno: int, _: object) -> None:
            pc = uc.reg_read(ua.UC_ARM_REG_PC)
            if intno == _EXCP_BKPT:
                stop.append(("bkpt", uc.mem_read(pc, 1)[0], pc))
            else:
                what = _EXCEPTION_NAMES.get(intno, f"exception #{intno}")
                stop.append(CpuException(f"{what} at {image.describe(pc)}", pc,
                                         image.describe(pc)))
            uc.emu_stop()

        def on_invalid(uc: Uc, access: int, address: int, size: int, value: int,
                       _: object) -> bool:
            pc = address if access in (UC_MEM_FETCH_UNMAPPED, UC_MEM_FETCH_PROT) else \
                uc.reg_read(ua.UC_ARM_REG_PC)
            kind = _ACCESS_NAMES.get(access, f"access {access}")
            target = "flash" if mm.in_flash(address) else "unmapped memory"
            stop.append(MemoryFault(
                f"invalid {kind} of {size} bytes at 0x{address:08x} ({target}) by the "
                f"instruction at {image.describe(pc)}",
                pc, image.describe(pc), address, kind,
            ))
            return False

        uc.hook_add(UC_HOOK_BLOCK, on_block)
        uc.hook_add(UC_HOOK_INTR, on_interrupt)
        uc.hook_add(UC_HOOK_MEM_INVALID, on_invalid)
        if flash_timed:
            uc.hook_add(UC_HOOK_MEM_READ, on_flash_read, begin=mm.flash_base,
                        end=mm.flash_base + mm.flash_size - 1)
        for address in sorted(probed):
            uc.hook_add(UC_HOOK_CODE, on_probe, begin=address, end=address)

        region_cycles = region_insns = entries = 0
        region_counts: dict[int, list[int]] = {}
        opened: tuple[int, int, dict[int, tuple[int, int, int]]] | None = None
        exit_code: int | None = None
        pc = entry
        started = time.perf_counter()
        deadline = None if self.timeout_s is None else started + self.timeout_s
        while exit_code is None:
            remaining_us = 0
            if deadline is not None:
                remaining_us = max(1, int((deadline - time.perf_counter()) * 1e6))
            try:
                uc.emu_start(pc | 1, 0xFFFF_FFFE, timeout=remaining_us)
            except UcError as exc:
                if stop and isinstance(stop[-1], FirmwareFault):
                    raise stop[-1] from None
                here = uc.reg_read(ua.UC_ARM_REG_PC)
                what = _UC_ERRORS.get(exc.errno, f"simulation stopped ({exc})")
                raise CpuException(f"{what} at {image.describe(here)}", here,
                                   image.describe(here)) from None
            if not stop:
                here = uc.reg_read(ua.UC_ARM_REG_PC)
                raise RunLimitExceeded(
                    f"wall-clock limit of {self.timeout_s} s exceeded at {image.describe(here)} "
                    f"after {ninsn} instructions: the firmware did not terminate",
                    here, image.describe(here),
                )
            event = stop.pop()
            if isinstance(event, FirmwareFault):
                raise event
            _, imm, at = event
            if imm == REGION_START_MARKER:
                if opened is not None:
                    raise SimulationError(f"bkpt #1 at {image.describe(at)} inside an open region")
                opened = (cycles, ninsn, {a: (b.count, b.taken, b.extra) for a, b in
                                          blocks.items()})
            elif imm == REGION_END_MARKER:
                if opened is None:
                    raise SimulationError(f"bkpt #2 at {image.describe(at)} without bkpt #1")
                c0, n0, snap = opened
                region_cycles += cycles - c0
                region_insns += ninsn - n0 - 1  # the closing marker is not region work
                entries += 1
                for a, b in blocks.items():
                    was = snap.get(a, (0, 0, 0))
                    acc = region_counts.setdefault(a, [0, 0, 0])
                    acc[0] += b.count - was[0]
                    acc[1] += b.taken - was[1]
                    acc[2] += b.extra - was[2]
                opened = None
            else:
                exit_code = imm
            pc = at + 2
        wall = time.perf_counter() - started
        if opened is not None:
            raise SimulationError("the firmware ended inside a bkpt #1 region (no bkpt #2)")

        totals: dict[str, int] = {}
        for b in blocks.values():
            totals[b.func] = totals.get(b.func, 0) + b.total(b.count, b.taken, b.extra)
        if entries:
            per_function: dict[str, int] = {}
            for a, (count, taken, extra) in region_counts.items():
                b = blocks[a]
                per_function[b.func] = per_function.get(b.func, 0) + b.total(count, taken, extra)
            region = RegionStats(region_cycles, region_insns, True, entries)
        else:
            per_function = dict(totals)
            region = RegionStats(cycles, ninsn, False, 0)
        unmodelled: dict[str, int] = {}
        for b in blocks.values():
            for name in b.timing.unmodelled:
                unmodelled[name] = unmodelled.get(name, 0) + b.count
        return SimResult(
            instructions=ninsn,
            cycles=cycles,
            region=region,
            function_cycles={k: v for k, v in sorted(per_function.items()) if v},
            function_cycles_total={k: v for k, v in sorted(totals.items()) if v},
            peak_stack_bytes=self._peak_stack(stack_bottom, initial_sp),
            stack_bytes=initial_sp - stack_bottom,
            exit_code=exit_code,
            flash=flash_model.final_stats(),
            cycle_model=model.name,
            cycle_model_version=model.version,
            memory_timing=self.memory_timing,
            unmodelled_instructions=unmodelled,
            unprobed_instructions=unprobed[0],
            wall_seconds=wall,
            outputs={name: self.read_symbol(name) for name in outputs},
        )


def simulate(
    elf: str | Path,
    memory_map: MemoryMap,
    *,
    inputs: Mapping[str, bytes] | None = None,
    outputs: Iterable[str] = (),
    **options: object,
) -> SimResult:
    """Load, feed, run and read back one firmware in a single call.

    Args:
        elf: Firmware ELF path.
        memory_map: Device memory layout.
        inputs: Symbol name -> bytes written before the run (see :meth:`Simulator.write_symbol`).
        outputs: Symbols read back into :attr:`SimResult.outputs`.
        **options: Keyword arguments of :class:`Simulator` (cycle_model, memory_timing, limits).

    Returns:
        The run's :class:`SimResult`.
    """
    sim = Simulator(elf, memory_map, **options)  # type: ignore[arg-type]
    for name, data in (inputs or {}).items():
        sim.write_symbol(name, data)
    return sim.run(outputs=outputs)
