/*
 * edgernn_gru_step_s8.c - one GRU step, int8, either reset mode (docs/quantization.md, "GRU"):
 *   xs = project(W_x x + b'_x) in Q3.12 (3 units)
 *   reset_after: hs = project(W_h h + b'_h) (3 units); z, r = sigmoid(sat16(xs + hs));
 *                n = tanh(sat16(xs_n + rshift_round(r hs_n, 15)))
 *   reset before: z, r from h (the z, r rows of W_h); rh = zp + rshift_round(r (h - zp), 15);
 *                n = tanh(sat16(xs_n + project(W_hn rh + b'_hn)) with hn)
 *   h15 = sat16(requantize(h - zp, state_multiplier, state_shift))           (Q0.15)
 *   h = sat8(requantize(rshift_round(z h15 + (32768 - z) n, 15), output_multiplier,
 *                       output_shift) + zp)
 * Scratch: EDGERNN_GRU_STEP_S8_BUFFER_SIZE(input_size, units) words:
 *   acc (3 units words) | x as int16 | h (or r h) as int16 | xs (3 units int16) | hs (3 units).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_gru_step_s8(const edgernn_gru_params_q *params, edgernn_gru_state_s8 *state,
                         const int8_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const int32_t zp = params->h_zero_point;
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + 3 * units);
    int16_t *const hw = (int16_t *)(void *)(scratch + 3 * units + EDGERNN_I16_WORDS(n_in));
    int16_t *const xs = (int16_t *)(void *)(scratch + 3 * units + EDGERNN_I16_WORDS(n_in) +
                                            EDGERNN_I16_WORDS(units));
    int16_t *const hs = xs + 2 * EDGERNN_I16_WORDS(3 * units);
    int16_t *const z = xs;
    int16_t *const r = xs + units;
    int16_t *const n = xs + 2 * units;
    int8_t *const h = state->h;
    int32_t j;

    edgernn_widen_s8(input, x, n_in);
    edgernn_widen_s8(h, hw, units);
    edgernn_project_s8(&params->x, x, 3 * units, n_in, acc, xs);
    edgernn_project_s8(&params->h, hw, params->reset_after ? 3 * units : 2 * units, units, acc,
                       hs);
    for (j = 0; j < 2 * units; ++j) {
        xs[j] = (int16_t)edgernn_sat16(xs[j] + hs[j]);
    }
    edgernn_sigmoid_s16(xs, xs, 2 * units); /* z and r are adjacent */
    if (params->reset_after) {
        for (j = 0; j < units; ++j) {
            n[j] = (int16_t)edgernn_sat16(
                n[j] + edgernn_rshift_round(r[j] * hs[2 * units + j], 15));
        }
    } else {
        for (j = 0; j < units; ++j) {
            hw[j] = (int16_t)(zp + edgernn_rshift_round(r[j] * (h[j] - zp), 15));
        }
        edgernn_project_s8(&params->hn, hw, units, units, acc, hs + 2 * units);
        for (j = 0; j < units; ++j) {
            n[j] = (int16_t)edgernn_sat16(n[j] + hs[2 * units + j]);
        }
    }
    edgernn_tanh_s16(n, n, units);
    for (j = 0; j < units; ++j) {
        const int32_t h15 = edgernn_sat16(
            edgernn_requantize(h[j] - zp, params->state_multiplier, params->state_shift));
        const int32_t blended = edgernn_rshift_round(z[j] * h15 + (32768 - z[j]) * n[j], 15);
        h[j] = (int8_t)edgernn_sat8(
            edgernn_requantize(blended, params->output_multiplier, params->output_shift) + zp);
    }
}
