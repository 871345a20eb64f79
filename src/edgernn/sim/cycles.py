"""Core cycle models: instruction timings per basic block, and the registry that names them.

A cycle model turns the decoded instructions of one basic block (capstone ``CsInsn`` objects,
decoded once per block and cached by the simulator) into a :class:`BlockTiming`: the cycles of
the block when it runs to its end, the extra cycles when its final branch is taken, and the
instructions whose cost depends on run-time values (divides, conditional instructions inside an
IT block), which the simulator re-prices with a per-address probe.

Only zero-wait-state *core* timing lives here; flash wait states and caches are added by
:mod:`edgernn.sim.flash`. Every figure and rule is listed with its source in
``docs/cycle-model.md``; bump the model's ``version`` whenever a figure changes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from capstone import CsInsn
from capstone import arm as csarm

from edgernn.errors import SimulationError


class RegisterReader(Protocol):
    """Reads a core register of the simulated CPU by capstone name ("r0", "sp", "xpsr")."""

    def __call__(self, name: str) -> int: ...


@dataclass(frozen=True)
class InsnTiming:
    """Timing of one instruction in its block.

    Attributes:
        address: Instruction address.
        size: Encoding size in bytes (2 or 4).
        name: Capstone instruction name without condition or width suffix (``ldr``).
        cycles: Cycles when executed and, for a branch, not taken.
        cond: Capstone condition code (``ARM_CC_AL`` when unconditional).
        conditional: Inside an IT block: costs 1 cycle when its condition fails.
        probe: Run-time re-pricing kind: ``None``, ``"divide"`` or ``"condition"``.
        operands: Register names the probe needs (divide: dividend, divisor).
    """

    address: int
    size: int
    name: str
    cycles: int
    cond: int = csarm.ARM_CC_AL
    conditional: bool = False
    probe: str | None = None
    operands: tuple[str, ...] = ()


@dataclass
class BlockTiming:
    """Timing of one basic block.

    Attributes:
        address: First instruction address.
        size: Block size in bytes.
        instructions: Per-instruction timings, in order.
        cycles: Block cycles when control leaves through the fall-through (or through an
            unconditional branch, whose refill is included).
        taken_penalty: Extra cycles when control does *not* continue at ``fallthrough``
            (the pipeline refill P of a conditional final branch); 0 if the block cannot branch.
        fallthrough: Address after the last instruction.
        offsets: Issue cycle of each instruction relative to the block start (after any
            FPU stall it suffers inside the block).
        unmodelled: Names of instructions with no timing rule (costed 1 cycle each).
        fp_first: Issue offset of the block's first FPU instruction, assuming the FPU is free
            when the block starts (-1: the block has none). The simulator delays it, and
            everything after it, while an FPU operation of an earlier block is still running.
        fp_reads: S registers (numbers) that first FPU instruction reads as ordinary operands.
        fpu_free: Offset from the block start at which the FPU can accept the next instruction
            (may lie beyond ``cycles``: a VDIV/VSQRT or MAC still running at the block end).
        fp_pending: S registers whose result arrives one cycle after ``fpu_free`` (those of the
            block's last FPU instruction when it is an arithmetic one).
    """

    address: int
    size: int
    instructions: list[InsnTiming]
    cycles: int
    taken_penalty: int
    fallthrough: int
    offsets: list[int]
    unmodelled: list[str] = field(default_factory=list)
    fp_first: int = -1
    fp_reads: frozenset[int] = frozenset()
    fpu_free: int = 0
    fp_pending: frozenset[int] = frozenset()


class CycleModel(Protocol):
    """What the simulator needs from a core cycle model."""

    name: str
    version: str

    def block_timing(self, insns: Sequence[CsInsn]) -> BlockTiming:
        """Time one decoded basic block."""
        ...

    def needs_probe(self, insn: CsInsn, in_it_block: bool) -> bool:
        """Whether an instruction's cost depends on run-time state (for the static pre-scan)."""
        ...

    def probe(self, timing: InsnTiming, read: RegisterReader) -> tuple[int, bool]:
        """Actual (cycles, condition passed) of a probed instruction about to execute."""
        ...


_Factory = Callable[..., CycleModel]
_MODELS: dict[str, _Factory] = {}


def register_cycle_model(name: str) -> Callable[[_Factory], _Factory]:
    """Class decorator: make a cycle model available under ``name``."""

    def add(factory: _Factory) -> _Factory:
        if name in _MODELS:
            raise ValueError(f"cycle model {name!r} registered twice")
        _MODELS[name] = factory
        return factory

    return add


def get_cycle_model(name: str, **params: int) -> CycleModel:
    """Build the cycle model registered as ``name``.

    Args:
        name: Registry name, e.g. ``"cortex-m4"``.
        **params: Model parameters (the Cortex-M4 model takes ``pipeline_refill``).

    Raises:
        SimulationError: Unknown name or bad parameters.
    """
    try:
        factory = _MODELS[name]
    except KeyError:
        known = ", ".join(sorted(_MODELS))
        raise SimulationError(f"unknown cycle model {name!r} (known: {known})") from None
    try:
        return factory(**params)
    except (TypeError, ValueError) as exc:
        raise SimulationError(f"bad parameters for cycle model {name!r}: {exc}") from None


def cycle_model_names() -> list[str]:
    """Names of all registered cycle models."""
    return sorted(_MODELS)


# --------------------------------------------------------------------------------------------
# Cortex-M4 (ARM DDI 0439, Table 3-1 "Cortex-M4 instruction set summary", section 3.3.2
# "Load/store timings", and Table 7-1 "FPU instruction set").
# --------------------------------------------------------------------------------------------

#: Version of the Cortex-M4 timing rules; results record it. History in docs/cycle-model.md.
CYCLE_MODEL_VERSION = "cm4-trm-2"


class _Lsu(enum.Enum):
    """How an instruction uses the load/store unit, for the TRM 3.3.2 pairing rules."""

    NONE = 0  # not a memory instruction ("data processing" for the address-dependency stall)
    LOAD = 1  # single LDR/LDRB/LDRH/LDRSx/LDREX: pipelines with neighbours
    STORE = 2  # single STR/STRB/STRH/STREX, immediate offset
    STORE_REG = 3  # single store with register offset: nothing pipelines after it
    BLOCKING = 4  # LDRD/STRD, LDM/STM/PUSH/POP, FPU loads/stores, loads to PC, TBB/TBH


@dataclass(frozen=True)
class _Cost:
    cycles: int
    refill: int = 0  # multiples of P added when this instruction changes the PC
    lsu: _Lsu = _Lsu.NONE
    probe: str | None = None


_Rule = Callable[[CsInsn], _Cost]
_RULES: dict[str, _Rule] = {}


def _rule(*names: str) -> Callable[[_Rule], _Rule]:
    def add(fn: _Rule) -> _Rule:
        for name in names:
            _RULES[name] = fn
        return fn

    return add


def _reg_ops(insn: CsInsn) -> list[int]:
    return [op.reg for op in insn.operands if op.type == csarm.ARM_OP_REG]


def _writes_pc(insn: CsInsn) -> bool:
    ops = insn.operands
    return bool(ops) and ops[0].type == csarm.ARM_OP_REG and ops[0].reg == csarm.ARM_REG_PC


def _words(insn: CsInsn, regs: list[int]) -> int:
    """32-bit words moved by a register list (a D register is two words)."""
    return sum(2 if insn.reg_name(r).startswith("d") else 1 for r in regs)


# TRM Table 3-1: data processing, shifts, moves, compares, bit-field, extend, reverse,
# saturate, parallel/DSP arithmetic and every multiply (MUL, MLA, MLS, long multiplies and the
# DSP multiply-accumulates are single-cycle on the Cortex-M4), barriers DMB/DSB (B = 0), hints.
_ONE_CYCLE = """
adc add addw adr and asr bfc bfi bic clz cmn cmp eor lsl lsr mov movt movw mvn neg orn orr
rbit rev rev16 revsh ror rrx rsb sbc sbfx sub subw teq tst ubfx
sxtb sxth uxtb uxth sxtab sxtah uxtab uxtah sxtb16 uxtb16 sxtab16 uxtab16
ssat usat ssat16 usat16 qadd qsub qdadd qdsub qadd8 qadd16 qsub8 qsub16 qasx qsax
sadd8 sadd16 ssub8 ssub16 sasx ssax shadd8 shadd16 shsub8 shsub16 shasx shsax
uadd8 uadd16 usub8 usub16 uasx usax uhadd8 uhadd16 uhsub8 uhsub16 uhasx uhsax
uqadd8 uqadd16 uqsub8 uqsub16 uqasx uqsax usad8 usada8 sel pkhbt pkhtb
mul mla mls smull umull smlal umlal umaal
smlabb smlabt smlatb smlatt smlawb smlawt smulbb smulbt smultb smultt smulwb smulwt
smlad smladx smlsd smlsdx smlald smlaldx smlsld smlsldx smlalbb smlalbt smlaltb smlaltt
smmla smmlar smmls smmlsr smmul smmulr smuad smuadx smusd smusdx
dmb dsb hint nop yield sev wfe wfi it cps mrs msr clrex pld pli svc udf
""".split()


@_rule(*_ONE_CYCLE)
def _alu(insn: CsInsn) -> _Cost:
    # "To PC" rows of Table 3-1 (MOV PC, ADD PC): 1 + P.
    return _Cost(1, refill=1 if _writes_pc(insn) else 0)


@_rule("isb")
def _isb(insn: CsInsn) -> _Cost:
    # Table 3-1: ISB is 1 + B, and for ISB B is at least a pipeline refill.
    return _Cost(1, refill=1)


@_rule("bkpt")
def _bkpt(insn: CsInsn) -> _Cost:
    # Simulation markers: a debugger halts here on hardware, so they cost nothing in the model.
    return _Cost(0)


@_rule("sdiv", "udiv")
def _divide(insn: CsInsn) -> _Cost:
    # Table 3-1: 2 to 12 with early termination; the static figure is the worst case and a
    # probe re-prices it from the operands (see CortexM4Model.probe).
    return _Cost(12, probe="divide")


@_rule("b", "bl", "bx", "blx")
def _branch(insn: CsInsn) -> _Cost:
    # Table 3-1: B, BL, BX, BLX 1 + P; a conditional branch is 1 when not taken.
    return _Cost(1, refill=1)


@_rule("cbz", "cbnz")
def _cbz(insn: CsInsn) -> _Cost:
    # Table 3-1: CBZ/CBNZ 1 or 1 + P.  Always conditional.
    return _Cost(1, refill=1)


@_rule("tbb", "tbh")
def _table_branch(insn: CsInsn) -> _Cost:
    # Table 3-1: TBB/TBH 2 + P.
    return _Cost(2, refill=1, lsu=_Lsu.BLOCKING)


@_rule("ldr", "ldrb", "ldrh", "ldrsb", "ldrsh", "ldrt", "ldrbt", "ldrht", "ldrsbt", "ldrsht",
       "ldrex", "ldrexb", "ldrexh")
def _load(insn: CsInsn) -> _Cost:
    # Table 3-1: LDR 2; to PC 2 + P (3.3.2: "LDR PC,[any] is always a blocking operation").
    if _writes_pc(insn):
        return _Cost(2, refill=1, lsu=_Lsu.BLOCKING)
    return _Cost(2, lsu=_Lsu.LOAD)


@_rule("str", "strb", "strh", "strt", "strbt", "strht", "strex", "strexb", "strexh")
def _store(insn: CsInsn) -> _Cost:
    # Table 3-1: STR 2.  3.3.2: "Other instructions cannot be pipelined after STR with
    # register offset."
    mem = [op.mem for op in insn.operands if op.type == csarm.ARM_OP_MEM]
    reg_offset = bool(mem) and mem[0].index != 0
    return _Cost(2, lsu=_Lsu.STORE_REG if reg_offset else _Lsu.STORE)


@_rule("ldrd", "strd")
def _double(insn: CsInsn) -> _Cost:
    # Table 3-1: LDRD/STRD 1 + N with N = 2; 3.3.2: not pipelined with neighbours.
    return _Cost(3, lsu=_Lsu.BLOCKING)


@_rule("ldm", "ldmdb", "pop")
def _load_multiple(insn: CsInsn) -> _Cost:
    # Table 3-1: LDM/POP 1 + N; including PC 1 + N + P.  3.3.2: not pipelined with neighbours.
    regs = _reg_ops(insn)
    if insn.insn_name() != "pop":
        regs = regs[1:]  # the base register
    return _Cost(1 + len(regs), refill=int(csarm.ARM_REG_PC in regs), lsu=_Lsu.BLOCKING)


@_rule("stm", "stmdb", "push")
def _store_multiple(insn: CsInsn) -> _Cost:
    # Table 3-1: STM/PUSH 1 + N.
    regs = _reg_ops(insn)
    if insn.insn_name() != "push":
        regs = regs[1:]
    return _Cost(1 + len(regs), lsu=_Lsu.BLOCKING)


# FPU instruction classes for the scoreboard in CortexM4Model.block_timing.
_FP_NAMES = ("v", "fconst", "fmstat")  # every FPU instruction (capstone names)
_FP_MAC = ("vmla", "vmls", "vnmla", "vnmls", "vfma", "vfms", "vfnma", "vfnms")
_FP_DIVIDE = ("vdiv", "vsqrt")
#: TRM (FPU chapter, notes to Table 7-1): arithmetic data processing - add, subtract, multiply,
#: divide, square root, every multiply-accumulate form - and conversions of all types take one
#: cycle longer if the following instruction consumes the result. GCC's cortex-m4-fpu.md
#: encodes the same (latency 2 for fadds/fmuls/f_cvt, 4 for fmacs, 15 for fdivs; 1 for
#: ffariths = VABS/VNEG, fcmps, fcpys = VMOV).
_FP_RESULT_LATE = frozenset(
    ("vadd", "vsub", "vmul", "vnmul", "vcvt", "vcvtr", "vcvtb", "vcvtt", *_FP_MAC, *_FP_DIVIDE)
)

# Table 7-1 (FPU): single-cycle data processing, compares, conversions, moves, FPSCR transfers.
_FP_ONE_CYCLE = """
vabs vadd vsub vmul vnmul vneg vcmp vcmpe vcvt vcvtr vcvtb vcvtt fconsts fconstd vmrs fmstat vmsr
""".split()


@_rule(*_FP_ONE_CYCLE)
def _fp_one(insn: CsInsn) -> _Cost:
    return _Cost(1)


@_rule("vmov")
def _vmov(insn: CsInsn) -> _Cost:
    # Table 7-1: VMOV between registers or core<->single 1; two core registers <-> two
    # singles or one double 2.
    return _Cost(2 if len(insn.operands) >= 3 else 1)


@_rule(*_FP_MAC)
def _fp_mac(insn: CsInsn) -> _Cost:
    # Table 7-1: chained and fused multiply-accumulate 3 (FPU occupancy; how long the core
    # waits is decided by the FPU scoreboard in block_timing).
    return _Cost(3)


@_rule(*_FP_DIVIDE)
def _fp_div(insn: CsInsn) -> _Cost:
    # Table 7-1: VDIV/VSQRT 14 (FPU occupancy, see block_timing).
    return _Cost(14)


@_rule("vldr", "vstr")
def _fp_single(insn: CsInsn) -> _Cost:
    # Table 7-1: VLDR/VSTR 2 for a single, 3 for a double (1 + N words).
    regs = _reg_ops(insn)
    return _Cost(1 + _words(insn, regs[:1]), lsu=_Lsu.BLOCKING)


@_rule("vldmia", "vldmdb", "vstmia", "vstmdb", "vpush", "vpop")
def _fp_multiple(insn: CsInsn) -> _Cost:
    # Table 7-1: VLDM/VSTM/VPUSH/VPOP 1 + N, N counted in 32-bit words.
    regs = _reg_ops(insn)
    if not insn.insn_name().startswith(("vpush", "vpop")):
        regs = regs[1:]
    return _Cost(1 + _words(insn, regs), lsu=_Lsu.BLOCKING)


_CORE_REGS = frozenset(
    {getattr(csarm, f"ARM_REG_R{i}") for i in range(13)}
    | {csarm.ARM_REG_SP, csarm.ARM_REG_LR}
)
_PIPELINES_AFTER = {
    # current kind -> previous kinds it can pipeline behind (TRM 3.3.2 and Table 3-1 note
    # "neighboring load and store single instructions can pipeline their address and data").
    _Lsu.LOAD: (_Lsu.LOAD, _Lsu.STORE),
    _Lsu.STORE: (_Lsu.LOAD, _Lsu.STORE),
    _Lsu.STORE_REG: (_Lsu.LOAD,),  # "STR can only be pipelined when it follows an LDR"
}
_FLAG_TESTS: dict[int, Callable[[bool, bool, bool, bool], bool]] = {
    csarm.ARM_CC_EQ: lambda n, z, c, v: z,
    csarm.ARM_CC_NE: lambda n, z, c, v: not z,
    csarm.ARM_CC_HS: lambda n, z, c, v: c,
    csarm.ARM_CC_LO: lambda n, z, c, v: not c,
    csarm.ARM_CC_MI: lambda n, z, c, v: n,
    csarm.ARM_CC_PL: lambda n, z, c, v: not n,
    csarm.ARM_CC_VS: lambda n, z, c, v: v,
    csarm.ARM_CC_VC: lambda n, z, c, v: not v,
    csarm.ARM_CC_HI: lambda n, z, c, v: c and not z,
    csarm.ARM_CC_LS: lambda n, z, c, v: (not c) or z,
    csarm.ARM_CC_GE: lambda n, z, c, v: n == v,
    csarm.ARM_CC_LT: lambda n, z, c, v: n != v,
    csarm.ARM_CC_GT: lambda n, z, c, v: (not z) and n == v,
    csarm.ARM_CC_LE: lambda n, z, c, v: z or n != v,
    csarm.ARM_CC_AL: lambda n, z, c, v: True,
}


def condition_passed(cond: int, xpsr: int) -> bool:
    """Evaluate an Arm condition code against the N, Z, C, V flags of an xPSR value."""
    n, z, c, v = (bool(xpsr >> bit & 1) for bit in (31, 30, 29, 28))
    return _FLAG_TESTS[cond](n, z, c, v)


def divide_cycles(dividend: int, divisor: int, signed: bool) -> int:
    """Estimated SDIV/UDIV cycles from the operands.

    The TRM (Table 3-1, note on SDIV/UDIV) gives 2 to 12 cycles with early termination
    "based on the number of leading ones and zeroes in the input operands", without the exact
    rule. This model maps the number of quotient bits q = max(0, bits(|n|) - bits(|d|) + 1)
    linearly onto that range: 2 + ceil(10 * q / 32). Division by zero returns early: 2.
    """
    if signed:
        dividend = abs(dividend - (1 << 32) if dividend & 0x8000_0000 else dividend)
        divisor = abs(divisor - (1 << 32) if divisor & 0x8000_0000 else divisor)
    if divisor == 0:
        return 2
    quotient_bits = max(0, dividend.bit_length() - divisor.bit_length() + 1)
    return 2 + -(-10 * quotient_bits // 32)


@register_cycle_model("cortex-m4")
class CortexM4Model:
    """Cortex-M4 (r0p1) zero-wait-state timings from the TRM, ARM DDI 0439.

    Args:
        pipeline_refill: P of Table 3-1, the cycles to refill the pipeline after a taken
            branch. The TRM gives 1 to 3 depending on alignment and width of the target and on
            early speculation; the model uses one fixed value (default 2, documented).
        mac_overlap: Let integer instructions after a VMLA/VFMA-class multiply-accumulate
            proceed while the FPU finishes it (the MAC holds the core 1 cycle and the FPU 3),
            as GCC's cortex-m4-fpu.md describes ("integer instructions following
            multiply-accumulate instructions complete out-of-order"). False: the MAC holds the
            core for its 3 cycles, Table 7-1 read literally. VDIV/VSQRT always overlap (the TRM
            states it for them).
    """

    name = "cortex-m4"
    version = CYCLE_MODEL_VERSION

    def __init__(self, pipeline_refill: int = 2, mac_overlap: bool = True) -> None:
        if not 1 <= pipeline_refill <= 3:
            raise ValueError("pipeline_refill must be 1..3 (TRM Table 3-1)")
        self.pipeline_refill = pipeline_refill
        self.mac_overlap = bool(mac_overlap)

    def _cost(self, insn: CsInsn) -> _Cost | None:
        rule = _RULES.get(insn.insn_name())
        return None if rule is None else rule(insn)

    def needs_probe(self, insn: CsInsn, in_it_block: bool) -> bool:
        """Divides and every instruction inside an IT block."""
        cost = self._cost(insn)
        return _in_it_block(insn, in_it_block) or (cost is not None and cost.probe is not None)

    def block_timing(self, insns: Sequence[CsInsn]) -> BlockTiming:
        """Time a basic block; see the module and docs/cycle-model.md for the rules."""
        if not insns:
            raise SimulationError("empty basic block")
        p = self.pipeline_refill
        timings: list[InsnTiming] = []
        offsets: list[int] = []
        unmodelled: list[str] = []
        total = 0
        taken_penalty = 0
        prev_lsu = _Lsu.NONE
        prev_load_dest: frozenset[int] = frozenset()
        prev_writes: frozenset[int] = frozenset()
        # FPU scoreboard, offsets from the block start (the FPU is assumed free at the start;
        # the simulator adds the wait for an operation left running by an earlier block).
        fpu_free = 0  # when the FPU accepts its next instruction
        ready: dict[int, int] = {}  # S register -> cycle its value can be read
        addend_ready: dict[int, int] = {}  # ... read as a multiply-accumulate addend
        fp_first = -1
        fp_reads: frozenset[int] = frozenset()
        fp_pending: frozenset[int] = frozenset()
        last = len(insns) - 1
        it_remaining = 0
        for i, insn in enumerate(insns):
            in_it = it_remaining > 0
            it_remaining = it_block_length(insn) if insn.insn_name() == "it" else max(
                0, it_remaining - 1)
            cost = self._cost(insn)
            if cost is None:
                unmodelled.append(insn.insn_name())
                cost = _Cost(1)
            cycles = cost.cycles
            if cost.lsu is not _Lsu.NONE:
                addr_regs = _address_registers(insn)
                # 3.3.2: an address that depends on the previous data-processing result stalls
                # one cycle (no forwarding path to the address generator).
                if prev_lsu is _Lsu.NONE and addr_regs & prev_writes:
                    cycles += 1
                # 3.3.2: neighbouring single loads/stores pipeline, one cycle less, unless the
                # previous load's destination forms this address.
                elif prev_lsu in _PIPELINES_AFTER.get(cost.lsu, ()) and not (
                    addr_regs & prev_load_dest
                ):
                    cycles -= 1
            issue = total
            name = insn.insn_name()
            if name.startswith(_FP_NAMES):
                # FPU scoreboard (TRM FPU chapter notes to Table 7-1; GCC cortex-m4-fpu.md):
                # an FPU instruction issues when the FPU is free and its operands are ready.
                # Arithmetic results and conversions arrive one cycle after the operation
                # (the "+1 if consumed by the following instruction"), except as the addend
                # of a multiply-accumulate, which is read a cycle later. VDIV/VSQRT (and,
                # with mac_overlap, MACs) hold the core one cycle; integer instructions behind
                # them proceed while the FPU finishes.
                reads, addends, writes = fp_register_access(insn)
                issue = max(total, fpu_free,
                            *(ready.get(r, 0) for r in reads),
                            *(addend_ready.get(r, 0) for r in addends))
                busy = cycles
                if name in _FP_DIVIDE or (self.mac_overlap and name in _FP_MAC):
                    cycles = 1
                fpu_free = issue + busy
                late = 1 if name in _FP_RESULT_LATE else 0
                for r in writes:
                    ready[r] = fpu_free + late
                    addend_ready[r] = fpu_free
                if fp_first < 0:
                    fp_first, fp_reads = issue, reads
                fp_pending = writes if late else frozenset()
                cycles += issue - total
            conditional = _in_it_block(insn, in_it)
            probe = cost.probe or ("condition" if conditional else None)
            operands: tuple[str, ...] = ()
            if probe == "divide":
                regs = _reg_ops(insn)
                operands = (insn.reg_name(regs[-2]), insn.reg_name(regs[-1]))
            if cost.refill:
                may_fall_through = insn.cc != csarm.ARM_CC_AL or insn.insn_name() in (
                    "cbz", "cbnz")
                if i != last:
                    raise SimulationError(
                        f"branch at 0x{insn.address:08x} is not the last instruction of its block"
                    )
                if may_fall_through:
                    taken_penalty = cost.refill * p
                else:
                    cycles += cost.refill * p
            offsets.append(issue)
            total += cycles
            timings.append(
                InsnTiming(insn.address, insn.size, insn.insn_name(), cycles, insn.cc,
                           conditional, probe, operands)
            )
            prev_lsu = cost.lsu
            prev_load_dest = frozenset(_reg_ops(insn)[:1]) if cost.lsu is _Lsu.LOAD else frozenset()
            prev_writes = frozenset(insn.regs_access()[1]) & _CORE_REGS
        end = insns[-1].address + insns[-1].size
        return BlockTiming(insns[0].address, end - insns[0].address, timings, total,
                           taken_penalty, end, offsets, unmodelled, fp_first, fp_reads,
                           fpu_free, fp_pending)

    def probe(self, timing: InsnTiming, read: RegisterReader) -> tuple[int, bool]:
        """Price a probed instruction from the register state just before it executes.

        Returns (cycles, passed). An IT-block instruction whose condition fails costs 1 cycle
        (it is issued and discarded, the branch of Table 3-1's "1 or 1 + P" rule applied to
        every instruction); a divide costs :func:`divide_cycles` of its operands.
        """
        if timing.conditional and not condition_passed(timing.cond, read("xpsr")):
            return 1, False
        if timing.probe == "divide":
            return divide_cycles(read(timing.operands[0]), read(timing.operands[1]),
                                 signed=timing.name == "sdiv"), True
        return timing.cycles, True


def it_block_length(insn: CsInsn) -> int:
    """Number of instructions an IT instruction covers (``itete`` -> 4)."""
    return len(insn.mnemonic.split(".")[0]) - 1


def _in_it_block(insn: CsInsn, after_it: bool) -> bool:
    """Whether an instruction is conditional by an IT block.

    ``after_it`` says an IT instruction seen earlier covers it; without that context (the IT
    was in an earlier basic block) any conditional instruction except B<cc> (whose condition is
    in its own encoding) and IT itself must be inside one.
    """
    if insn.cc in (csarm.ARM_CC_AL, csarm.ARM_CC_INVALID) or insn.insn_name() == "it":
        return False
    return after_it or insn.insn_name() != "b"


def _address_registers(insn: CsInsn) -> frozenset[int]:
    """Core registers that form the address of a memory instruction."""
    name = insn.insn_name()
    if name in ("push", "pop", "vpush", "vpop"):
        return frozenset({csarm.ARM_REG_SP})
    regs = set()
    for op in insn.operands:
        if op.type == csarm.ARM_OP_MEM:
            regs.update(r for r in (op.mem.base, op.mem.index) if r)
    if not regs and name.startswith(("ldm", "stm", "vldm", "vstm")):
        regs.add(insn.operands[0].reg)
    return frozenset(regs) & _CORE_REGS


def _fp_numbers(insn: CsInsn, reg: int) -> tuple[int, ...]:
    """S-register numbers of an FPU register operand (``s5`` -> (5,), ``d2`` -> (4, 5))."""
    name = insn.reg_name(reg)
    if name.startswith("s") and name[1:].isdigit():
        return (int(name[1:]),)
    if name.startswith("d") and name[1:].isdigit():
        n = int(name[1:])
        return (2 * n, 2 * n + 1)
    return ()


def fp_register_access(insn: CsInsn) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """S registers an FPU instruction reads, reads as a multiply-accumulate addend, and writes.

    Derived from the operands per instruction class (capstone's ``regs_access`` omits the
    register lists of VLDM/VSTM). FPSCR is not tracked.
    """
    name = insn.insn_name()
    regs = [op.reg for op in insn.operands if op.type == csarm.ARM_OP_REG]
    fp = [_fp_numbers(insn, r) for r in regs]
    flat = [n for group in fp for n in group]
    if name in _FP_MAC:  # Sd is both the destination and the addend
        return (frozenset(n for g in fp[1:] for n in g), frozenset(fp[0]), frozenset(fp[0]))
    if name.startswith(("vldm", "vpop")) or name == "vldr":
        return frozenset(), frozenset(), frozenset(flat)
    if name.startswith(("vstm", "vpush")) or name == "vstr":
        return frozenset(flat), frozenset(), frozenset()
    if name in ("vcmp", "vcmpe"):
        return frozenset(flat), frozenset(), frozenset()
    if name == "vmov" and any(not g for g in fp):  # a transfer to or from core registers
        if fp and fp[0]:  # VMOV Sd(, Sd2), Rt(, Rt2): FPU registers come first
            return frozenset(), frozenset(), frozenset(flat)
        return frozenset(flat), frozenset(), frozenset()
    if not fp or not fp[0]:  # VMRS/VMSR and other FPSCR transfers
        return frozenset(), frozenset(), frozenset()
    # Data processing, conversions, register moves, constants: Sd first, then the sources.
    return frozenset(n for g in fp[1:] for n in g), frozenset(), frozenset(fp[0])
