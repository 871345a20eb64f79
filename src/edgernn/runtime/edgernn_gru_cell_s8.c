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
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

/* The loop over units; fast: the gate and output shifts are both >= 2 (no per-value branch).
 * Always inlined with a constant `fast`, so each caller branch gets its own loop. */
static EDGERNN_ALWAYS_INLINE void gru_units(const edgernn_gru_params_q *params,
                                            edgernn_gru_state_s8 *state, const int16_t *xq,
                                            const int32_t *acc, const int32_t fast)
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

    for (j = 0; j < units; ++j) { /* rows 3j..3j+2: z, r, n of unit j */
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
    if (params->h.shift[0] >= 2 && params->output_shift >= 2) {
        gru_units(params, state, xq, scratch, 1);
    } else {
        gru_units(params, state, xq, scratch, 0);
    }
}
