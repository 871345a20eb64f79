/*
 * edgernn_gru_cell_s8.c - the recurrent half of one int8 GRU step with reset_after
 * (docs/quantization.md, "GRU"), given the input part xq (Q3.12, 3 units rows, unit by unit:
 * z_0, r_0, n_0, z_1, ...):
 *   hs = sat16(requantize(W_h h + b'_h)); z, r = sigmoid(sat16(xq + hs));
 *   n = tanh(sat16(xq_n + rshift_round(r hs_n, 15)))
 *   h15 = sat16(requantize(h - zp, state_multiplier, state_shift))           (Q0.15)
 *   h = sat8(requantize(rshift_round(z h15 + (32768 - z) n, 15), output_multiplier,
 *                       output_shift) + zp)
 * The recurrent sums of all 3 units rows come first, then one loop per unit.
 * The sums read the int16 state h16; the loop writes h16 and the int8 output h.
 * Scratch: 3 units words, the int32 sums of the gate rows.
 *
 * Arm DSP path (Thumb-2 with the DSP extension, GCC/Clang; gate and output shifts >= 2, a state
 * shift in [-14, 0], zp within edgernn_out_round_s2's bound and xq word-aligned, otherwise the
 * portable loop): the unit loop is one assembly routine, edgernn_gru_cell_s8_units, with the
 * integers of the C loop by construction, two units per iteration so that each reads two of
 * its three xq values as one aligned word (an odd last unit goes through the C loop). The gates
 * and the output use the identities of edgernn_lstm_cell_s8.c (SMMLA requantization, QADD16
 * for z and r, the packed tables, zp folded into the output rounding); besides:
 *   h15 = sat16(SMMULR((h - zp) 2^(1-s), M)) = sat16((c M + 2^(30+s)) >> (31+s)) for
 *         s <= 0 (numerator and denominator times 2^(1-s); |h - zp| < 2^16 keeps it in 32
 *         bits), (h - zp) 2^(1-s) = h 2^(1-s) - zp 2^(1-s) in one MLA
 *   (z h15 + (32768 - z) n + 2^14) >> 15 = n + ((z (h15 - n) + 2^14) >> 15), one MUL
 *         (|z (h15 - n)| <= 32757 * 65535 < 2^31 - 2^14)
 * About 75 cycles per unit at zero wait states, 86 from the NUCLEO-L4R5ZI's flash (the C
 * loop: 152 there).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__) && \
    defined(__thumb2__) && !defined(__ARM_BIG_ENDIAN) /* xq pairs: the first in the low half */
#define EDGERNN_GRU_CELL_DSP 1

/* The unit index runs from -units to 0 (units even); h16 and h point one past their last unit. */
void edgernn_gru_cell_s8_units(const int32_t *acc, const int32_t *multipliers,
                               const int16_t *xq, int32_t minus_units, int16_t *h16_end,
                               int8_t *h_end, int32_t gate_round, int32_t gate_shift,
                               int32_t state_offset, int32_t state_scale,
                               int32_t state_multiplier, int32_t out_multiplier,
                               int32_t out_round, int32_t out_shift);

/* Stack arguments after the push of nine registers: h16_end 36, h_end 40, gate_round 44,
 * gate_shift 48, state_offset 52 (-zp 2^(1-s)), state_scale 56 (2^(1-s)),
 * state_multiplier 60, out_multiplier 64,
 * out_round 68, out_shift 72. */
