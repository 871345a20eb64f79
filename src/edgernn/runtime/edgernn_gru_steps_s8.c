/*
 * edgernn_gru_steps_s8.c - `count` GRU steps, int8, for the whole-sequence call: the time loop of
 * edgernn_cell_steps_s8 (input parts two steps at a time) around edgernn_gru_cell_s8.
 * A GRU with the reset gate before W_h runs edgernn_gru_step_s8 step by step.
 * Scratch: EDGERNN_GRU_STEPS_S8_BUFFER_SIZE(input_size, units) words.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>
#include <string.h>

static void gru_cell(const void *params, void *state, const int16_t *xq, int32_t *scratch)
{
    edgernn_gru_cell_s8((const edgernn_gru_params_q *)params, (edgernn_gru_state_s8 *)state,
                        xq, scratch);
}

void edgernn_gru_steps_s8(const edgernn_gru_params_q *params, edgernn_gru_state_s8 *state,
                          const int8_t *inputs, int32_t count, int8_t *outputs, int32_t *scratch)
{
    const int32_t units = params->units;
    edgernn_cell_steps_s8_shape shape;
    if (!params->reset_after) { /* the reset gate acts before W_h: step by step */
        const int32_t n_in = params->input_size;
        int32_t t;
        for (t = 0; t < count; ++t) {
            edgernn_gru_step_s8(params, state, inputs + (size_t)t * (size_t)n_in, scratch);
            memcpy(outputs + (size_t)t * (size_t)units, state->h, (size_t)units);
        }
        return;
    }
    shape.x = &params->x;
    shape.input_size = params->input_size;
    shape.rows = 3 * units;
    shape.units = units;
    shape.h = state->h;
    edgernn_cell_steps_s8(gru_cell, params, state, &shape, inputs, count, outputs, scratch);
}
