/*
 * edgernn_rnn_cell_s8.c - the recurrent half of one int8 Elman RNN step (docs/quantization.md,
 * "RNN"), given the input part xq (Q3.12):
 *   y = tanh(sat16(xq + sat16(requantize(W_h h + b'_h)))) in Q0.15;
 *   h = sat8(requantize(y, output_multiplier, output_shift) + zp_h).
 * The recurrent sums of all units come first (from the int16 state h16, so the state is
 * updated in place), then one loop per unit writes h16 and the int8 output h.
 * Scratch: units words, the int32 sums of the gate rows.
 *
 * Arm DSP path (Thumb-2 with the DSP extension, GCC/Clang; gate and output shifts >= 2, xq and
 * h16 word-aligned, h halfword-aligned, |zp| < 2^14, otherwise the portable loop): two units per
 * iteration in one assembly routine, edgernn_rnn_cell_s8_units, with the integers of the C loop
 * by construction (the identities are those of edgernn_lstm_cell_s8.c): SMMLA + ASR
 * requantize, SSAT/PKHBT/QADD16 add the input parts of both units, the interpolation reads T[i]
 * and T[i+1] from the int16 tanh table (no packed table: Simple 1's flash budget has no room
 * for it; AND #0x00ff00ff gives both fractions), the zero point is folded into the output
 * rounding and SSAT16 saturates both outputs (requantize(y) + zp fits int16, see the caller).
 * An odd last unit goes through the C loop. About 26 cycles per unit at zero wait states, 29
 * from the NUCLEO-L4R5ZI's flash (the C loop: 42).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__) && \
    defined(__thumb2__) && !defined(__ARM_BIG_ENDIAN) /* xq pairs: the first in the low half */
#include <stdint.h>
#define EDGERNN_RNN_CELL_DSP 1

/* The first pairs2 units (pairs2 even, acc_end = acc + pairs2). */
void edgernn_rnn_cell_s8_units(const int32_t *acc, const int32_t *multipliers, const int16_t *xq,
                               int16_t *h16, int8_t *h, const int32_t *acc_end,
                               int32_t gate_round, int32_t gate_shift, int32_t out_multiplier,
                               int32_t out_round, int32_t out_shift);

/* Stack arguments after the push of nine registers: h 36, acc_end 40, gate_round 44,
 * gate_shift 48, out_multiplier 52, out_round 56, out_shift 60. */
__asm__(
    "  .section .text.edgernn_rnn_cell_s8_units,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .p2align 2\n"
    "  .type edgernn_rnn_cell_s8_units, %function\n"
    "  .thumb_func\n"
    "edgernn_rnn_cell_s8_units:\n\t"
    "push   {r4-r11, lr}\n\t"
    "ldr    lr, [sp, #36]\n\t"            /* h */
    "movw   r4, #:lower16:edgernn_tanh_table_s16 + 256\n\t"
    "movt   r4, #:upper16:edgernn_tanh_table_s16 + 256\n\t"
    "adds   r5, r4, #2\n\t"
    "mov    r12, #128\n"
    ".Lrnn_pair:\n\t"
    "ldr    r6, [r0], #8\n\t"
    "ldr    r7, [r0, #-4]\n\t"
    "ldr    r8, [r1], #8\n\t"
    "ldr    r9, [r1, #-4]\n\t"
    "ldr    r10, [sp, #44]\n\t"           /* gate_round */
    "ldr    r11, [sp, #48]\n\t"           /* gate_shift */
    "smmla  r6, r6, r8, r10\n\t"
    "smmla  r7, r7, r9, r10\n\t"
    "ldr    r8, [r2], #4\n\t"             /* [xq1 : xq0] */
    "asr    r6, r6, r11\n\t"
    "asr    r7, r7, r11\n\t"
    "ssat   r6, #16, r6\n\t"
    "ssat   r7, #16, r7\n\t"
    "pkhbt  r6, r6, r7, lsl #16\n\t"
    "qadd16 r6, r8, r6\n\t"               /* [x1 : x0], Q3.12 */
    "sbfx   r7, r6, #8, #8\n\t"           /* i - 128 */
    "asr    r8, r6, #24\n\t"
    "and    r6, r6, #0x00ff00ff\n\t"      /* [f1 : f0] */
    "ldrsh  r9, [r4, r7, lsl #1]\n\t"     /* T[i0] */
    "ldrsh  r10, [r5, r7, lsl #1]\n\t"    /* T[i0 + 1] */
    "ldrsh  r11, [r4, r8, lsl #1]\n\t"
    "ldrsh  r8, [r5, r8, lsl #1]\n\t"
    "ldr    r7, [sp, #52]\n\t"            /* out_multiplier */
    "sub    r10, r10, r9\n\t"
    "sub    r8, r8, r11\n\t"
    "smlabb r10, r10, r6, r12\n\t"
    "smlabt r8, r8, r6, r12\n\t"
    "add    r9, r9, r10, asr #8\n\t"      /* y0 = tanh, Q0.15 */
    "add    r11, r11, r8, asr #8\n\t"
    "ldr    r6, [sp, #56]\n\t"            /* out_round */
    "ldr    r8, [sp, #60]\n\t"            /* out_shift */
    "ldr    r10, [sp, #40]\n\t"           /* acc_end */
    "smmla  r9, r9, r7, r6\n\t"
    "smmla  r11, r11, r7, r6\n\t"
    "asr    r9, r9, r8\n\t"
    "asr    r11, r11, r8\n\t"
    "pkhbt  r9, r9, r11, lsl #16\n\t"     /* both fit int16 (checked by the caller) */
    "ssat16 r9, #8, r9\n\t"               /* [h1 : h0] as int16 */
    "uxtb16 r11, r9\n\t"
    "orr    r11, r11, r11, lsr #8\n\t"    /* the two int8 in the low half */
    "str    r9, [r3], #4\n\t"
    "strh   r11, [lr], #2\n\t"
    "cmp    r0, r10\n\t"
    "bne    .Lrnn_pair\n\t"
    "pop    {r4-r11, pc}\n"
    "  .size edgernn_rnn_cell_s8_units, . - edgernn_rnn_cell_s8_units\n"
    "  .text\n");
