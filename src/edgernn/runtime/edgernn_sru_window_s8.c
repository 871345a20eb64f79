/*
 * edgernn_sru_window_s8.c - the Q3.12 input side W x of count int8 SRU steps: each input
 * widened to int16 and projected by edgernn_project_s8 into row s of state->proj.
 * Scratch: EDGERNN_SRU_S8_BUFFER_SIZE: acc | x as int16 | (gates, unused here).
 */
#include "edgernn_qrnn_sru_int.h"

#include <stddef.h>

void edgernn_sru_window_s8(const edgernn_sru_params_s8 *params,
                           const edgernn_sru_state_s8 *state, const int8_t *inputs,
                           int32_t count, int32_t *scratch)
{
    const int32_t n_in = params->input_size;
    const int32_t rows = 3 * params->units;
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + EDGERNN_S8_ACC_WORDS(rows));
    int32_t s;

    for (s = 0; s < count; ++s) {
        edgernn_widen_s8(inputs + (size_t)s * (size_t)n_in, x, n_in);
        if (n_in % 2 != 0) {
            x[n_in] = 0; /* the pair kernel reads one past an odd count */
        }
        edgernn_project_s8(&params->x, x, rows, n_in, acc, state->proj + (size_t)s * (size_t)rows);
    }
}