/* n's look-up, h15, the blend and the output of a unit (n in r9, [r : z] in lr). */
#define EDGERNN_GRU_TAIL                                                                    \
    "asr    r10, r9, #8\n\t"                                                                \
    "ldr    r7, [sp, #36]\n\t"            /* h16_end */                                     \
    "ldr    r10, [r5, r10, lsl #2]\n\t"                                                     \
    "ldr    r8, [sp, #52]\n\t"            /* -zp 2^(1-s) */                                 \
    "ldr    r11, [sp, #56]\n\t"           /* 2^(1-s) */                                     \
    "ldrsh  r12, [r7, r3, lsl #1]\n\t"    /* the old h */                                   \
    "smlabb r9, r10, r9, r6\n\t"                                                            \
    "asr    r9, r9, #8\n\t"                                                                 \
    "sxtah  r9, r9, r10, ror #16\n\t"     /* n */                                           \
    /* h15, the blend and h = sat8(requantize(blend) + zp) */                               \
    "mla    r12, r12, r11, r8\n\t"        /* (h - zp) 2^(1-s) */                            \
    "ldr    r10, [sp, #60]\n\t"           /* state_multiplier */                            \
    "ldr    r8, [sp, #64]\n\t"            /* out_multiplier */                              \
    "ldr    r11, [sp, #68]\n\t"           /* out_round */                                   \
    "smmulr r12, r12, r10\n\t"                                                              \
    "ssat   r12, #16, r12\n\t"                                                              \
    "sub    r12, r12, r9\n\t"                                                               \
    "uxth   r10, lr\n\t"                                                                    \
    "mul    r10, r10, r12\n\t"                                                              \
    "add    r10, r10, #16384\n\t"                                                           \
    "add    r10, r9, r10, asr #15\n\t"                                                      \
    "smmla  r10, r10, r8, r11\n\t"                                                          \
    "ldr    r8, [sp, #72]\n\t"            /* out_shift */                                   \
    "ldr    r11, [sp, #40]\n\t"           /* h_end */                                       \
    "asr    r10, r10, r8\n\t"                                                               \
    "ssat   r10, #8, r10\n\t"                                                               \
    "strh   r10, [r7, r3, lsl #1]\n\t"                                                      \
    "strb   r10, [r11, r3]\n\t"

/* A unit at an even position: xq_z, xq_r are one aligned word. */
#define EDGERNN_GRU_EVEN                                                                    \
    /* z, r = sigmoid(sat16(xq + sat16(requantize(sum)))), two at once */                   \
    "ldr    r9, [r0], #12\n\t"                                                              \
    "ldr    r10, [r0, #-8]\n\t"                                                             \
    "ldr    r11, [r1], #12\n\t"                                                             \
    "ldr    r12, [r1, #-8]\n\t"                                                             \
    "ldr    r7, [sp, #44]\n\t"            /* gate_round */                                  \
    "ldr    r8, [sp, #48]\n\t"            /* gate_shift */                                  \
    "ldr    lr, [r2], #6\n\t"             /* [xq_r : xq_z], word-aligned */                 \
    "smmla  r9, r9, r11, r7\n\t"                                                            \
    "smmla  r10, r10, r12, r7\n\t"                                                          \
    "asr    r9, r9, r8\n\t"                                                                 \
    "asr    r10, r10, r8\n\t"                                                               \
    "ssat   r9, #16, r9\n\t"                                                                \
    "ssat   r10, #16, r10\n\t"                                                              \
    "pkhbt  r9, r9, r10, lsl #16\n\t"                                                       \
    "qadd16 r9, lr, r9\n\t"                                                                 \
    "asr    r12, r9, #24\n\t"                                                               \
    "sbfx   r10, r9, #8, #8\n\t"                                                            \
    "ldr    r12, [r4, r12, lsl #2]\n\t"                                                     \
    "ldr    r10, [r4, r10, lsl #2]\n\t"                                                     \
    "smlabt r11, r12, r9, r6\n\t"                                                           \
    "smlabb r9, r10, r9, r6\n\t"                                                            \
    "asr    r9, r9, #8\n\t"                                                                 \
    "pkhbt  r9, r9, r11, lsl #8\n\t"                                                        \
    "pkhtb  r12, r12, r10, asr #16\n\t"                                                     \
    "sadd16 lr, r9, r12\n\t"             /* lr = [r : z] */                                 \
    /* n = tanh(sat16(xq_n + ((r hn + 2^14) >> 15))), hn = sat16(requantize(sum_n)) */      \
    "ldr    r9, [r0, #-4]\n\t"                                                              \
    "ldr    r10, [r1, #-4]\n\t"                                                             \
    "ldrsh  r11, [r2, #-2]\n\t"                                                             \
    "smmla  r9, r9, r10, r7\n\t"                                                            \
    "asr    r9, r9, r8\n\t"                                                                 \
    "ssat   r9, #16, r9\n\t"                                                                \
    "smultb r9, lr, r9\n\t"                                                                 \
    "add    r9, r9, #16384\n\t"                                                             \
    "add    r9, r11, r9, asr #15\n\t"                                                       \
    "ssat   r9, #16, r9\n\t"                                                                \
    EDGERNN_GRU_TAIL

