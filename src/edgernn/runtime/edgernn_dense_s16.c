/*
 * edgernn_dense_s16.c - fully connected layer, int16x8 (zero points 0; as edgernn_dense_s8.c):
 *   acc_r = requantize(W x + b, multiplier_r, shift_r) with 64-bit sums
 *   linear: y = sat16(acc);  relu: max(that, 0)
 *   sigmoid, tanh: y = sat16(requantize(table(sat16(acc)), output_multiplier, output_shift))
 *   softmax: acc is the Q.11 logit; y = edgernn_softmax_s16(acc)
 * Scratch: EDGERNN_DENSE_S16_BUFFER_SIZE(input_size, units) words.
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_dense_s16(const edgernn_dense_params_q *params, const int16_t *input,
                       int16_t *output, int32_t *scratch)
{
    const int32_t units = params->units;
    const edgernn_projection_params *w = &params->w;
    int32_t *const acc = scratch;
    int16_t *const pre = (int16_t *)(void *)(scratch + units);
    int32_t j;

    edgernn_matvec_s16(w->w, input, w->bias, units, params->input_size, w->acc_shift, acc);
    for (j = 0; j < units; ++j) {
        acc[j] = edgernn_requantize(acc[j], w->multiplier[j], w->shift[j]);
    }
    switch (params->activation) {
    case EDGERNN_ACT_SOFTMAX:
        edgernn_softmax_s16(acc, units, output);
        return;
    case EDGERNN_ACT_SIGMOID:
    case EDGERNN_ACT_TANH:
        for (j = 0; j < units; ++j) {
            pre[j] = (int16_t)edgernn_sat16(acc[j]);
        }
        if (params->activation == EDGERNN_ACT_SIGMOID) {
            edgernn_sigmoid_s16(pre, pre, units);
        } else {
            edgernn_tanh_s16(pre, pre, units);
        }
        for (j = 0; j < units; ++j) {
            output[j] = (int16_t)edgernn_sat16(
                edgernn_requantize(pre[j], params->output_multiplier, params->output_shift));
        }
        return;
    case EDGERNN_ACT_RELU:
    case EDGERNN_ACT_LINEAR:
    default:
        for (j = 0; j < units; ++j) {
            int32_t y = edgernn_sat16(acc[j]);
            if (params->activation == EDGERNN_ACT_RELU && y < 0) {
                y = 0;
            }
            output[j] = (int16_t)y;
        }
        return;
    }
}
