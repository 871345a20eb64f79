/*
 * edgernn_rnn_step_s8.c - one Elman RNN step, int8 (docs/quantization.md, "RNN"):
 *   y = tanh(sat16(sat16(requantize(W_x x + b'_x)) + sat16(requantize(W_h h + b'_h)))) in Q0.15;
 *   h = sat8(requantize(y, output_multiplier, output_shift) + zp_h).
 * The input part is projected first (edgernn_project_s8, Q3.12), the recurrent part is summed
 * for all units, then one loop per unit requantizes, adds, applies the table and writes the new
 * int8 state (the sums read the int16 copy of the old h, so it is updated in place).
 * Scratch: EDGERNN_RNN_STEP_S8_BUFFER_SIZE(input_size, units) words:
 *   acc (units int32) | x as int16 | h as int16 | xq (units int16, the input part).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_rnn_step_s8(const edgernn_rnn_params_q *params, edgernn_rnn_state_s8 *state,
                         const int8_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + units);
    int16_t *const h = (int16_t *)(void *)(scratch + units + EDGERNN_I16_WORDS(n_in));
    int16_t *const xq = (int16_t *)(void *)(scratch + units + EDGERNN_I16_WORDS(n_in) +
                                            EDGERNN_I16_WORDS(units));
    const int32_t *const multipliers = params->h.multiplier;
    const int8_t *const shifts = params->h.shift;
    const int32_t multiplier = params->output_multiplier;
    const int32_t shift = params->output_shift;
    const int32_t zp = params->h_zero_point;
    int8_t *const h_out = state->h;
    int32_t j;

    edgernn_widen_s8(input, x, n_in);
    edgernn_widen_s8(state->h, h, units);
    edgernn_project_s8(&params->x, x, units, n_in, acc, xq);
    edgernn_matvec_s8(params->h.w, h, params->h.bias, units, units, acc);
    for (j = 0; j < units; ++j) {
        const int32_t y = edgernn_gate_q15(acc[j], multipliers[j], shifts[j], xq[j],
                                           edgernn_tanh_table_s16);
        h_out[j] = (int8_t)edgernn_sat8(edgernn_requantize(y, multiplier, shift) + zp);
    }
}
