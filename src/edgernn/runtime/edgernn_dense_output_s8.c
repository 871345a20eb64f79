/*
 * edgernn_dense_output_s8.c - the second half of an int8 dense layer (docs/quantization.md,
 * "Dense"): from the int32 sums acc = W x + b' (overwritten) to the int8 output.
 *   acc_r = requantize(acc_r, multiplier_r, shift_r)
 *   linear:  y = sat8(acc + zp_y);  relu: max(that, zp_y)
 *   sigmoid, tanh: y = sat8(requantize(table(sat16(acc)), output_multiplier, output_shift) + zp_y)
 *   softmax: acc is the Q.11 logit; y = edgernn_softmax_s8(acc) (its maximum found while
 *            requantizing: edgernn_softmax_max_s8)
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_dense_output_s8(const edgernn_dense_params_q *params, int32_t *acc,
                             int8_t *output)
{
    const int32_t units = params->units;
    const edgernn_projection_params *w = &params->w;
    const int32_t zp = params->output_zero_point;
    int32_t j;

    if (params->activation == EDGERNN_ACT_LINEAR) { /* the common head: one loop */
        edgernn_dense_output_linear_s8(params, acc, output);
        return;
    }
    {
        const int32_t *const multipliers = w->multiplier;
        const int32_t shift = w->shift[0]; /* one shift per matrix (edgernn/quant) */
        int32_t max_value = INT32_MIN;     /* of the softmax logits, found on the way */
        if (shift >= 2) {
            for (j = 0; j < units; ++j) {
                const int32_t v = edgernn_requantize_s2(acc[j], multipliers[j], shift);
                acc[j] = v;
                max_value = v > max_value ? v : max_value;
            }
        } else {
            for (j = 0; j < units; ++j) {
                const int32_t v = edgernn_requantize(acc[j], multipliers[j], shift);
                acc[j] = v;
                max_value = v > max_value ? v : max_value;
            }
        }
        if (params->activation == EDGERNN_ACT_SOFTMAX) {
            edgernn_softmax_max_s8(acc, units, max_value, output);
            return;
        }
    }
    switch (params->activation) {
    case EDGERNN_ACT_SIGMOID:
    case EDGERNN_ACT_TANH: {
        const int16_t *const table = (params->activation == EDGERNN_ACT_SIGMOID)
                                         ? edgernn_sigmoid_table_s16
                                         : edgernn_tanh_table_s16;
        for (j = 0; j < units; ++j) {
            const int32_t t = edgernn_lut_q15(table, edgernn_sat16(acc[j]));
            output[j] = (int8_t)edgernn_sat8(
                edgernn_requantize(t, params->output_multiplier, params->output_shift) + zp);
        }
        return;
    }
    case EDGERNN_ACT_RELU:
    case EDGERNN_ACT_LINEAR:
    default:
        for (j = 0; j < units; ++j) {
            int32_t y = edgernn_sat8(acc[j] + zp);
            if (params->activation == EDGERNN_ACT_RELU && y < zp) {
                y = zp;
            }
            output[j] = (int8_t)y;
        }
        return;
    }
}
