/*
 * edgernn_sru_step_s8.c - one int8 SRU step in the survey's form (docs/quantization.md):
 *   g = proj row, or sat16(requantize(W x + b')) (Q3.12): x~, W_f x, W_r x;
 *   f = sigmoid(sat16(g_f + rshift(v_f c, k) + b_f)), r likewise (old c);
 *   c = sat16(rshift(f c, 15) + rshift((1 - f) x~, 27 - k));
 *   x_c = sat16(requantize(x - zp_x, highway)) (x in the cell's scale 2^-k);
 *   h = sat8(requantize(rshift(r c, 15) + rshift((1 - r) x_c, 15), output) + zp_h);
 *   input_size != units (projected highway): g has a fourth block g_hw = W_hw x (Q3.12) and
 *   rshift((1 - r) g_hw, 27 - k) replaces rshift((1 - r) x_c, 15).
 * Scratch: EDGERNN_SRU_S8_BUFFER_SIZE: acc | x as int16 | gates.
 */
#include "edgernn_qrnn_sru_int.h"

#include <stddef.h>

#include "edgernn_fixed_point.h"

void edgernn_sru_step_s8(const edgernn_sru_params_s8 *params, edgernn_sru_state_s8 *state,
                         const int8_t *input, const int16_t *proj, int32_t *scratch)
{
    const int32_t n_in = params->input_size;
    const int32_t units = params->units;
    const int32_t k = params->cell_frac_bits;
    const int32_t rows = EDGERNN_SRU_ROWS(n_in, units);
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + EDGERNN_S8_ACC_WORDS(rows));
    int16_t *const gates = (int16_t *)(void *)(scratch + EDGERNN_S8_ACC_WORDS(rows) +
                                               EDGERNN_I16_WORDS(n_in));
    int32_t j;

    if (proj == NULL) {
        edgernn_widen_s8(input, x, n_in);
        if (n_in % 2 != 0) {
            x[n_in] = 0; /* the pair kernel reads one past an odd count */
        }
        edgernn_project_s8(&params->x, x, rows, n_in, acc, gates);
        proj = gates;
    }
    for (j = 0; j < units; ++j) {
        const int32_t c_old = state->c[j];
        const int32_t f = edgernn_lut_q15(edgernn_sigmoid_table_s16, edgernn_sat16(
            proj[units + j] + edgernn_rshift_round(params->v[j] * c_old, k) + params->b[j]));
        const int32_t r = edgernn_lut_q15(edgernn_sigmoid_table_s16, edgernn_sat16(
            proj[2 * units + j] + edgernn_rshift_round(params->v[units + j] * c_old, k) +
            params->b[units + j]));
        const int32_t c = edgernn_sat16(edgernn_rshift_round(f * c_old, 15) +
                                        edgernn_rshift_round((32768 - f) * proj[j], 27 - k));
        int32_t highway;
        int32_t blended;
        if (n_in == units) {
            const int32_t x_c = edgernn_sat16(edgernn_requantize(
                input[j] - params->input_zero_point, params->highway_multiplier,
                params->highway_shift));
            highway = edgernn_rshift_round((32768 - r) * x_c, 15);
        } else {
            highway = edgernn_rshift_round((32768 - r) * proj[3 * units + j], 27 - k);
        }
        blended = edgernn_rshift_round(r * c, 15) + highway;
        state->c[j] = (int16_t)c;
        state->h[j] = (int8_t)edgernn_sat8(
            edgernn_requantize(blended, params->output_multiplier, params->output_shift) +
            params->h_zero_point);
    }
}
