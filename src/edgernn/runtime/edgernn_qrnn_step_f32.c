/*
 * edgernn_qrnn_step_f32.c - one time step of a QRNN layer with fo-pooling, float32
 * (Bradbury et al. 2017; survey Section III-B6, eq. 14-17).
 *
 * proj holds z, f, o before activation (W * X, from edgernn_qrnn_window_f32), or is NULL and
 * is computed here into scratch from [history, input]. Then z = tanh, f, o = sigmoid (adjacent,
 * one call), c = f c + (1 - f) z, h = o c, and the input joins the history (oldest dropped).
 * Scratch: EDGERNN_QRNN_F32_BUFFER_SIZE (taps * input_size + 3 units with proj NULL).
 */
#include "edgernn_qrnn_sru.h"

#include <stddef.h>
#include <string.h>

void edgernn_qrnn_step_f32(const edgernn_qrnn_params_f32 *params, edgernn_qrnn_state_f32 *state,
                           const float *input, float *proj, float *scratch)
{
    const int32_t units = params->units;
    const size_t n_in = (size_t)params->input_size;
    const size_t history = (size_t)(params->taps - 1) * n_in;
    float *gate;
    int32_t j;

    if (proj == NULL) {
        const float *taps = input;
        if (history > 0) {
            memcpy(scratch, state->x, history * sizeof(float));
            memcpy(scratch + history, input, n_in * sizeof(float));
            taps = scratch;
        }
        proj = scratch + history + n_in;
        edgernn_matmul_f32(params->w_x, 3 * units, params->taps * params->input_size, taps,
                           params->input_size, 1, proj);
    }
    gate = proj;
    edgernn_tanh_f32(gate, units);
    edgernn_sigmoid_f32(gate + units, 2 * units);
    for (j = 0; j < units; ++j) {
        const float f = gate[units + j];
        state->c[j] = f * state->c[j] + (1.0f - f) * gate[j];
        state->h[j] = gate[2 * units + j] * state->c[j];
    }
    if (history > 0) {
        memmove(state->x, state->x + n_in, (history - n_in) * sizeof(float));
        memcpy(state->x + history - n_in, input, n_in * sizeof(float));
    }
}
