/*
 * edgernn_softmax_s8.c - integer softmax of int32 Q.11 logits to int8 (scale 1/256, zero
 * point -128, as TFLM): e_i = exp(l_i - max) in Q0.15 (edgernn_exp_q15), s = sum e_i (int32,
 * at least 32768), y_i = min((e_i * 256 + s / 2) / s - 128, 127).
 * The logits are overwritten with the exps (the caller's scratch). This finds the maximum
 * and hands over to edgernn_softmax_max_s8 (which a caller that already knows it calls
 * directly: edgernn_dense_output_s8 finds it while requantizing the logits).
 */
#include "edgernn_functions_int.h"

void edgernn_softmax_s8(int32_t *logits, int32_t size, int8_t *out)
{
    int32_t max_value;
    int32_t i;
    if (size <= 0) {
        return;
    }
    max_value = logits[0];
    for (i = 1; i < size; ++i) {
        max_value = logits[i] > max_value ? logits[i] : max_value;
    }
    edgernn_softmax_max_s8(logits, size, max_value, out);
}