/* A unit at an odd position: xq_r, xq_n are one aligned word. */
#define EDGERNN_GRU_ODD                                                                     \
    /* as above; xq_z alone, then the word [xq_n : xq_r] (kept in r11 for n) */             \
    "ldr    r9, [r0], #12\n\t"                                                              \
    "ldr    r10, [r0, #-8]\n\t"                                                             \
    "ldr    r11, [r1], #12\n\t"                                                             \
    "ldr    r12, [r1, #-8]\n\t"                                                             \
    "ldr    r7, [sp, #44]\n\t"                                                              \
    "ldr    r8, [sp, #48]\n\t"                                                              \
    "ldrsh  lr, [r2], #6\n\t"                                                               \
    "smmla  r9, r9, r11, r7\n\t"                                                            \
    "smmla  r10, r10, r12, r7\n\t"                                                          \
    "ldr    r11, [r2, #-4]\n\t"                                                             \
    "asr    r9, r9, r8\n\t"                                                                 \
    "asr    r10, r10, r8\n\t"                                                               \
    "ssat   r9, #16, r9\n\t"                                                                \
    "ssat   r10, #16, r10\n\t"                                                              \
    "pkhbt  r9, r9, r10, lsl #16\n\t"                                                       \
    "pkhbt  lr, lr, r11, lsl #16\n\t"                                                       \
    "qadd16 r9, lr, r9\n\t"                                                                 \
    "asr    r12, r9, #24\n\t"                                                               \
    "sbfx   r10, r9, #8, #8\n\t"                                                            \
    "ldr    r12, [r4, r12, lsl #2]\n\t"                                                     \
    "ldr    r10, [r4, r10, lsl #2]\n\t"                                                     \
    "smlabt lr, r12, r9, r6\n\t"                                                            \
    "smlabb r9, r10, r9, r6\n\t"                                                            \
    "asr    r9, r9, #8\n\t"                                                                 \
    "pkhbt  r9, r9, lr, lsl #8\n\t"                                                         \
    "pkhtb  r12, r12, r10, asr #16\n\t"                                                     \
    "sadd16 lr, r9, r12\n\t"                                                                \
    "ldr    r9, [r0, #-4]\n\t"                                                              \
    "ldr    r10, [r1, #-4]\n\t"                                                             \
    "smmla  r9, r9, r10, r7\n\t"                                                            \
    "asr    r9, r9, r8\n\t"                                                                 \
    "ssat   r9, #16, r9\n\t"                                                                \
    "smultb r9, lr, r9\n\t"                                                                 \
    "add    r9, r9, #16384\n\t"                                                             \
    "asr    r9, r9, #15\n\t"                                                                \
    "sxtah  r9, r9, r11, ror #16\n\t"                                                       \
    "ssat   r9, #16, r9\n\t"                                                                \
    EDGERNN_GRU_TAIL

__asm__(
    "  .section .text.edgernn_gru_cell_s8_units,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .p2align 2\n"
    "  .type edgernn_gru_cell_s8_units, %function\n"
    "  .thumb_func\n"
    "edgernn_gru_cell_s8_units:\n\t"
    "push   {r4-r11, lr}\n\t"
    "movw   r4, #:lower16:edgernn_sigmoid_packed_s8 + 512\n\t"
    "movt   r4, #:upper16:edgernn_sigmoid_packed_s8 + 512\n\t"
    "movw   r5, #:lower16:edgernn_tanh_packed_s8 + 512\n\t"
    "movt   r5, #:upper16:edgernn_tanh_packed_s8 + 512\n\t"
    "movs   r6, #128\n"
    ".Lgru_pair:\n\t"                     /* an even number of units */
    EDGERNN_GRU_EVEN
    "adds   r3, r3, #1\n\t"
    EDGERNN_GRU_ODD
    "adds   r3, r3, #1\n\t"
    "bne    .Lgru_pair\n\t"
    "pop    {r4-r11, pc}\n"
    "  .size edgernn_gru_cell_s8_units, . - edgernn_gru_cell_s8_units\n"
    "  .text\n");
#endif

/* The loop over units; fast: the gate and output shifts are both >= 2 (no per-value branch).
 * Always inlined with a constant `fast`, so each caller branch gets its own loop. */
