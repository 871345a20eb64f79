/*
 * edgernn_dense_output_linear_s8.c - the output stage of an int8 dense layer with a linear
 * activation (docs/quantization.md, "Dense"): y = sat8(requantize(acc, multiplier_r, shift) +
 * zp_y). The same integers as edgernn_dense_output_s8 on a linear head; a separate function
 * so that firmware with only linear heads links no softmax and no activation table.
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_dense_output_linear_s8(const edgernn_dense_params_q *params, int32_t *acc,
                                    int8_t *output)
{
    const int32_t units = params->units;
    const int32_t *const multipliers = params->w.multiplier;
    const int32_t shift = params->w.shift[0]; /* one shift per matrix (edgernn/quant) */
    const int32_t zp = params->output_zero_point;
    int32_t j;
#if defined(__ARM_FEATURE_DSP) && defined(__GNUC__) && !defined(EDGERNN_NO_DSP)
    int32_t round;
    if (edgernn_out_round_s2(zp, shift, &round)) { /* SMMLA with the zero point folded in */
        const int32_t down = shift - 1;
        for (j = 0; j + 2 <= units; j += 2) {
            const int32_t y0 = edgernn_smmla(acc[j], multipliers[j], round) >> down;
            const int32_t y1 = edgernn_smmla(acc[j + 1], multipliers[j + 1], round) >> down;
            output[j] = (int8_t)edgernn_sat8(y0);
            output[j + 1] = (int8_t)edgernn_sat8(y1);
        }
        if (j < units) {
            output[j] = (int8_t)edgernn_sat8(edgernn_smmla(acc[j], multipliers[j], round) >> down);
        }
        return;
    }
#endif
    if (shift >= 2) {
        for (j = 0; j + 2 <= units; j += 2) { /* two outputs per iteration: half the branches */
            const int32_t y0 = edgernn_requantize_s2(acc[j], multipliers[j], shift);
            const int32_t y1 = edgernn_requantize_s2(acc[j + 1], multipliers[j + 1], shift);
            output[j] = (int8_t)edgernn_sat8(y0 + zp);
            output[j + 1] = (int8_t)edgernn_sat8(y1 + zp);
        }
        if (j < units) {
            output[j] = (int8_t)edgernn_sat8(edgernn_requantize_s2(acc[j], multipliers[j], shift) +
                                             zp);
        }
    } else {
        for (j = 0; j < units; ++j) {
            output[j] = (int8_t)edgernn_sat8(edgernn_requantize(acc[j], multipliers[j], shift) +
                                             zp);
        }
    }
}
