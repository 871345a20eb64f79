/*
 * edgernn_softmax_s16.c - integer softmax of int32 Q.11 logits to int16 (scale 2^-15, zero
 * point 0): e_i = exp(l_i - max) in Q0.15 (edgernn_exp_s32), s = sum e_i (int32,
 * at least 32768), y_i = min((e_i * 32768 + s / 2) / s, 32767).
 */
#include "edgernn_functions_int.h"

void edgernn_softmax_s16(const int32_t *logits, int32_t size, int16_t *out)
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
        const int64_t q = (e * 32768 + sum / 2) / sum;
        out[i] = (int16_t)(q > 32767 ? 32767 : q);
    }
}
