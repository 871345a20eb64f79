/*
 * edgernn_lstm_steps_s8.c - `count` LSTM steps, int8, for the whole-sequence call: the time loop of
 * edgernn_cell_steps_s8 (input parts two steps at a time) around edgernn_lstm_cell_s8.
 * Scratch: EDGERNN_LSTM_STEPS_S8_BUFFER_SIZE(input_size, units) words.
 */
#include "edgernn_functions_int.h"

static void lstm_cell(const void *params, void *state, const int16_t *xq, int32_t *scratch)
{
    edgernn_lstm_cell_s8((const edgernn_lstm_params_q *)params, (edgernn_lstm_state_s8 *)state,
                        xq, scratch);
}

void edgernn_lstm_steps_s8(const edgernn_lstm_params_q *params, edgernn_lstm_state_s8 *state,
                          const int8_t *inputs, int32_t count, int8_t *outputs, int32_t *scratch)
{
    const int32_t units = params->units;
    edgernn_cell_steps_s8_shape shape;
    shape.x = &params->x;
    shape.input_size = params->input_size;
    shape.rows = 4 * units;
    shape.units = units;
    shape.h = state->h;
    edgernn_cell_steps_s8(lstm_cell, params, state, &shape, inputs, count, outputs, scratch);
}
