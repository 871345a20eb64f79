/*
 * edgernn_qrnn_window_f32.c - the input convolutions of count QRNN time steps, float32.
 *
 * Step s of the window convolves [x(t+s-k+1) .. x(t+s)]: the stored history (the k-1 inputs
 * before the window) followed by the window's inputs, copied into scratch, holds every such
 * group as a contiguous k * input_size slice, one input_size apart; edgernn_matmul_f32 then
 * computes all count rows of state->proj with each weight loaded once per 4 steps.
 * Scratch: EDGERNN_QRNN_F32_BUFFER_SIZE (the first (k-1+count) * input_size floats).
 */
#include "edgernn_qrnn_sru.h"

#include <stddef.h>
#include <string.h>

void edgernn_qrnn_window_f32(const edgernn_qrnn_params_f32 *params,
                             const edgernn_qrnn_state_f32 *state, const float *inputs,
                             int32_t count, float *scratch)
{
    const size_t n_in = (size_t)params->input_size;
    const size_t history = (size_t)(params->taps - 1) * n_in;
    const int32_t cols = params->taps * params->input_size;
    const float *taps = inputs;

    if (history > 0) {
        memcpy(scratch, state->x, history * sizeof(float));
        memcpy(scratch + history, inputs, (size_t)count * n_in * sizeof(float));
        taps = scratch;
    }
    edgernn_matmul_f32(params->w_x, 3 * params->units, cols, taps, params->input_size, count,
                       state->proj);
}
