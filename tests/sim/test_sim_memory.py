"""The flash timing model: wait states, prefetch, instruction and data caches.

Expected figures follow the rules of docs/cycle-model.md ("Memory model"): a flash read takes
WS + 1 cycles, a word needed at cycle t that arrives at a stalls a - 1 - t cycles, line fills
read their words back to back critical word first, the prefetcher reads the next line when a
line fill ends. Each figure is derived in the comment next to it.
"""

from __future__ import annotations

import pytest
from simfw import TEST_MEMORY, build_elf

from edgernn.sim import CacheConfig, FlashModel, MemoryTiming, simulate

WS5 = dict(flash_wait_states=5, flash_word_bytes=8)


# ------------------------------------------------------------------ unit tests of FlashModel


def test_fetch_without_cache_pays_wait_states_per_flash_word() -> None:
    model = FlashModel(MemoryTiming(**WS5))
    # word 0 needed at 0: read 0..6, stall 6 - 1 - 0 = 5; word 1 needed at 4 + 5 = 9: read
    # 9..15, stall 5. Total 10.
    assert model.fetch(((0, 0), (1, 4)), now=0) == 10


def test_prefetch_hides_part_of_a_sequential_miss() -> None:
    model = FlashModel(MemoryTiming(**WS5, prefetch=True))
    # word 0: stall 5, its read ends at 6 and the prefetch of word 1 runs 6..12; word 1 needed
    # at 9: stall 12 - 1 - 9 = 2. Total 7.
    assert model.fetch(((0, 0), (1, 4)), now=0) == 7
    assert model.final_stats().prefetch_hits == 1


def test_icache_line_fill_then_hits_and_lru_eviction() -> None:
    timing = MemoryTiming(flash_wait_states=2, flash_word_bytes=8,
                          icache=CacheConfig(lines=2, line_bytes=16))
    model = FlashModel(timing)
    plan = ((0, 0), (1, 1), (2, 2), (3, 3))
    # Reads take 3 cycles. w0 at 0: fill of line 0 (w0 0..3, w1 3..6), stall 2. w1 at 1 + 2 = 3
    # arrives 6: stall 2. w2 at 2 + 4 = 6: line 1 miss, arrives 9, stall 2. w3 at 3 + 6 = 9
    # arrives 12: stall 2. Total 8.
    assert model.fetch(plan, now=0) == 8
    assert model.fetch(plan, now=100) == 0  # both lines present and filled
    assert model.fetch(((4, 0),), now=200) == 2  # line 2 evicts the LRU line 0
    assert model.fetch(((2, 0),), now=300) == 0  # line 1 survived
    assert model.fetch(((0, 0),), now=400) == 2  # line 0 was evicted
    stats = model.final_stats()
    assert stats.fetch_line_misses == 4


def test_data_cache_line_fill_and_hits() -> None:
    timing = MemoryTiming(**WS5, dcache=CacheConfig(lines=8, line_bytes=32))
    model = FlashModel(timing)
    offsets = iter([0, 2, 3, 4])
    model.access_offset = lambda: next(offsets)
    model.now = 0
    # Four words of one line read by instructions starting at cycles 0, 2, 3, 4 of a block:
    # w0 at 0 arrives 6: stall 5; w1 at 5 + 2 = 7 arrives 12: stall 4; w2 at 9 + 3 = 12
    # arrives 18: stall 5; w3 at 14 + 4 = 18 arrives 24: stall 5. Total 19.
    stalls = [model.read(0x0800_0000 + 8 * i) for i in range(4)]
    assert stalls == [5, 4, 5, 5]
    model.now = 100
    model.access_offset = lambda: 0
    assert [model.read(0x0800_0000 + 8 * i) for i in range(4)] == [0, 0, 0, 0]
    stats = model.final_stats()
    assert (stats.data_reads, stats.data_line_misses, stats.data_stall_cycles) == (8, 1, 19)


def test_data_reads_without_cache_pay_per_flash_word() -> None:
    model = FlashModel(MemoryTiming(**WS5))
    model.now = 0
    assert model.read(0x0800_0000) == 5
    assert model.read(0x0800_0004) == 0  # same 64-bit flash word, already in the read buffer
    assert model.read(0x0800_0008) == 5  # next word: a new flash read


# ------------------------------------------------------------------ whole-firmware figures

