/*
 * edgernn_lstm_step_f32.c - one time step of an LSTM cell, float32.
 *
 * Gates (i, f, g, o) = (W_x x + W_h h) + b; c = sigmoid(f) c + sigmoid(i) tanh(g);
 * h = sigmoid(o) tanh(c). With w_x NULL the input is already W_x x + b (4 units values, see
 * edgernn_lstm_params_f32) and the gates are W_h h + input, the input standing in for the bias.
 * Scratch: EDGERNN_LSTM_STEP_F32_BUFFER_SIZE(units) holding the gates; the g block is reused
 * for tanh(c) once c is updated.
 */
#include "edgernn_functions.h"

#include <stddef.h>

void edgernn_lstm_step_f32(const edgernn_lstm_params_f32 *params, edgernn_lstm_state_f32 *state,
                           const float *input, float *scratch)
{
    const int32_t units = params->units;
    float *const gate_i = scratch;
    float *const gate_f = scratch + units;
    float *const gate_g = scratch + 2 * units;
    float *const gate_o = scratch + 3 * units;
    int32_t j;

    if (params->w_x == NULL) {
        edgernn_matvec_f32(params->w_h, state->h, input, 4 * units, units, scratch);
    } else {
        edgernn_gates_f32(params->w_x, input, params->input_size, params->w_h, state->h, units,
                          params->b, 4 * units, scratch);
    }
    edgernn_sigmoid_f32(gate_i, 2 * units); /* i and f are adjacent */
    edgernn_tanh_f32(gate_g, units);
    edgernn_sigmoid_f32(gate_o, units);
    for (j = 0; j < units; ++j) {
        state->c[j] = gate_f[j] * state->c[j] + gate_i[j] * gate_g[j];
        gate_g[j] = state->c[j];
    }
    edgernn_tanh_f32(gate_g, units);
    for (j = 0; j < units; ++j) {
        state->h[j] = gate_o[j] * gate_g[j];
    }
}
