/*
 * edgernn_lstm_cell_s8.c - the recurrent half of one int8 LSTM step (docs/quantization.md,
 * "LSTM"), given the input part xq of the gates (Q3.12, 4 units rows, unit by unit):
 *   (i, f, g, o) = gates in Q3.12; i, f, o = sigmoid, g = tanh, all Q0.15;
 *   c = sat16(rshift_round(f c, 15) + rshift_round(i g, 30 - k))   (c has scale 2^-k)
 *   t = tanh(c in Q3.12);  h = sat8(requantize(o t, output_multiplier, output_shift) + zp_h)
 * The recurrent sums of all 4 units rows come first, then one loop per unit does everything
 * else (requantize, add, the four tables, the cell and the output) without writing the gate
 * values back to memory. The gate rows are stored unit by unit (i_0, f_0, g_0, o_0, i_1, ...;
 * edgernn/codegen/integer.py) so that loop walks one pointer per array.
 * The sums read the int16 state h16; the loop writes h16 and the int8 output h.
 * Scratch: 4 units words, the int32 sums of the gate rows.
 *
 * Arm DSP path (Thumb-2 with the DSP extension, GCC/Clang; the gate and output shifts >= 2,
 * k in [12, 15], xq word-aligned and zp within edgernn_out_round_s2's bound, otherwise the
 * portable loop): the unit loop is one assembly routine,
 * edgernn_lstm_cell_s8_units, with the same integers as the C loop by construction:
 *   requantize_s2(a, m, s) = (high32(a m) + 2^(s-2)) >> (s-1)   (SMMLA, ASR; fits: |.| < 2^31)
 *   sat16(xq + sat16(part)) for two gates at once                   (SSAT, PKHBT, QADD16)
 *   the tables through edgernn_lut_q15_packed (one LDR; SMLABB/T, ASR, then SXTAH or, for a gate
 *   pair, PKHBT, PKHTB, SADD16: the int16 lanes wrap but the sums are the int16 results)
 *   h = sat8((high32(o t M) + 2^(s-2) + zp 2^(s-1)) >> (s-1))       (SMMLA, ASR, SSAT)
 * The loop keeps the three pointers it walks, the unit index (negative, counting up to 0 so
 * the end test is the ADDS), both table bases and the constant 128 in registers and reloads
 * the other constants from its stack arguments next to other loads, where they pipeline:
 * about 93 cycles per unit at zero wait states, 103 from the NUCLEO-L4R5ZI's flash (the C
 * loop: 172 there, GCC spills).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__) && \
    defined(__thumb2__) && !defined(__ARM_BIG_ENDIAN) /* xq pairs: the first in the low half */
#define EDGERNN_LSTM_CELL_DSP 1

/* units: the unit index runs from -units to 0; cell, h16, h point one past their last unit.
 * The other arguments are the loop constants (see the header comment). */
void edgernn_lstm_cell_s8_units(const int32_t *acc, const int32_t *multipliers,
                                const int16_t *xq, int32_t minus_units, int16_t *cell_end,
                                int16_t *h16_end, int8_t *h_end, int32_t gate_round,
                                int32_t gate_shift, int32_t cell_round, int32_t cell_shift,
                                int32_t c12_round, int32_t c12_shift, int32_t out_multiplier,
                                int32_t out_round, int32_t out_shift);

/* One gate pair of a unit: A0/A1 the sums, M0/M1 the multipliers (loaded by the caller), Q the
 * xq word, T0/T1 the tables of the low and high gate; leaves [y1 : y0] in RES. r7 holds the
 * gate rounding 2^(s-2), r8 the shift s-1, r6 the constant 128. */
