/*
 * edgernn_rnn_step_s8.c - one Elman RNN step, int8 (docs/quantization.md, "RNN"):
 *   pre = gates(x, h) in Q3.12 (edgernn_gates_s8); y = tanh(pre) in Q0.15;
 *   h = sat8(requantize(y, output_multiplier, output_shift) + zp_h).
 * Scratch: EDGERNN_RNN_STEP_S8_BUFFER_SIZE(input_size, units) words:
 *   acc (units words) | x as int16 | h as int16 | pre (units int16).
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
    int16_t *const pre = (int16_t *)(void *)(scratch + units + EDGERNN_I16_WORDS(n_in) +
                                             EDGERNN_I16_WORDS(units));
    int32_t j;

    edgernn_widen_s8(input, x, n_in);
    edgernn_widen_s8(state->h, h, units);
    edgernn_gates_s8(&params->x, x, n_in, &params->h, h, units, units, acc, pre);
    edgernn_tanh_s16(pre, pre, units);
    for (j = 0; j < units; ++j) {
        state->h[j] = (int8_t)edgernn_sat8(
            edgernn_requantize(pre[j], params->output_multiplier, params->output_shift) +
            params->h_zero_point);
    }
}
