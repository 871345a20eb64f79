/*
 * edgernn_rnn_step_f32.c - one time step of an Elman RNN cell, float32.
 *
 * h = tanh(W_x x + W_h h + b). With w_x NULL the input is already the projection W_x x + b
 * (units values, see edgernn_rnn_params_f32): h = tanh(W_h h + input), the input standing in
 * for the bias of the one matrix-vector product. The pre-activation goes to scratch (it reads
 * the old h) and is copied into the state at the end.
 * Scratch: EDGERNN_RNN_STEP_F32_BUFFER_SIZE(units).
 */
#include "edgernn_functions.h"

#include <stddef.h>
#include <string.h>

void edgernn_rnn_step_f32(const edgernn_rnn_params_f32 *params, edgernn_rnn_state_f32 *state,
                          const float *input, float *scratch)
{
    const int32_t units = params->units;
    if (params->w_x == NULL) {
        edgernn_matvec_f32(params->w_h, state->h, input, units, units, scratch);
    } else {
        edgernn_gates_f32(params->w_x, input, params->input_size, params->w_h, state->h, units,
                          params->b, units, scratch);
    }
    edgernn_tanh_f32(scratch, units);
    memcpy(state->h, scratch, (size_t)units * sizeof(float));
}
