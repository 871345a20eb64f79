/*
 * edgernn_gru_step_w8f32.c - one GRU step with int8 weights, float32, either reset mode
 * (equations of edgernn_gru_step_f32.c). Scratch: EDGERNN_GRU_STEP_W8F32_BUFFER_SIZE floats.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

#include "edgernn_functions.h"

void edgernn_gru_step_w8f32(const edgernn_gru_params_w8f32 *params, edgernn_gru_state_f32 *state,
                            const float *input, float *scratch)
{
    const int32_t units = params->units;
    float *const xs = scratch;
    float *const hs = scratch + 3 * units;
    float *const h = state->h;
    const float *const z = xs;
    const float *const r = xs + units;
    float *const n = xs + 2 * units;
    int32_t j;

    edgernn_matvec_w8f32(&params->w_x, input, params->b_x, 3 * units, params->input_size, xs);
    if (params->reset_after) {
        edgernn_matvec_w8f32(&params->w_h, h, params->b_h, 3 * units, units, hs);
    } else {
        edgernn_matvec_w8f32(&params->w_h, h, (const float *)NULL, 2 * units, units, hs);
    }
    for (j = 0; j < 2 * units; ++j) {
        xs[j] = xs[j] + hs[j];
    }
    edgernn_sigmoid_f32(xs, 2 * units); /* z and r are adjacent */
    if (params->reset_after) {
        for (j = 0; j < units; ++j) {
            n[j] = n[j] + r[j] * hs[2 * units + j];
        }
    } else {
        float *const rh = hs + 2 * units;
        edgernn_matrix_w8 w_hn;
        w_hn.w = params->w_h.w + (size_t)(2 * units) * (size_t)units;
        w_hn.scale = params->w_h.scale + 2 * units;
        for (j = 0; j < units; ++j) {
            rh[j] = r[j] * h[j];
        }
        edgernn_matvec_acc_w8f32(&w_hn, rh, units, units, n);
    }
    edgernn_tanh_f32(n, units);
    for (j = 0; j < units; ++j) {
        h[j] = z[j] * h[j] + (1.0f - z[j]) * n[j];
    }
}
