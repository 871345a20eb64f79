/*
 * edgernn_qrnn_window_s8.c - the Q3.12 input convolutions of count int8 QRNN steps.
 *
 * The stored history and the window's inputs minus their zero point are laid out once as int16
 * (seq); step s's taps are the k * input_size values from s * input_size. Steps go two at a
 * time: the taps of s and s + 1 are interleaved by column pair (the edgernn_widen2_s8 layout,
 * here from int16) and edgernn_project2_s8 computes rows s and s + 1 of state->proj in one pass
 * over the weights; an odd last step is copied out alone and projected by edgernn_project_s8.
 * The integers are those of count separate projections.
 * Scratch (EDGERNN_QRNN_S8_BUFFER_SIZE, shared with the step, which runs afterwards):
 *   project2's acc (2 chunks) | history + inputs | the taps pair (or one step's taps).
 */
#include "edgernn_qrnn_sru_int.h"

#include <stddef.h>
#include <string.h>

/* out[4j .. 4j+3] = (a[2j], a[2j+1], b[2j], b[2j+1]); an odd size's last pair padded with 0. */
static void interleave2_s16(const int16_t *a, const int16_t *b, int32_t size, int16_t *out)
{
    const int32_t pairs = size / 2;
    int32_t j;
    for (j = 0; j < pairs; ++j) { /* a pair of int16 as one word: LDR/STR on a Cortex-M4 */
        memcpy(out + 4 * j, a + 2 * j, 2 * sizeof(int16_t));
        memcpy(out + 4 * j + 2, b + 2 * j, 2 * sizeof(int16_t));
    }
    if (size % 2 != 0) {
        out[4 * pairs] = a[size - 1];
        out[4 * pairs + 1] = 0;
        out[4 * pairs + 2] = b[size - 1];
        out[4 * pairs + 3] = 0;
    }
}

void edgernn_qrnn_window_s8(const edgernn_qrnn_params_s8 *params,
                            const edgernn_qrnn_state_s8 *state, const int8_t *inputs,
                            int32_t count, int32_t *scratch)
{
    const int32_t n_in = params->input_size;
    const int32_t rows = 3 * params->units;
    const int32_t history = (params->taps - 1) * n_in;
    const int32_t cols = params->taps * n_in;
    int32_t *const acc = scratch;
    int16_t *const seq = (int16_t *)(void *)(scratch + 2 * EDGERNN_S8_ACC_WORDS(rows));
    int16_t *const taps = (int16_t *)(void *)(scratch + 2 * EDGERNN_S8_ACC_WORDS(rows) +
                                              EDGERNN_I16_WORDS((params->taps - 1 +
                                                                 params->window) * n_in));
    int32_t i, s;

    if (history > 0) {
        memcpy(seq, state->x, (size_t)history * sizeof(int16_t));
    }
    for (i = 0; i < count * n_in; ++i) {
        seq[history + i] = (int16_t)(inputs[i] - params->input_zero_point);
    }
    for (s = 0; s + 2 <= count; s += 2) {
        const int16_t *const a = seq + (size_t)s * (size_t)n_in;
        int16_t *const out = state->proj + (size_t)s * (size_t)rows;
        interleave2_s16(a, a + n_in, cols, taps);
        edgernn_project2_s8(&params->x, taps, rows, cols, acc, out, out + rows);
    }
    if (s < count) { /* an odd count: the last step alone */
        memcpy(taps, seq + (size_t)s * (size_t)n_in, (size_t)cols * sizeof(int16_t));
        taps[cols] = 0; /* the pair kernel reads one past an odd count */
        edgernn_project_s8(&params->x, taps, rows, cols, acc,
                           state->proj + (size_t)s * (size_t)rows);
    }
}
