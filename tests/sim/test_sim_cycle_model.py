"""The cycle-model registry and the data-dependent timing rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from simfw import TEST_MEMORY, snippet_elf

from edgernn.errors import SimulationError
from edgernn.sim import (
    CYCLE_MODEL_VERSION,
    CortexM4Model,
    cycle_model_names,
    divide_cycles,
    get_cycle_model,
    register_cycle_model,
    simulate,
)
from edgernn.sim.cycles import condition_passed


def test_registry_names_the_cortex_m4_model() -> None:
    assert "cortex-m4" in cycle_model_names()
    model = get_cycle_model("cortex-m4")
    assert isinstance(model, CortexM4Model)
    assert model.version == CYCLE_MODEL_VERSION == "cm4-trm-2"


def test_unknown_model_and_bad_parameters_are_user_errors() -> None:
    with pytest.raises(SimulationError, match="unknown cycle model 'cortex-m99'"):
        get_cycle_model("cortex-m99")
    with pytest.raises(SimulationError, match="pipeline_refill must be 1..3"):
        get_cycle_model("cortex-m4", pipeline_refill=5)


def test_a_name_registers_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register_cycle_model("cortex-m4")(CortexM4Model)


@pytest.mark.parametrize(
    "dividend,divisor,signed,cycles",
    [
        (1000, 7, False, 5),  # q = 10 - 3 + 1 = 8 quotient bits -> 2 + ceil(80 / 32) = 5
        (0x7FFF_FFFF, 1, True, 12),  # q = 31 -> 2 + ceil(310 / 32) = 12
        (0xFFFF_FFFF, 1, False, 12),  # q = 32 -> 12
        (3, 7, False, 2),  # quotient 0: q = 0 -> 2
        (5, 0, False, 2),  # division by zero returns early
        ((-1000) & 0xFFFF_FFFF, 7, True, 5),  # signed: magnitudes
    ],
)
def test_divide_cycles(dividend: int, divisor: int, signed: bool, cycles: int) -> None:
    assert divide_cycles(dividend, divisor, signed) == cycles


@given(st.integers(0, 0xFFFF_FFFF), st.integers(0, 0xFFFF_FFFF), st.booleans())
def test_divide_cycles_stay_in_the_trm_range(dividend: int, divisor: int, signed: bool) -> None:
    assert 2 <= divide_cycles(dividend, divisor, signed) <= 12


def test_condition_codes() -> None:
    from capstone import arm as cs

    z_set = 1 << 30
    n_set = 1 << 31
    assert condition_passed(cs.ARM_CC_EQ, z_set) and not condition_passed(cs.ARM_CC_NE, z_set)
    assert condition_passed(cs.ARM_CC_LT, n_set) and not condition_passed(cs.ARM_CC_GE, n_set)
    assert condition_passed(cs.ARM_CC_HI, 1 << 29) and not condition_passed(cs.ARM_CC_HI, 0)


def test_pipeline_refill_is_a_model_parameter(tmp_path) -> None:
    # MOVS 1 + 3 x SUBS 1 + 2 taken BNE (1 + P) + 1 not taken: 11 with P = 2, 13 with P = 3.
    elf = snippet_elf(tmp_path, "movs r2, #3\n1: subs r2, #1\n bne 1b")
    assert simulate(elf, TEST_MEMORY).region.cycles == 11
    p3 = get_cycle_model("cortex-m4", pipeline_refill=3)
    assert simulate(elf, TEST_MEMORY, cycle_model=p3).region.cycles == 13


def test_mac_overlap_is_a_model_parameter(tmp_path) -> None:
    # VFMA, ADD, ADD, independent VADD: 4 with the MAC overlapping the integer work (GCC's
    # cortex-m4-fpu.md), 3 + 1 + 1 + 1 = 6 with the MAC holding the core (Table 7-1 literally).
    elf = snippet_elf(tmp_path, "vfma.f32 s8, s0, s1\n add r2, r2, #1\n add r3, r3, #1\n"
                                " vadd.f32 s9, s2, s3")
    assert simulate(elf, TEST_MEMORY).region.cycles == 4
    flat = get_cycle_model("cortex-m4", mac_overlap=False)
    assert simulate(elf, TEST_MEMORY, cycle_model=flat).region.cycles == 6


def test_fpu_register_access_covers_register_lists() -> None:
    from capstone import CS_ARCH_ARM, CS_MODE_MCLASS, CS_MODE_THUMB, Cs

    from edgernn.sim.cycles import fp_register_access

    md = Cs(CS_ARCH_ARM, CS_MODE_THUMB | CS_MODE_MCLASS)
    md.detail = True
    # vstmia r1, {s8-s10}; vldmia r0!, {s8-s11}; vfma.f32 s8, s24, s16; vmov r0, r1, d4
    code = bytes.fromhex("81ec034ab0ec044aacee084a51ec140b")
    got = [fp_register_access(i) for i in md.disasm(code, 0)]
    assert got[0] == (frozenset({8, 9, 10}), frozenset(), frozenset())
    assert got[1] == (frozenset(), frozenset(), frozenset({8, 9, 10, 11}))
    assert got[2] == (frozenset({24, 16}), frozenset({8}), frozenset({8}))
    assert got[3] == (frozenset({8, 9}), frozenset(), frozenset())
