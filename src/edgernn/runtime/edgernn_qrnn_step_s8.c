/*
 * edgernn_qrnn_step_s8.c - one int8 QRNN step with fo-pooling (docs/quantization.md):
 *   g = proj row, or sat16(requantize(W [history, x - zp])) (Q3.12);
 *   z = tanh(g_z), f = sigmoid(g_f), o = sigmoid(g_o) (Q0.15 tables);
 *   c = sat16(rshift(f c, 15) + rshift((1 - f) z, 30 - k));
 *   h = sat8(requantize(o c, output_multiplier, output_shift) + zp_h);
 * then x - zp joins the int16 history (oldest dropped).
 * Scratch: EDGERNN_QRNN_S8_BUFFER_SIZE: acc | (window inputs) | taps | gates.
 */
#include "edgernn_qrnn_sru_int.h"

#include <stddef.h>
#include <string.h>

#include "edgernn_fixed_point.h"

void edgernn_qrnn_step_s8(const edgernn_qrnn_params_s8 *params, edgernn_qrnn_state_s8 *state,
                          const int8_t *input, const int16_t *proj, int32_t *scratch)
{
    const int32_t n_in = params->input_size;
    const int32_t units = params->units;
    const int32_t history = (params->taps - 1) * n_in;
    const int32_t cols = params->taps * n_in;
    const int32_t k = params->cell_frac_bits;
    const int32_t zp_x = params->input_zero_point;
    int32_t *const acc = scratch;
    int16_t *const taps = (int16_t *)(void *)(scratch + EDGERNN_S8_ACC_WORDS(3 * units) +
                                              EDGERNN_I16_WORDS((params->taps - 1 +
                                                                 params->window) * n_in));
    int16_t *const gates = taps + 2 * EDGERNN_I16_WORDS(cols + 1);
    int32_t j;

    if (history > 0) {
        memcpy(taps, state->x, (size_t)history * sizeof(int16_t));
    }
    for (j = 0; j < n_in; ++j) {
        taps[history + j] = (int16_t)(input[j] - zp_x);
    }
    if (proj == NULL) {
        taps[cols] = 0;
        edgernn_project_s8(&params->x, taps, 3 * units, cols, acc, gates);
        proj = gates;
    }
    for (j = 0; j < units; ++j) {
        const int32_t z = edgernn_lut_q15(edgernn_tanh_table_s16, proj[j]);
        const int32_t f = edgernn_lut_q15(edgernn_sigmoid_table_s16, proj[units + j]);
        const int32_t o = edgernn_lut_q15(edgernn_sigmoid_table_s16, proj[2 * units + j]);
        const int32_t c = edgernn_sat16(edgernn_rshift_round(f * state->c[j], 15) +
                                        edgernn_rshift_round((32768 - f) * z, 30 - k));
        state->c[j] = (int16_t)c;
        state->h[j] = (int8_t)edgernn_sat8(
            edgernn_requantize(o * c, params->output_multiplier, params->output_shift) +
            params->h_zero_point);
    }
    if (history > 0) {
        memcpy(state->x, taps + n_in, (size_t)history * sizeof(int16_t));
    }
}
