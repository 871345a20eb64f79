/*
 * edgernn_qrnn_window_s8.c - the Q3.12 input convolutions of count int8 QRNN steps.
 *
 * The stored history and the window's inputs minus their zero point are laid out once as int16;
 * step s's taps are the k * input_size values from s * input_size, copied to an aligned buffer
 * and projected by edgernn_project_s8 into row s of state->proj.
 * Scratch: EDGERNN_QRNN_S8_BUFFER_SIZE: acc | history + inputs | taps | (gates, unused here).
 */
#include "edgernn_qrnn_sru_int.h"

#include <stddef.h>
#include <string.h>

void edgernn_qrnn_window_s8(const edgernn_qrnn_params_s8 *params,
                            const edgernn_qrnn_state_s8 *state, const int8_t *inputs,
                            int32_t count, int32_t *scratch)
{
    const int32_t n_in = params->input_size;
    const int32_t units = params->units;
    const int32_t history = (params->taps - 1) * n_in;
    const int32_t cols = params->taps * n_in;
    int32_t *const acc = scratch;
    int16_t *const seq = (int16_t *)(void *)(scratch + EDGERNN_S8_ACC_WORDS(3 * units));
    int16_t *const taps = (int16_t *)(void *)(scratch + EDGERNN_S8_ACC_WORDS(3 * units) +
                                              EDGERNN_I16_WORDS((params->taps - 1 +
                                                                 params->window) * n_in));
    int32_t i, s;

    if (history > 0) {
        memcpy(seq, state->x, (size_t)history * sizeof(int16_t));
    }
    for (i = 0; i < count * n_in; ++i) {
        seq[history + i] = (int16_t)(inputs[i] - params->input_zero_point);
    }
    taps[cols] = 0;
    for (s = 0; s < count; ++s) {
        memcpy(taps, seq + (size_t)s * (size_t)n_in, (size_t)cols * sizeof(int16_t));
        edgernn_project_s8(&params->x, taps, 3 * units, cols, acc,
                           state->proj + (size_t)s * (size_t)(3 * units));
    }
}