#endif

/* The loop over units; fast: the gate and output shifts are both >= 2 (no per-value branch).
 * Always inlined with a constant `fast`, so each caller branch gets its own loop. */
static EDGERNN_ALWAYS_INLINE void rnn_units(const edgernn_rnn_params_q *params,
                                            edgernn_rnn_state_s8 *state, const int16_t *xq,
                                            const int32_t *acc, const int32_t fast,
                                            const int32_t first)
{
    const int32_t units = params->units;
    const int32_t *const multipliers = params->h.multiplier;
    const int32_t gate_shift = params->h.shift[0]; /* one shift per matrix (edgernn/quant) */
    const int32_t multiplier = params->output_multiplier;
    const int32_t shift = params->output_shift;
    const int32_t zp = params->h_zero_point;
    int8_t *const h_out = state->h;
    int16_t *const h16 = state->h16;
    int32_t j;

    for (j = first; j < units; ++j) {
        const int32_t y =
            fast ? edgernn_gate_q15_s2(acc[j], multipliers[j], gate_shift, xq[j],
                                       edgernn_tanh_table_s16)
                 : edgernn_gate_q15(acc[j], multipliers[j], gate_shift, xq[j],
                                    edgernn_tanh_table_s16);
        const int32_t v = fast ? edgernn_requantize_s2(y, multiplier, shift)
                               : edgernn_requantize(y, multiplier, shift);
        const int32_t h_new = edgernn_sat8(v + zp);
        h_out[j] = (int8_t)h_new;
        h16[j] = (int16_t)h_new;
    }
}

void edgernn_rnn_cell_s8(const edgernn_rnn_params_q *params, edgernn_rnn_state_s8 *state,
                         const int16_t *xq, int32_t *scratch)
{
    const int32_t units = params->units;
    int32_t first = 0;
    edgernn_matvec_s8(params->h.w, state->h16, params->h.bias, units, units, scratch);
#if defined(EDGERNN_RNN_CELL_DSP)
    {
        const int32_t gs = params->h.shift[0];
        const int32_t pairs2 = units & ~(int32_t)1;
        int32_t out_round;
        /* SSAT16 saturates both outputs at once, so requantize(y) + zp must fit int16:
         * |requantize(y, M, s)| <= 2^(15-s) + 1 <= 2^13 + 1 for |y| < 2^15, M < 2^31, s >= 2 */
        const int32_t zp = params->h_zero_point;
        /* the pairs are read and written as words (xq, h16) and halfwords (h) */
        const uintptr_t misaligned = ((uintptr_t)(const void *)xq & 3u) |
                                     ((uintptr_t)(void *)state->h16 & 3u) |
                                     ((uintptr_t)(void *)state->h & 1u);
        if (EDGERNN_LIKELY(pairs2 > 0 && gs >= 2 && misaligned == 0 && zp > -16384 &&
                           zp < 16384 &&
                           edgernn_out_round_s2(zp, params->output_shift, &out_round))) {
            edgernn_rnn_cell_s8_units(scratch, params->h.multiplier, xq, state->h16, state->h,
                                      scratch + pairs2, (int32_t)1 << (gs - 2), gs - 1,
                                      params->output_multiplier, out_round,
                                      params->output_shift - 1);
            if (pairs2 == units) {
                return;
            }
            first = pairs2;
        }
    }
    /* what is left (an odd last unit, other shifts): the general C loop, not a second copy */
    rnn_units(params, state, xq, scratch, 0, first);
#else
    if (params->h.shift[0] >= 2 && params->output_shift >= 2) {
        rnn_units(params, state, xq, scratch, 1, first);
    } else {
        rnn_units(params, state, xq, scratch, 0, first);
    }
#endif
}
