/*
 * edgernn_rnn_cell_s8.c - the recurrent half of one int8 Elman RNN step (docs/quantization.md,
 * "RNN"), given the input part xq (Q3.12):
 *   y = tanh(sat16(xq + sat16(requantize(W_h h + b'_h)))) in Q0.15;
 *   h = sat8(requantize(y, output_multiplier, output_shift) + zp_h).
 * The recurrent sums of all units come first (from the int16 state h16, so the state is
 * updated in place), then one loop per unit writes h16 and the int8 output h.
 * Scratch: units + EDGERNN_I16_WORDS(units) words (acc: units int32; the rest is spare).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_rnn_cell_s8(const edgernn_rnn_params_q *params, edgernn_rnn_state_s8 *state,
                         const int16_t *xq, int32_t *scratch)
{
    const int32_t units = params->units;
    int32_t *const acc = scratch;
    const int32_t *const multipliers = params->h.multiplier;
    const int8_t *const shifts = params->h.shift;
    const int32_t multiplier = params->output_multiplier;
    const int32_t shift = params->output_shift;
    const int32_t zp = params->h_zero_point;
    int8_t *const h_out = state->h;
    int32_t j;

    int16_t *const h16 = state->h16;

    edgernn_matvec_s8(params->h.w, h16, params->h.bias, units, units, acc);
    for (j = 0; j < units; ++j) {
        const int32_t y = edgernn_gate_q15(acc[j], multipliers[j], shifts[j], xq[j],
                                           edgernn_tanh_table_s16);
        const int32_t h_new = edgernn_sat8(edgernn_requantize(y, multiplier, shift) + zp);
        h_out[j] = (int8_t)h_new;
        h16[j] = (int16_t)h_new;
    }
}
