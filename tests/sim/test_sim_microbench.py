"""Microbenchmarks: hand-written assembly regions whose cycles follow from the Cortex-M4 TRM.

Each case is assembled with the real GNU Arm toolchain into a tiny ELF, run with zero flash
wait states, and the cycles between ``bkpt #1`` and ``bkpt #2`` must equal the figure derived
next to it (P = 2, the model's pipeline refill). Tables: ARM DDI 0439 Table 3-1 (core),
section 3.3.2 (load/store pairing) and Table 7-1 (FPU); rules in docs/cycle-model.md.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import pytest
from simfw import TEST_MEMORY, snippet_elf

from edgernn.sim import CYCLE_MODEL_VERSION, simulate


@dataclass(frozen=True)
class Case:
    name: str
    body: str
    cycles: int  # derived in the comment of each case
    setup: str = ""
    extra: str = ""
    instructions: int | None = None


CASES = [
    # 3-1: ADD/EOR/LSL/MOV/CMP are 1 cycle each -> 5.
    Case("alu", "adds r2, r2, #1\n eors r3, r3\n lsls r4, r4, #2\n mov r5, r6\n cmp r2, r3", 5),
    # 3-1: MOVW, MOVT, UBFX, CLZ, RBIT, REV 1 each -> 6.
    Case("alu_wide", "movw r2, #0x1234\n movt r2, #0x5678\n ubfx r3, r2, #4, #8\n clz r4, r2\n"
                     " rbit r5, r2\n rev r6, r2", 6),
    # 3-1: MOV PC, Rm 1 + P = 3, then the target NOP 1 -> 4 (the two skipped NOPs never run).
    Case("mov_pc", "mov pc, r7\n nop\n nop\n1: nop", 4, setup="adr r7, 1f", instructions=2),
    # 3-1: LDR 2.
    Case("ldr", "ldr r2, [r0, #4]", 2),
    # 3.3.2: neighbouring LDRs pipeline: 2 + 1 + 1 (TRM example "normally four cycles").
    Case("ldr_pipelined", "ldr r2, [r0, #4]\n ldr r3, [r0, #8]\n ldr r4, [r0, #12]", 4),
    # 3.3.2: the first LDR's destination forms the second address: no pipelining, 2 + 2.
    Case("ldr_dependent", "ldr r2, [r0]\n ldr r3, [r2, #4]", 4),
    # 3.3.2: LDR then STR pipeline: 2 + 1 (TRM example "normally three cycles").
    Case("ldr_str", "ldr r2, [r0, #4]\n str r2, [r1, #20]", 3),
    # 3.3.2 / 3-1 note: neighbouring single stores pipeline: 2 + 1 + 1.
    Case("str_pipelined", "str r2, [r1]\n str r3, [r1, #4]\n strb r4, [r1, #8]", 4),
    # 3.3.2: nothing pipelines after STR with register offset: 2 + 2.
    Case("str_regoffset", "str r2, [r1, r4]\n ldr r3, [r0, #4]", 4),
    # 3.3.2: an address computed by the previous data-processing instruction stalls 1:
    # ADD 1, LDR 2 + 1 -> 4.
    Case("agu_stall", "add r3, r0, #8\n ldr r2, [r3]", 4),
    # 3-1: LDRD 1 + N = 3, not pipelined with the following LDR (2) -> 5.
    Case("ldrd", "ldrd r2, r3, [r0]\n ldr r4, [r0, #8]", 5),
    # 3-1: LDM 1 + 3 = 4, STM 1 + 4 = 5 -> 9.
    Case("ldm_stm", "ldm r0, {r2, r3, r4}\n stm r1, {r2, r3, r4, r5}", 9),
    # 3-1: PUSH 1 + 3 = 4, POP 1 + 3 = 4 -> 8.
    Case("push_pop", "push {r4, r5, r6}\n pop {r4, r5, r6}", 8),
    # 3-1: BL 1 + P = 3, BX LR 1 + P = 3 -> 6.
    Case("bl_bx", "bl leaf", 6,
         extra=".text\n.type leaf, %function\n.thumb_func\nleaf:\n bx lr\n.size leaf, .-leaf"),
    # 3-1: BL 3, PUSH {lr} 1 + 1 = 2, POP {pc} 1 + N + P = 1 + 1 + 2 = 4 -> 9.
    Case("pop_pc", "bl leaf2", 9,
         extra=".text\n.type leaf2, %function\n.thumb_func\nleaf2:\n push {lr}\n pop {pc}\n"
               ".size leaf2, .-leaf2"),
    # 3-1: LDR PC 2 + P = 4 (buf0[12] holds target_word), then the target NOP 1 -> 5.
    Case("ldr_pc", "ldr pc, [r0, #48]\n nop\n", 5,
         extra=".text\n.type target_word, %function\n.thumb_func\ntarget_word:\n nop\n bkpt #2\n"
               " vpop {s16-s19}\n pop {r4-r11, pc}\n.size target_word, .-target_word"),
    # 3-1 (Cortex-M4): MUL, MLA, MLS, SMULL, UMLAL are all single cycle -> 5.
    Case("multiply", "mul r2, r3, r4\n mla r2, r3, r4, r5\n mls r2, r3, r4, r5\n"
                     " smull r2, r3, r4, r5\n umlal r2, r3, r4, r5", 5),
    # 3-1: DSP MACs, SIMD and saturation are single cycle: 7 instructions -> 7.
    Case("dsp", "smlabb r2, r3, r4, r5\n smlad r2, r3, r4, r5\n smulbb r2, r3, r4\n"
                " qadd16 r2, r3, r4\n ssat r2, #8, r3\n uxtb r2, r3\n smlal r2, r3, r4, r5", 7),
    # 3-1: SDIV/UDIV 2..12 by early termination; model 2 + ceil(10 q / 32), q quotient bits:
    # 1000/7: q = 10 - 3 + 1 = 8 -> 5; 0x7fffffff/1: q = 31 -> 12; x/0 -> 2. Total 19.
    Case("divide", "udiv r2, r3, r4\n sdiv r2, r5, r6\n udiv r2, r3, r7", 19,
         setup="movw r3, #1000\n movs r4, #7\n mvn r5, #0x80000000\n movs r6, #1\n movs r7, #0"),
    # 3-1: B<cc> taken 1 + P = 3, not taken 1. MOVS 1 + 3 x SUBS 1 + 2 x BNE taken 3 +
    # BNE not taken 1 -> 11.
    Case("loop_taken", "movs r2, #3\n1: subs r2, #1\n bne 1b", 11),
    # 3-1: CMP 1, BNE not taken 1, NOP 1, NOP 1 -> 4.
    Case("branch_not_taken", "cmp r2, r2\n bne 1f\n nop\n1: nop", 4),
    # 3-1: B 1 + P = 3, target NOP 1 -> 4.
    Case("branch_always", "b 1f\n nop\n nop\n1: nop", 4, instructions=2),
    # 3-1: MOVS 1, CBZ taken 1 + P = 3, CBNZ not taken 1, NOP 1 -> 6.
    Case("cbz", "movs r2, #0\n cbz r2, 1f\n nop\n1: cbnz r2, 2f\n nop\n2:", 6),
    # 3-1: MOVS 1, CMP 1, ITE 1, MOVEQ/MOVNE 1 each whether or not the condition passes -> 5.
    Case("it_alu", "movs r2, #1\n cmp r2, #1\n ite eq\n moveq r3, #1\n movne r3, #2", 5),
    # IT with loads: a failed condition costs 1, a passing LDR 2:
    # CMP 1, IT 1, LDRNE (fails) 1, IT 1, LDREQ 2 -> 6.
    Case("it_load", "cmp r2, r2\n it ne\n ldrne r3, [r0, #4]\n it eq\n ldreq r4, [r0, #8]", 6),
    # 7-1: VLDR 2, VLDR 2, VSTR 2 (FPU loads/stores not pipelined in the model) -> 6.
    Case("vldr_vstr", "vldr s8, [r0, #4]\n vldr s9, [r0, #8]\n vstr s8, [r1]", 6),
    # 7-1: VLDM 1 + 4, VSTM 1 + 4, VPUSH 1 + 2, VPOP 1 + 2, VLDR.64 1 + 2 -> 19.
    Case("vldm_vpush", "vldmia r0, {s8-s11}\n vstmia r1, {s8-s11}\n vpush {s16-s17}\n"
                       " vpop {s16-s17}\n vldr d5, [r0]", 19),
    # 7-1: VADD, VSUB, VMUL, VABS, VNEG 1 each -> 5.
    Case("vadd_vmul", "vadd.f32 s8, s0, s1\n vsub.f32 s9, s0, s1\n vmul.f32 s10, s0, s1\n"
                      " vabs.f32 s11, s2\n vneg.f32 s12, s2", 5),
    # 7-1: VMLA, VFMA, VFMS, VNMLA 3 each, independent: each waits for the FPU, issuing at
    # 0, 3, 6, 9. The last MAC's result arrives at 9 + 3 + 1 = 13 (arithmetic result one
    # cycle late), so the VMOV reading it issues at 13 and ends at 14.
    Case("vmla_vfma", "vmla.f32 s8, s0, s1\n vfma.f32 s9, s0, s1\n vfms.f32 s10, s0, s1\n"
                      " vnmla.f32 s11, s0, s1\n vmov r2, s11", 14),
    # 7-1: VDIV 14, VSQRT 14: the VSQRT waits for the FPU (issues at 14), its result arrives
    # at 14 + 14 + 1 = 29; VMOV reading it 1 -> 30.
    Case("vdiv_vsqrt", "vdiv.f32 s8, s0, s1\n vsqrt.f32 s9, s1\n vmov r2, s9", 30),
    # 7-1: VMOV core->S 1, S->core 1, S->S 1, immediate 1, two core <-> D 2, two core -> two S 2.
    Case("vmov", "vmov s8, r2\n vmov r3, s1\n vmov.f32 s9, s3\n vmov.f32 s10, #1.0\n"
                 " vmov r2, r3, d0\n vmov s12, s13, r4, r5", 8),
    # 7-1: VCVT 1, VCVT 1 + 1 (it reads the first conversion's result, which arrives a cycle
    # late), VCMP 1, VMRS 1 -> 5.
    Case("vcvt_vcmp", "vcvt.s32.f32 s8, s0\n vcvt.f32.s32 s9, s8\n vcmp.f32 s0, s1\n"
                      " vmrs APSR_nzcv, fpscr", 5),
    # --- FPU hazards and overlap (TRM FPU chapter notes to Table 7-1; GCC cortex-m4-fpu.md).
    # An arithmetic result consumed by the next instruction costs it 1 more: VADD 1, VMUL 1 + 1;
    # with one instruction in between there is no stall: VADD 1, NOP 1, VMUL 1 -> 6.
    Case("fp_result_hazard", "vadd.f32 s8, s0, s1\n vmul.f32 s9, s8, s2\n"
                             " vadd.f32 s10, s0, s1\n nop\n vmul.f32 s11, s10, s2", 6),
    # Stores and transfers consume too: VMUL 1, VSTR 2 + 1, VSUB 1, VMOV to core 1 + 1 -> 7.
    Case("fp_store_hazard", "vmul.f32 s8, s0, s1\n vstr s8, [r1]\n vsub.f32 s9, s0, s1\n"
                            " vmov r2, s9", 7),
    # VABS/VNEG/VMOV/VLDR results are not late: VNEG 1, VABS 1, VMOV.F32 1, VLDR 2, VADD 1 -> 6.
    Case("fp_no_hazard", "vneg.f32 s8, s0\n vabs.f32 s9, s8\n vmov.f32 s10, s9\n"
                         " vldr s11, [r0, #4]\n vadd.f32 s12, s11, s10", 6),
    # A MAC reads its addend a cycle later, so a result feeding the addend does not stall:
    # VMUL s8 at 0, VMLA s8 += s2 * s3 issues at 1 (FPU free at 1 + 3 = 4, s8 arrives at 5),
    # VMOV r2, s8 issues at 5 -> 6.
    Case("fp_mac_addend_bypass", "vmul.f32 s8, s0, s1\n vmla.f32 s8, s2, s3\n vmov r2, s8", 6),
    # ... but a multiplicand does: VMUL s8 at 0 (arrives 2), VMLA s9 += s8 * s3 issues at 2,
    # s9 arrives at 2 + 3 + 1 = 6, VMOV issues at 6 -> 7.
    Case("fp_mac_operand_hazard", "vmul.f32 s8, s0, s1\n vmla.f32 s9, s8, s3\n vmov r2, s9", 7),
    # Accumulator chain: each VFMA waits for the FPU (addend bypass, no extra stall): issues at
    # 0, 3, 6; s8 arrives at 6 + 3 + 1 = 10; VMOV 1 -> 11.
    Case("fp_mac_chain", "vfma.f32 s8, s0, s1\n vfma.f32 s8, s2, s3\n vfma.f32 s8, s4, s5\n"
                         " vmov r2, s8", 11),
    # Integer work overlaps a MAC (GCC: the MAC holds the core 1 cycle, the FPU 3): VFMA 1,
    # ADD 1, ADD 1, then an independent VADD issues at 3 when the FPU is free -> 4
    # (flat Table 7-1 costing would give 3 + 1 + 1 + 1 = 6).
    Case("fp_mac_overlap", "vfma.f32 s8, s0, s1\n add r2, r2, #1\n add r3, r3, #1\n"
                           " vadd.f32 s9, s2, s3", 4),
    # Integer-only instructions after VDIV complete while it runs: VDIV 1, 13 ADDs (t = 14),
    # an independent VADD issues at 14 when the FPU is free -> 15 (flat: 14 + 13 + 1 = 28).
    Case("fp_vdiv_overlap", "vdiv.f32 s8, s0, s1\n" + " add r2, r2, #1\n" * 13
                            + " vadd.f32 s9, s2, s3", 15),
    # VDIV result needed early: VDIV 1, 4 ADDs (t = 5), VMOV of s8 waits until 14 + 1 -> 16.
    Case("fp_vdiv_result", "vdiv.f32 s8, s0, s1\n" + " add r2, r2, #1\n" * 4
                           + " vmov r3, s8", 16),
    # Across a block boundary: VDIV 1, B 1 + P = 3 (t = 4); the next block's VMOV of s8 waits
    # for the FPU (14) and the late result (+1) -> issues at 15, ends at 16.
    Case("fp_vdiv_across_blocks", "vdiv.f32 s8, s0, s1\n b 1f\n nop\n1: vmov r3, s8", 16,
         instructions=3),
    # A MAC in a counted loop overlaps the loop overhead (cross-block FPU state):
    # MOVS 1; two taken iterations VFMA 1 + SUBS 1 + BNE 3 = 5 (the MAC's FPU cycles end
    # before the branch does); last iteration VFMA 1 + SUBS 1 + BNE not taken 1 -> 14
    # (flat: 1 + 2 x 7 + 5 = 20).
    Case("fp_mac_loop", "movs r2, #3\n1: vfma.f32 s8, s0, s1\n subs r2, #1\n bne 1b", 14),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_region_cycles_match_trm(case: Case, tmp_path) -> None:
    elf = snippet_elf(tmp_path, case.body, setup=case.setup, extra=case.extra)
    result = simulate(elf, TEST_MEMORY)
    assert result.region.marked and result.region.entries == 1
    assert result.region.cycles == case.cycles
    assert result.cycle_model_version == CYCLE_MODEL_VERSION
    assert not result.unmodelled_instructions
    assert result.unprobed_instructions == 0
    if case.instructions is not None:
        assert result.region.instructions == case.instructions


def test_fpu_results_are_computed(tmp_path) -> None:
    """VFP instructions really execute (FPU enabled via CPACR by the test startup)."""
    body = ("vmul.f32 s8, s0, s1\n vfma.f32 s8, s2, s3\n vdiv.f32 s9, s8, s4\n"
            " vsqrt.f32 s10, s5\n vstmia r1, {s8-s10}")
    elf = snippet_elf(tmp_path, body)
    result = simulate(elf, TEST_MEMORY, outputs=["buf1"])
    s8, s9, s10 = struct.unpack("<3f", result.outputs["buf1"][:12])
    assert s8 == pytest.approx(1.5 * 2.0 + -3.0 * 4.25)
    assert s9 == pytest.approx(s8 / 0.5)
    assert s10 == pytest.approx(8.0**0.5)


def test_microbenchmark_suite_is_large_enough() -> None:
    assert len(CASES) >= 20


def test_branch_inside_it_block(tmp_path) -> None:
    """B inside an IT block: condition failed 1 cycle and not an executed instruction for
    unicorn's code hooks; passed and taken 1 + P."""
    # CMP 1, IT NE 1, BNE (fails) 1, IT EQ 1, BEQ taken 1 + 2, NOP 1 -> 8; instructions:
    # CMP, IT, IT, BEQ, NOP = 5 (the failed BNE is not counted).
    body = "cmp r2, r2\n it ne\n bne 1f\n it eq\n beq 1f\n nop\n1: nop"
    result = simulate(snippet_elf(tmp_path, body), TEST_MEMORY)
    assert (result.region.cycles, result.region.instructions) == (8, 5)
