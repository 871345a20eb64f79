/*
 * edgernn_rnn_steps_s8.c - `count` RNN steps, int8, for the whole-sequence call: the time loop of
 * edgernn_cell_steps_s8 (input parts two steps at a time) around edgernn_rnn_cell_s8.
 * Scratch: EDGERNN_RNN_STEPS_S8_BUFFER_SIZE(input_size, units) words.
 */
#include "edgernn_functions_int.h"

static void rnn_cell(const void *params, void *state, const int16_t *xq, int32_t *scratch)
{
    edgernn_rnn_cell_s8((const edgernn_rnn_params_q *)params, (edgernn_rnn_state_s8 *)state,
                        xq, scratch);
}

void edgernn_rnn_steps_s8(const edgernn_rnn_params_q *params, edgernn_rnn_state_s8 *state,
                          const int8_t *inputs, int32_t count, int8_t *outputs, int32_t *scratch)
{
    const int32_t units = params->units;
    edgernn_cell_steps_s8_shape shape;
    shape.x = &params->x;
    shape.input_size = params->input_size;
    shape.rows = units;
    shape.units = units;
    shape.h = state->h;
    edgernn_cell_steps_s8(rnn_cell, params, state, &shape, inputs, count, outputs, scratch);
}
