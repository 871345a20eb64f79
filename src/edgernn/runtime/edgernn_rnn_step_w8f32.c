/*
 * edgernn_rnn_step_w8f32.c - one Elman RNN step with int8 weights, float32:
 * h = tanh(W_x x + W_h h + b). Scratch: EDGERNN_RNN_STEP_W8F32_BUFFER_SIZE floats.
 */
#include "edgernn_functions_int.h"

#include <string.h>

#include "edgernn_functions.h"

void edgernn_rnn_step_w8f32(const edgernn_rnn_params_w8f32 *params, edgernn_rnn_state_f32 *state,
                            const float *input, float *scratch)
{
    const int32_t units = params->units;
    edgernn_gates_w8f32(&params->w_x, input, params->input_size, &params->w_h, state->h, units,
                        params->b, units, scratch);
    edgernn_tanh_f32(scratch, units);
    memcpy(state->h, scratch, (size_t)units * sizeof(float));
}
