/*
 * edgernn_rnn_step_s16.c - one Elman RNN step, int16x8 (as edgernn_rnn_step_s8.c, zero point 0,
 * 64-bit sums). Scratch: EDGERNN_RNN_STEP_S16_BUFFER_SIZE(input_size, units) words:
 *   acc (units words) | pre (units int16).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_rnn_step_s16(const edgernn_rnn_params_q *params, edgernn_rnn_state_s16 *state,
                          const int16_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    int32_t *const acc = scratch;
    int16_t *const pre = (int16_t *)(void *)(scratch + units);
    int32_t j;

    edgernn_gates_s16(&params->x, input, params->input_size, &params->h, state->h, units, units,
                      acc, pre);
    edgernn_tanh_s16(pre, pre, units);
    for (j = 0; j < units; ++j) {
        state->h[j] = (int16_t)edgernn_sat16(
            edgernn_requantize(pre[j], params->output_multiplier, params->output_shift));
    }
}