_FETCH_FW = """\
    .syntax unified
    .cpu cortex-m4
    .thumb
    .text
    .global main
    .type main, %function
    .thumb_func
main:
    push {r4, r6, lr}
    movs r6, #2
    b.w entry
    .balign 32
    .rept 8
    nop                      /* padding: the prefetcher never reads entry's first word */
    .endr
    .balign 64
entry:                       /* 64-byte aligned: one 32-byte line holds the whole loop */
    nop
    nop
    nop
    bkpt #1                  /* at +6: the region starts at the 8-byte flash word +8 */
    .rept 8
    nop
    .endr
    bkpt #2                  /* +24 */
    subs r6, #1
    bne entry
    pop {r4, r6, pc}
    .size main, .-main
"""

# Two passes over 8 NOPs (two 64-bit flash words) with WS = 5; region cycles summed.
FETCH_CASES = [
    # Zero wait: 8 per pass.
    ("zero_wait", MemoryTiming.zero_wait(), 16),
    # No cache, no prefetch: each word stalls 5 -> 8 + 10 = 18 per pass.
    ("wait_states", MemoryTiming(**WS5), 36),
    # Prefetch: word 0 read at t0 ends t0+6; region starts t0+8; word 1 (prefetched t0+6..12)
    # stalls 12-1-8 = 3; word 2 (t0+12..18) needed t0+15 stalls 2 -> 13 per pass (the
    # one-word buffer holds another word when the loop comes back).
    ("prefetch", MemoryTiming(**WS5, prefetch=True), 26),
    # I-cache, 32-byte lines: pass 1 the line fill of word 0 (t0) brings word 1 at t0+12 and
    # word 2 at t0+18: stalls 3 + 2 -> 13; pass 2 hits -> 8.
    ("icache", MemoryTiming(**WS5, icache=CacheConfig(lines=32, line_bytes=32)), 21),
]


@pytest.mark.parametrize("timing,cycles", [c[1:] for c in FETCH_CASES],
                         ids=[c[0] for c in FETCH_CASES])
def test_instruction_fetch_from_flash(timing: MemoryTiming, cycles: int, tmp_path) -> None:
    elf = build_elf(tmp_path, {"fetch.S": _FETCH_FW})
    result = simulate(elf, TEST_MEMORY, memory_timing=timing)
    assert result.region.entries == 2
    assert result.region.cycles == cycles


_DATA_FW = """\
    .syntax unified
    .cpu cortex-m4
    .thumb
    .section .rodata
    .balign 64
    .space 32                /* keep literal pools out of the table's cache line */
    .global table
table:
    .word 1, 2, 3, 4, 5, 6, 7, 8
    .data
    .balign 32
    .global ram_table
ram_table:
    .word 1, 2, 3, 4, 5, 6, 7, 8

    .section .ramcode, "ax"
    .type ramfn, %function
    .thumb_func
ramfn:                       /* runs from SRAM: no fetch cost, only the data reads */
    bkpt #1
    ldr r2, [r5]
    ldr r3, [r5, #8]
    ldr r4, [r5, #16]
    ldr r6, [r5, #24]
    bkpt #2
    bx lr
    .size ramfn, .-ramfn

    .text
    .global main
    .type main, %function
    .thumb_func
main:
    push {r4, r5, r6, lr}
    ldr r5, =TABLE
    bl ramfn
    bl ramfn
    pop {r4, r5, r6, pc}
    .ltorg
    .size main, .-main
"""

# Two calls of four LDRs (2 + 1 + 1 + 1 = 5 core cycles) from one 32-byte flash line, WS = 5.
DATA_CASES = [
    # The table in SRAM: zero wait whatever the flash does -> 5 + 5.
    ("sram", "ram_table", MemoryTiming(**WS5), 10),
    # No data cache: each of the four 64-bit words is a read, stall 5 each -> 25 per call.
    ("flash_uncached", "table", MemoryTiming(**WS5), 50),
    # Data cache: call 1 fills the line, stalls 5 + 4 + 5 + 5 (see the unit test) -> 24;
    # call 2 hits -> 5.
    ("flash_dcache", "table", MemoryTiming(**WS5, dcache=CacheConfig(lines=8, line_bytes=32)),
     29),
]


@pytest.mark.parametrize("table,timing,cycles", [c[1:] for c in DATA_CASES],
                         ids=[c[0] for c in DATA_CASES])
def test_data_reads_from_flash(table: str, timing: MemoryTiming, cycles: int, tmp_path) -> None:
    elf = build_elf(tmp_path, {"data.S": _DATA_FW.replace("TABLE", table)})
    result = simulate(elf, TEST_MEMORY, memory_timing=timing)
    assert result.region.entries == 2
    assert result.region.cycles == cycles
