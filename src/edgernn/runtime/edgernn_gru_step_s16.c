/*
 * edgernn_gru_step_s16.c - one GRU step, int16x8, either reset mode (as edgernn_gru_step_s8.c,
 * zero point 0, 64-bit sums). Scratch: EDGERNN_GRU_STEP_S16_BUFFER_SIZE(input_size, units)
 * words: acc (3 units words) | xs (3 units int16) | hs (3 units int16) | r h (units int16).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_gru_step_s16(const edgernn_gru_params_q *params, edgernn_gru_state_s16 *state,
                          const int16_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    int32_t *const acc = scratch;
    int16_t *const xs = (int16_t *)(void *)(scratch + 3 * units);
    int16_t *const hs = xs + 2 * EDGERNN_I16_WORDS(3 * units);
    int16_t *const rh = hs + 2 * EDGERNN_I16_WORDS(3 * units);
    int16_t *const z = xs;
    int16_t *const r = xs + units;
    int16_t *const n = xs + 2 * units;
    int16_t *const h = state->h;
    int32_t j;

    edgernn_project_s16(&params->x, input, 3 * units, params->input_size, acc, xs);
    edgernn_project_s16(&params->h, h, params->reset_after ? 3 * units : 2 * units, units, acc,
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
            rh[j] = (int16_t)edgernn_rshift_round(r[j] * h[j], 15);
        }
        edgernn_project_s16(&params->hn, rh, units, units, acc, hs + 2 * units);
        for (j = 0; j < units; ++j) {
            n[j] = (int16_t)edgernn_sat16(n[j] + hs[2 * units + j]);
        }
    }
    edgernn_tanh_s16(n, n, units);
    for (j = 0; j < units; ++j) {
        const int32_t h15 = edgernn_sat16(
            edgernn_requantize(h[j], params->state_multiplier, params->state_shift));
        const int32_t blended = edgernn_rshift_round(z[j] * h15 + (32768 - z[j]) * n[j], 15);
        h[j] = (int16_t)edgernn_sat16(
            edgernn_requantize(blended, params->output_multiplier, params->output_shift));
    }
}
