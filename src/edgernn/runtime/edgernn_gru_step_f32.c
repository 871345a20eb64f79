/*
 * edgernn_gru_step_f32.c - one time step of a GRU cell, float32, either reset mode.
 *
 * Gates z, r, n; h = z h + (1 - z) n.
 *   reset_after (Keras default, PyTorch): xs = W_x x + b_x, hs = W_h h + b_h,
 *     z = sigmoid(xs_z + hs_z), r = sigmoid(xs_r + hs_r), n = tanh(xs_n + r hs_n).
 *   reset before (original GRU): xs = W_x x + b, z and r as above without b_h,
 *     n = tanh(xs_n + W_hn (r h)).
 * Scratch: EDGERNN_GRU_STEP_F32_BUFFER_SIZE(units) = xs (3 units) then hs (3 units); without
 * reset_after the last units of hs hold r h.
 */
#include "edgernn_functions.h"

#include <stddef.h>

void edgernn_gru_step_f32(const edgernn_gru_params_f32 *params, edgernn_gru_state_f32 *state,
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

    edgernn_matvec_f32(params->w_x, input, params->b_x, 3 * units, params->input_size, xs);
    if (params->reset_after) {
        edgernn_matvec_f32(params->w_h, h, params->b_h, 3 * units, units, hs);
    } else {
        edgernn_matvec_f32(params->w_h, h, (const float *)NULL, 2 * units, units, hs);
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
        for (j = 0; j < units; ++j) {
            rh[j] = r[j] * h[j];
        }
        edgernn_matvec_acc_f32(params->w_h + (size_t)(2 * units) * (size_t)units, rh, units,
                               units, n);
    }
    edgernn_tanh_f32(n, units);
    for (j = 0; j < units; ++j) {
        h[j] = z[j] * h[j] + (1.0f - z[j]) * n[j];
    }
}
