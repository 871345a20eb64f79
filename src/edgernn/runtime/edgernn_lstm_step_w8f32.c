/*
 * edgernn_lstm_step_w8f32.c - one LSTM step with int8 weights, float32 (equations of
 * edgernn_lstm_step_f32.c). Scratch: EDGERNN_LSTM_STEP_W8F32_BUFFER_SIZE floats.
 */
#include "edgernn_functions_int.h"

#include "edgernn_functions.h"

void edgernn_lstm_step_w8f32(const edgernn_lstm_params_w8f32 *params,
                             edgernn_lstm_state_f32 *state, const float *input, float *scratch)
{
    const int32_t units = params->units;
    float *const gate_i = scratch;
    float *const gate_f = scratch + units;
    float *const gate_g = scratch + 2 * units;
    float *const gate_o = scratch + 3 * units;
    int32_t j;

    edgernn_gates_w8f32(&params->w_x, input, params->input_size, &params->w_h, state->h, units,
                        params->b, 4 * units, scratch);
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