#define EDGERNN_LSTM_PAIR(A0, A1, M0, M1, Q, T0, T1, RES)  \
    "smmla  " A0 ", " A0 ", " M0 ", r7\n\t"                \
    "smmla  " A1 ", " A1 ", " M1 ", r7\n\t"                \
    "asr    " A0 ", " A0 ", r8\n\t"                        \
    "asr    " A1 ", " A1 ", r8\n\t"                        \
    "ssat   " A0 ", #16, " A0 "\n\t"                       \
    "ssat   " A1 ", #16, " A1 "\n\t"                       \
    "pkhbt  " A0 ", " A0 ", " A1 ", lsl #16\n\t"           \
    "qadd16 " A0 ", " Q ", " A0 "\n\t"                     \
    "asr    " M1 ", " A0 ", #24\n\t"                       \
    "sbfx   " A1 ", " A0 ", #8, #8\n\t"                    \
    "ldr    " M1 ", [" T1 ", " M1 ", lsl #2]\n\t"          \
    "ldr    " A1 ", [" T0 ", " A1 ", lsl #2]\n\t"          \
    "smlabt " M0 ", " M1 ", " A0 ", r6\n\t"                \
    "smlabb " A0 ", " A1 ", " A0 ", r6\n\t"                \
    "asr    " A0 ", " A0 ", #8\n\t"                        \
    "pkhbt  " A0 ", " A0 ", " M0 ", lsl #8\n\t"            \
    "pkhtb  " M1 ", " M1 ", " A1 ", asr #16\n\t"           \
    "sadd16 " RES ", " A0 ", " M1 "\n\t"

/* Stack arguments after the push of nine registers: cell_end 36, h16_end 40, h_end 44,
 * gate_round 48, gate_shift 52, cell_round 56, cell_shift 60, c12_round 64, c12_shift 68,
 * out_multiplier 72, out_round 76, out_shift 80. */

