/*
 * edgernn_sru_window_f32.c - the input side W x of count SRU time steps, float32.
 *
 * One edgernn_matmul_f32 over the window's step-major inputs (each weight loaded once per 4
 * steps) into state->proj, row s for step s (EDGERNN_SRU_ROWS values each). No scratch.
 */
#include "edgernn_qrnn_sru.h"

void edgernn_sru_window_f32(const edgernn_sru_params_f32 *params,
                            const edgernn_sru_state_f32 *state, const float *inputs,
                            int32_t count)
{
    edgernn_matmul_f32(params->w_x, EDGERNN_SRU_ROWS(params->input_size, params->units),
                       params->input_size, inputs, params->input_size, count, state->proj);
}
