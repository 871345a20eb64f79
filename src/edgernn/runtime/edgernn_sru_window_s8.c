/*
 * edgernn_sru_window_s8.c - the Q3.12 input side W x of count int8 SRU steps, two steps at a
 * time: the inputs of s and s + 1 widened and interleaved by edgernn_widen2_s8, then rows s and
 * s + 1 of state->proj from edgernn_project2_s8 (one pass over the weights for both); an odd
 * last step widened alone and projected by edgernn_project_s8. The integers are those of count
 * separate projections.
 * Scratch (EDGERNN_SRU_S8_BUFFER_SIZE, shared with the step, which runs afterwards):
 *   project2's acc (2 chunks) | the input pair as int16 (or one input).
 */
#include "edgernn_qrnn_sru_int.h"

#include <stddef.h>

void edgernn_sru_window_s8(const edgernn_sru_params_s8 *params,
                           const edgernn_sru_state_s8 *state, const int8_t *inputs,
                           int32_t count, int32_t *scratch)
{
    const int32_t n_in = params->input_size;
    const int32_t rows = EDGERNN_SRU_ROWS(n_in, params->units);
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + 2 * EDGERNN_S8_ACC_WORDS(rows));
    int32_t s;

    for (s = 0; s + 2 <= count; s += 2) {
        const int8_t *const in = inputs + (size_t)s * (size_t)n_in;
        int16_t *const out = state->proj + (size_t)s * (size_t)rows;
        edgernn_widen2_s8(in, in + n_in, n_in, x);
        edgernn_project2_s8(&params->x, x, rows, n_in, acc, out, out + rows);
    }
    if (s < count) { /* an odd count: the last step alone */
        edgernn_widen_s8(inputs + (size_t)s * (size_t)n_in, x, n_in);
        if (n_in % 2 != 0) {
            x[n_in] = 0; /* the pair kernel reads one past an odd count */
        }
        edgernn_project_s8(&params->x, x, rows, n_in, acc, state->proj + (size_t)s * (size_t)rows);
    }
}
