/*
 * edgernn_cell_steps_s8.c - the time loop of the int8 *_steps_s8 kernels (whole-sequence call):
 * `count` steps of one recurrent layer, the input parts two steps at a time
 * (edgernn_widen2_s8 + edgernn_project2_s8: each weight word serves both steps), then the
 * layer's cell per step, its int8 output h copied to outputs + t * units. An odd count ends with
 * one step through edgernn_project_s8. The same integers as `count` single steps.
 * Scratch: EDGERNN_CELL_STEPS_S8_BUFFER_SIZE(input_size, rows) words:
 *   the cell's sums (or project2's, whichever is larger) | the input pair as int16 | xq0 | xq1.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>
#include <string.h>

void edgernn_cell_steps_s8(edgernn_cell_s8_fn cell, const void *params, void *state,
                           const edgernn_cell_steps_s8_shape *shape, const int8_t *inputs,
                           int32_t count, int8_t *outputs, int32_t *scratch)
{
    const int32_t n_in = shape->input_size;
    const int32_t rows = shape->rows;
    const int32_t units = shape->units;
    const int32_t first = EDGERNN_STEPS_S8_FIRST_WORDS(rows);
    int16_t *const x2 = (int16_t *)(void *)(scratch + first);
    int16_t *const xq0 = (int16_t *)(void *)(scratch + first + 2 * EDGERNN_I16_WORDS(n_in));
    int16_t *const xq1 = xq0 + 2 * EDGERNN_I16_WORDS(rows);
    int32_t t;

    for (t = 0; t + 2 <= count; t += 2) {
        const int8_t *const in = inputs + (size_t)t * (size_t)n_in;
        edgernn_widen2_s8(in, in + n_in, n_in, x2);
        edgernn_project2_s8(shape->x, x2, rows, n_in, scratch, xq0, xq1);
        cell(params, state, xq0, scratch);
        memcpy(outputs + (size_t)t * (size_t)units, shape->h, (size_t)units);
        cell(params, state, xq1, scratch);
        memcpy(outputs + (size_t)(t + 1) * (size_t)units, shape->h, (size_t)units);
    }
    if (t < count) { /* an odd count: the last step alone */
        edgernn_widen_s8(inputs + (size_t)t * (size_t)n_in, x2, n_in);
        edgernn_project_s8(shape->x, x2, rows, n_in, scratch, xq0);
        cell(params, state, xq0, scratch);
        memcpy(outputs + (size_t)t * (size_t)units, shape->h, (size_t)units);
    }
}