__asm__(
    "  .section .text.edgernn_lstm_cell_s8_units,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .p2align 2\n"
    "  .type edgernn_lstm_cell_s8_units, %function\n"
    "  .thumb_func\n"
    "edgernn_lstm_cell_s8_units:\n\t"
    "push   {r4-r11, lr}\n\t"
    "movw   r4, #:lower16:edgernn_sigmoid_packed_s8 + 512\n\t"
    "movt   r4, #:upper16:edgernn_sigmoid_packed_s8 + 512\n\t"
    "movw   r5, #:lower16:edgernn_tanh_packed_s8 + 512\n\t"
    "movt   r5, #:upper16:edgernn_tanh_packed_s8 + 512\n\t"
    "movs   r6, #128\n"
    ".Llstm_unit:\n\t"
    /* gates i, f: both sigmoid */
    "ldr    r9, [r0], #16\n\t"
    "ldr    r10, [r0, #-12]\n\t"
    "ldr    r11, [r1], #16\n\t"
    "ldr    r12, [r1, #-12]\n\t"
    "ldr    r7, [sp, #48]\n\t"              /* gate_round */
    "ldr    r8, [sp, #52]\n\t"              /* gate_shift */
    "ldr    lr, [r2], #8\n\t"
    EDGERNN_LSTM_PAIR("r9", "r10", "r11", "r12", "lr", "r4", "r4", "lr")
    /* gates g (tanh), o (sigmoid) */
    "ldr    r9, [r0, #-8]\n\t"
    "ldr    r10, [r0, #-4]\n\t"
    "ldr    r11, [r1, #-8]\n\t"
    "ldr    r12, [r1, #-4]\n\t"
    "smmla  r9, r9, r11, r7\n\t"
    "smmla  r10, r10, r12, r7\n\t"
    "ldr    r11, [r2, #-4]\n\t"
    "asr    r9, r9, r8\n\t"
    "asr    r10, r10, r8\n\t"
    "ssat   r9, #16, r9\n\t"
    "ssat   r10, #16, r10\n\t"
    "pkhbt  r9, r9, r10, lsl #16\n\t"
    "qadd16 r9, r11, r9\n\t"
    "asr    r12, r9, #24\n\t"
    "sbfx   r10, r9, #8, #8\n\t"
    "ldr    r12, [r4, r12, lsl #2]\n\t"
    "ldr    r10, [r5, r10, lsl #2]\n\t"
    "smlabt r11, r12, r9, r6\n\t"
    "smlabb r9, r10, r9, r6\n\t"
    "asr    r9, r9, #8\n\t"
    "pkhbt  r9, r9, r11, lsl #8\n\t"
    "pkhtb  r12, r12, r10, asr #16\n\t"
    "sadd16 r9, r9, r12\n\t"               /* lr = [f : i], r9 = [o : g] */
    /* c = sat16(((f c_old + 2^14) >> 15) + ((i g + 2^(29-k)) >> (30-k))) */
    "ldr    r10, [sp, #36]\n\t"             /* cell_end */
    "ldr    r7, [sp, #56]\n\t"              /* cell_round */
    "ldr    r8, [sp, #60]\n\t"              /* cell_shift */
    "ldrsh  r11, [r10, r3, lsl #1]\n\t"
    "ldr    r12, [sp, #64]\n\t"             /* c12_round */
    "smlabb r7, lr, r9, r7\n\t"
    "smultb r11, lr, r11\n\t"
    "add    r11, r11, #16384\n\t"
    "asr    r7, r7, r8\n\t"
    "add    r7, r7, r11, asr #15\n\t"
    "ssat   r7, #16, r7\n\t"
    "ldr    r8, [sp, #68]\n\t"              /* c12_shift */
    "strh   r7, [r10, r3, lsl #1]\n\t"      /* pipelines after the load */
    /* t = tanh(c in Q3.12), h = sat8(requantize(o t) + zp) */
    "add    r12, r7, r12\n\t"
    "asr    r12, r12, r8\n\t"
    "asr    r11, r12, #8\n\t"
    "ldr    r10, [sp, #72]\n\t"             /* out_multiplier */
    "ldr    r11, [r5, r11, lsl #2]\n\t"
    "ldr    r8, [sp, #76]\n\t"              /* out_round */
    "ldr    r7, [sp, #80]\n\t"              /* out_shift */
    "smlabb r12, r11, r12, r6\n\t"
    "asr    r12, r12, #8\n\t"
    "sxtah  r12, r12, r11, ror #16\n\t"
    "smultb r12, r9, r12\n\t"
    "smmla  r12, r12, r10, r8\n\t"
    "asr    r12, r12, r7\n\t"
    "ssat   r12, #8, r12\n\t"
    "ldr    r10, [sp, #40]\n\t"             /* h16_end */
    "ldr    r11, [sp, #44]\n\t"             /* h_end */
    "strh   r12, [r10, r3, lsl #1]\n\t"
    "strb   r12, [r11, r3]\n\t"
    "adds   r3, r3, #1\n\t"
    "bne    .Llstm_unit\n\t"
    "pop    {r4-r11, pc}\n"
    "  .size edgernn_lstm_cell_s8_units, . - edgernn_lstm_cell_s8_units\n"
    "  .text\n");
#endif

/* The loop over units; fast: the gate and output shifts are both >= 2 (no per-value branch).
 * Always inlined with a constant `fast`, so each caller branch gets its own loop. */
