/*
 * edgernn_gru_step_f32.c - one time step of a GRU cell, float32, either reset mode.
 *
 * Gates z, r, n; h = z h + (1 - z) n. W_x and W_h are each stored as two row-block matrices,
 * rows z, r then rows n (edgernn_gru_params_f32), so the n rows start at 2 units * cols.
 *   reset_after (Keras default, PyTorch): z, r = sigmoid((W_x x + W_h h) + b_x + b_h) in one
 *     pass over both matrices; xn = W_xn x + b_xn, hn = W_hn h + b_hn;
 *     n = tanh(xn + r hn).
 *   reset before (original GRU): z, r = sigmoid((W_x x + W_h h) + b); then
 *     n = tanh((W_xn x + W_hn (r h)) + b_n), again one pass.
 * Projected input (w_x NULL, see edgernn_gru_params_f32): the input p is already W_x x + b_x
 *   (reset_after) or W_x x + b (reset before), 3 units values, and stands in for the bias of the
 *   recurrent products: z, r = sigmoid((W_h h + p) + b_h) and n = tanh(p_n + r hn), or
 *   z, r = sigmoid(W_h h + p) and n = tanh(W_hn (r h) + p_n).
 * Sums are grouped differently from the golden model ((W_x x + b_x) + (W_h h + b_h)); the
 * difference is a rounding or two, far inside the 1e-5 tolerance.
 * Scratch: EDGERNN_GRU_STEP_F32_BUFFER_SIZE(units): z, r, n pre-activations (3 units), then hn
 * or r h (units).
 */
#include "edgernn_functions.h"

#include <stddef.h>

void edgernn_gru_step_f32(const edgernn_gru_params_f32 *params, edgernn_gru_state_f32 *state,
                          const float *input, float *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const int32_t projected = (params->w_x == NULL);
    const float *const w_xn = projected ? (const float *)NULL
                                        : params->w_x + (size_t)(2 * units) * (size_t)n_in;
    const float *const w_hn = params->w_h + (size_t)(2 * units) * (size_t)units;
    float *const z = scratch;
    float *const r = scratch + units;
    float *const n = scratch + 2 * units;
    float *const extra = scratch + 3 * units; /* hn (reset_after) or r h */
    float *const h = state->h;
    int32_t j;

    if (projected) {
        if (params->reset_after) {
            edgernn_matvec_f32(params->w_h, h, input, 2 * units, units, z);
            for (j = 0; j < 2 * units; ++j) {
                z[j] = z[j] + params->b_h[j];
            }
            edgernn_sigmoid_f32(z, 2 * units);
            edgernn_matvec_f32(w_hn, h, params->b_h + 2 * units, units, units, extra);
            for (j = 0; j < units; ++j) {
                n[j] = input[2 * units + j] + r[j] * extra[j];
            }
        } else {
            edgernn_matvec_f32(params->w_h, h, input, 2 * units, units, z);
            edgernn_sigmoid_f32(z, 2 * units);
            for (j = 0; j < units; ++j) {
                extra[j] = r[j] * h[j];
            }
            edgernn_matvec_f32(w_hn, extra, input + 2 * units, units, units, n);
        }
    } else if (params->reset_after) {
        edgernn_matvec_pair_f32(params->w_x, input, n_in, params->w_h, h, units,
                                (const float *)NULL, 2 * units, z);
        for (j = 0; j < 2 * units; ++j) {
            z[j] = (z[j] + params->b_x[j]) + params->b_h[j];
        }
        edgernn_sigmoid_f32(z, 2 * units); /* z and r are adjacent */
        edgernn_matvec_f32(w_xn, input, params->b_x + 2 * units, units, n_in, n);
        edgernn_matvec_f32(w_hn, h, params->b_h + 2 * units, units, units, extra);
        for (j = 0; j < units; ++j) {
            n[j] = n[j] + r[j] * extra[j];
        }
    } else {
        edgernn_matvec_pair_f32(params->w_x, input, n_in, params->w_h, h, units, params->b_x,
                                2 * units, z);
        edgernn_sigmoid_f32(z, 2 * units);
        for (j = 0; j < units; ++j) {
            extra[j] = r[j] * h[j];
        }
        edgernn_matvec_pair_f32(w_xn, input, n_in, w_hn, extra, units, params->b_x + 2 * units,
                                units, n);
    }
    edgernn_tanh_f32(n, units);
    for (j = 0; j < units; ++j) {
        h[j] = z[j] * h[j] + (1.0f - z[j]) * n[j];
    }
}