static EDGERNN_ALWAYS_INLINE void gru_units(const edgernn_gru_params_q *params,
                                            edgernn_gru_state_s8 *state, const int16_t *xq,
                                            const int32_t *acc, const int32_t fast,
                                            const int32_t first)
{
    const int32_t units = params->units;
    const int32_t zp = params->h_zero_point;
    const int32_t *const multipliers = params->h.multiplier;
    const int32_t gs = params->h.shift[0]; /* one shift per matrix (edgernn/quant) */
    const int32_t state_multiplier = params->state_multiplier;
    const int32_t state_shift = params->state_shift;
    const int64_t state_round = (int64_t)1 << (30 + state_shift);
    const int32_t output_multiplier = params->output_multiplier;
    const int32_t output_shift = params->output_shift;
    const int16_t *const sig = edgernn_sigmoid_table_s16;
    int8_t *const h_out = state->h;
    int16_t *const h16 = state->h16;
    int32_t j;

    for (j = first; j < units; ++j) { /* rows 3j..3j+2: z, r, n of unit j */
        const int32_t *const a = acc + 3 * j;
        const int32_t *const m = multipliers + 3 * j;
        const int16_t *const q = xq + 3 * j;
        const int32_t z = fast ? edgernn_gate_q15_s2(a[0], m[0], gs, q[0], sig)
                               : edgernn_gate_q15(a[0], m[0], gs, q[0], sig);
        const int32_t r = fast ? edgernn_gate_q15_s2(a[1], m[1], gs, q[1], sig)
                               : edgernn_gate_q15(a[1], m[1], gs, q[1], sig);
        const int32_t hn = edgernn_sat16(fast ? edgernn_requantize_s2(a[2], m[2], gs)
                                              : edgernn_requantize(a[2], m[2], gs));
        const int32_t nt = edgernn_lut_q15(
            edgernn_tanh_table_s16, edgernn_sat16(q[2] + edgernn_rshift_round32(r * hn, 15)));
        const int32_t h15 = edgernn_state_q15(h16[j] - zp, state_multiplier, state_shift,
                                              state_round);
        const int32_t blended = edgernn_rshift_round32(z * h15 + (32768 - z) * nt, 15);
        const int32_t v = fast ? edgernn_requantize_s2(blended, output_multiplier, output_shift)
                               : edgernn_requantize(blended, output_multiplier, output_shift);
        const int32_t h_new = edgernn_sat8(v + zp);
        h_out[j] = (int8_t)h_new;
        h16[j] = (int16_t)h_new;
    }
}

void edgernn_gru_cell_s8(const edgernn_gru_params_q *params, edgernn_gru_state_s8 *state,
                         const int16_t *xq, int32_t *scratch)
{
    edgernn_matvec_s8(params->h.w, state->h16, params->h.bias, 3 * params->units,
                      params->units, scratch);
#if defined(EDGERNN_GRU_CELL_DSP)
    int32_t first = 0;
    {
        const int32_t units = params->units;
        const int32_t pairs2 = units & ~(int32_t)1;
        const int32_t gs = params->h.shift[0];
        const int32_t ss = params->state_shift;
        const int32_t zp = params->h_zero_point;
        int32_t out_round;
        if (EDGERNN_LIKELY(pairs2 > 0 && gs >= 2 && ss <= 0 && ss >= -14 && zp > -32768 &&
                           zp < 32768 && ((uintptr_t)(const void *)xq & 3u) == 0 &&
                           edgernn_out_round_s2(zp, params->output_shift, &out_round))) {
            edgernn_gru_cell_s8_units(scratch, params->h.multiplier, xq, -pairs2,
                                      state->h16 + pairs2, state->h + pairs2,
                                      (int32_t)1 << (gs - 2), gs - 1, -zp * (1 << (1 - ss)),
                                      (int32_t)1 << (1 - ss), params->state_multiplier,
                                      params->output_multiplier, out_round,
                                      params->output_shift - 1);
            if (pairs2 == units) {
                return;
            }
            first = pairs2;
        }
    }
    /* what is left (an odd last unit, other shifts): the general C loop, not a second copy */
    gru_units(params, state, xq, scratch, 0, first);
#else
    if (params->h.shift[0] >= 2 && params->output_shift >= 2) {
        gru_units(params, state, xq, scratch, 1, 0);
    } else {
        gru_units(params, state, xq, scratch, 0, 0);
    }
#endif
}
