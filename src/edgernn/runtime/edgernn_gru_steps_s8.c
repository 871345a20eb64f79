/*
 * edgernn_gru_steps_s8.c - `count` GRU steps, int8, for the whole-sequence call: the input
 * parts of two steps at a time (edgernn_project2_s8, each weight word serving both), then
 * edgernn_gru_cell_s8 per step; h of step t is copied to outputs + t * units. The same
 * integers as `count` calls of edgernn_gru_step_s8 (which a GRU with the reset gate before W_h
 * runs step by step).
 * Scratch: EDGERNN_GRU_STEPS_S8_BUFFER_SIZE(input_size, units) words:
 *   the cell's (or project2's acc, which is not larger) | x pair as int16 | xq0 | xq1.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>
#include <string.h>

void edgernn_gru_steps_s8(const edgernn_gru_params_q *params, edgernn_gru_state_s8 *state,
                           const int8_t *inputs, int32_t count, int8_t *outputs,
                           int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const int32_t rows = 3 * units;
    const int32_t first = EDGERNN_STEPS_S8_FIRST_WORDS(rows, units);
    int16_t *const x2 = (int16_t *)(void *)(scratch + first);
    int16_t *const xq0 = (int16_t *)(void *)(scratch + first + 2 * EDGERNN_I16_WORDS(n_in));
    int16_t *const xq1 = xq0 + 2 * EDGERNN_I16_WORDS(rows);
    int32_t t = 0;

    if (!params->reset_after) { /* the reset gate acts before W_h: step by step */
        for (; t < count; ++t) {
            edgernn_gru_step_s8(params, state, inputs + (size_t)t * (size_t)n_in, scratch);
            memcpy(outputs + (size_t)t * (size_t)units, state->h, (size_t)units);
        }
        return;
    }
    for (; t + 2 <= count; t += 2) {
        const int8_t *const in = inputs + (size_t)t * (size_t)n_in;
        edgernn_widen2_s8(in, in + n_in, n_in, x2);
        edgernn_project2_s8(&params->x, x2, rows, n_in, scratch, xq0, xq1);
        edgernn_gru_cell_s8(params, state, xq0, scratch);
        memcpy(outputs + (size_t)t * (size_t)units, state->h, (size_t)units);
        edgernn_gru_cell_s8(params, state, xq1, scratch);
        memcpy(outputs + (size_t)(t + 1) * (size_t)units, state->h, (size_t)units);
    }
    if (t < count) { /* an odd count: the last step alone */
        edgernn_widen_s8(inputs + (size_t)t * (size_t)n_in, x2, n_in);
        edgernn_project_s8(&params->x, x2, rows, n_in, scratch, xq0);
        edgernn_gru_cell_s8(params, state, xq0, scratch);
        memcpy(outputs + (size_t)t * (size_t)units, state->h, (size_t)units);
    }
}