static EDGERNN_ALWAYS_INLINE void lstm_units(const edgernn_lstm_params_q *params,
                                             edgernn_lstm_state_s8 *state, const int16_t *xq,
                                             const int32_t *acc, const int32_t fast)
{
    const int32_t units = params->units;
    const int32_t k = params->cell_frac_bits;
    const int32_t *const multipliers = params->h.multiplier;
    const int32_t gs = params->h.shift[0]; /* one shift per matrix (edgernn/quant) */
    const int32_t multiplier = params->output_multiplier;
    const int32_t shift = params->output_shift;
    const int32_t zp = params->h_zero_point;
    /* the cell in Q3.12 for the tanh table: c >> (k - 12) rounded, or c << (12 - k) */
    const int32_t down = (k >= 12) ? k - 12 : 0;
    const int32_t up = (k >= 12) ? 0 : 12 - k;
    const int16_t *const sig = edgernn_sigmoid_table_s16;
    const int16_t *const tanh_table = edgernn_tanh_table_s16;
    int16_t *const cell = state->c;
    int8_t *const h_out = state->h;
    int16_t *const h16 = state->h16;
    int32_t j;

    for (j = 0; j < units; ++j) { /* rows 4j..4j+3: i, f, g, o of unit j */
        const int32_t *const a = acc + 4 * j;
        const int32_t *const m = multipliers + 4 * j;
        const int16_t *const q = xq + 4 * j;
        const int32_t gi = fast ? edgernn_gate_q15_s2(a[0], m[0], gs, q[0], sig)
                                : edgernn_gate_q15(a[0], m[0], gs, q[0], sig);
        const int32_t gf = fast ? edgernn_gate_q15_s2(a[1], m[1], gs, q[1], sig)
                                : edgernn_gate_q15(a[1], m[1], gs, q[1], sig);
        const int32_t gg = fast ? edgernn_gate_q15_s2(a[2], m[2], gs, q[2], tanh_table)
                                : edgernn_gate_q15(a[2], m[2], gs, q[2], tanh_table);
        const int32_t go = fast ? edgernn_gate_q15_s2(a[3], m[3], gs, q[3], sig)
                                : edgernn_gate_q15(a[3], m[3], gs, q[3], sig);
        const int32_t c = edgernn_sat16(             /* |products| <= 2^30: 32 bits */
            edgernn_rshift_round32(gf * cell[j], 15) + edgernn_rshift_round32(gi * gg, 30 - k));
        const int32_t c12 = (down > 0) ? edgernn_rshift_round32(c, down)
                                       : edgernn_sat16(c * (1 << up));
        const int32_t t = edgernn_lut_q15(tanh_table, c12);
        const int32_t v = fast ? edgernn_requantize_s2(go * t, multiplier, shift)
                               : edgernn_requantize(go * t, multiplier, shift);
        const int32_t h_new = edgernn_sat8(v + zp);
        cell[j] = (int16_t)c;
        h_out[j] = (int8_t)h_new;
        h16[j] = (int16_t)h_new;
    }
}

void edgernn_lstm_cell_s8(const edgernn_lstm_params_q *params, edgernn_lstm_state_s8 *state,
                          const int16_t *xq, int32_t *scratch)
{
    edgernn_matvec_s8(params->h.w, state->h16, params->h.bias, 4 * params->units, params->units,
                      scratch);
#if defined(EDGERNN_LSTM_CELL_DSP)
    {
        const int32_t units = params->units;
        const int32_t gs = params->h.shift[0];
        const int32_t k = params->cell_frac_bits;
        int32_t out_round;
        if (EDGERNN_LIKELY(units > 0 && gs >= 2 && k >= 12 && k <= 15 &&
                           ((uintptr_t)(const void *)xq & 3u) == 0 &&
                           edgernn_out_round_s2(params->h_zero_point, params->output_shift,
                                                &out_round))) {
            const int32_t down = k - 12;
            edgernn_lstm_cell_s8_units(scratch, params->h.multiplier, xq, -units,
                                       state->c + units, state->h16 + units, state->h + units,
                                       (int32_t)1 << (gs - 2), gs - 1, (int32_t)1 << (29 - k),
                                       30 - k, down > 0 ? (int32_t)1 << (down - 1) : 0, down,
                                       params->output_multiplier, out_round,
                                       params->output_shift - 1);
            return;
        }
    }
    /* other shifts and cell formats: the general C loop, not a second copy */
    lstm_units(params, state, xq, scratch, 0);
#else
    if (params->h.shift[0] >= 2 && params->output_shift >= 2) {
        lstm_units(params, state, xq, scratch, 1);
    } else {
        lstm_units(params, state, xq, scratch, 0);
    }
#endif
}
