/*
 * edgernn_rnn_step_s8.c - one Elman RNN step, int8 (docs/quantization.md, "RNN"): the input
 * part projected into Q3.12 (edgernn_project_s8), then edgernn_rnn_cell_s8.
 * Scratch: EDGERNN_RNN_STEP_S8_BUFFER_SIZE(input_size, units) words:
 *   the cell's sums (units int32) | x as int16 | xq (units int16).
 */
#include "edgernn_functions_int.h"

void edgernn_rnn_step_s8(const edgernn_rnn_params_q *params, edgernn_rnn_state_s8 *state,
                         const int8_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const int32_t cell_words = units; /* the cell's sums */
    int16_t *const x = (int16_t *)(void *)(scratch + cell_words);
    int16_t *const xq = (int16_t *)(void *)(scratch + cell_words + EDGERNN_I16_WORDS(n_in));

    edgernn_widen_s8(input, x, n_in);
    edgernn_project_s8(&params->x, x, units, n_in, scratch, xq);
    edgernn_rnn_cell_s8(params, state, xq, scratch);
}
