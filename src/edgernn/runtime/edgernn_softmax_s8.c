/*
 * edgernn_softmax_s8.c - integer softmax of int32 Q.11 logits to int8 (scale 1/256, zero
 * point -128, as TFLM): e_i = exp(l_i - max) in Q0.15 (edgernn_exp_s32), s = sum e_i (int32,
 * at least 32768), y_i = min((e_i * 256 + s / 2) / s - 128, 127).
 */
#include "edgernn_functions_int.h"

void edgernn_softmax_s8(const int32_t *logits, int32_t size, int8_t *out)
{
    int32_t i;
    int32_t max_value;
    int32_t sum = 0;
    if (size <= 0) {
        return;
    }
    max_value = logits[0];
    for (i = 1; i < size; ++i) {
        if (logits[i] > max_value) {
            max_value = logits[i];
        }
    }
    for (i = 0; i < size; ++i) {
        const int64_t d = (int64_t)logits[i] - max_value;
        sum += edgernn_exp_s32(d < -32769 ? -32769 : (int32_t)d);
    }
    for (i = 0; i < size; ++i) {
        const int64_t d = (int64_t)logits[i] - max_value;
        const int64_t e = edgernn_exp_s32(d < -32769 ? -32769 : (int32_t)d);
        const int64_t q = (e * 256 + sum / 2) / sum - 128;
        out[i] = (int8_t)(q > 127 ? 127 : q);
    }
}
