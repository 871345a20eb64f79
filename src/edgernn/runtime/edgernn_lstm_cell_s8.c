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
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

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
    if (params->h.shift[0] >= 2 && params->output_shift >= 2) {
        lstm_units(params, state, xq, scratch, 1);
    } else {
        lstm_units(params, state, xq, scratch, 0);
    }
}
