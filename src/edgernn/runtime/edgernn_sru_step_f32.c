/*
 * edgernn_sru_step_f32.c - one time step of an SRU layer in the survey's form, float32
 * (Lei et al. 2018; survey Section III-B6, eq. 18-21).
 *
 * proj holds x~ = W x, W_f x, W_r x (from edgernn_sru_window_f32), or is NULL and is computed
 * here into scratch. f = sigmoid(W_f x + v_f c + b_f), r = sigmoid(W_r x + v_r c + b_r) (both
 * from the old c, adjacent: one call), c = f c + (1 - f) x~, h = r c + (1 - r) x when
 * input_size == units, else h = r c + (1 - r) W_hw x (the projected highway, proj's fourth
 * block). Scratch: EDGERNN_SRU_F32_BUFFER_SIZE(input_size, units) with proj NULL.
 */
#include "edgernn_qrnn_sru.h"

#include <stddef.h>

void edgernn_sru_step_f32(const edgernn_sru_params_f32 *params, edgernn_sru_state_f32 *state,
                          const float *input, float *proj, float *scratch)
{
    const int32_t units = params->units;
    const float *const highway = (params->input_size == units) ? input : NULL;
    float *gate;
    int32_t j;

    if (proj == NULL) {
        proj = scratch;
        edgernn_matmul_f32(params->w_x, EDGERNN_SRU_ROWS(params->input_size, units),
                           params->input_size, input, params->input_size, 1, proj);
    }
    gate = proj + units;
    for (j = 0; j < units; ++j) {
        gate[j] = (gate[j] + params->v[j] * state->c[j]) + params->b[j];
        gate[units + j] = (gate[units + j] + params->v[units + j] * state->c[j])
                          + params->b[units + j];
    }
    edgernn_sigmoid_f32(gate, 2 * units);
    for (j = 0; j < units; ++j) {
        const float f = gate[j];
        const float r = gate[units + j];
        const float x = (highway != NULL) ? highway[j] : proj[3 * units + j];
        state->c[j] = f * state->c[j] + (1.0f - f) * proj[j];
        state->h[j] = r * state->c[j] + (1.0f - r) * x;
    }
}
