/*
 * edgernn_softmax_s8.c - integer softmax of int32 Q.11 logits to int8 (scale 1/256, zero
 * point -128, as TFLM): e_i = exp(l_i - max) in Q0.15 (edgernn_exp_q15 inline), s = sum e_i (int32,
 * at least 32768), y_i = min((e_i * 256 + s / 2) / s - 128, 127).
 * The logits are overwritten with the exps (the caller's scratch).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_softmax_s8(int32_t *logits, int32_t size, int8_t *out)
{
    int32_t i;
    /* the exps replace the logits */
    const int32_t sum = edgernn_softmax_exps_q15(edgernn_exp_table_s32, logits, size);
    for (i = 0; i < size; ++i) {
        const uint32_t e = (uint32_t)logits[i];
        /* 32-bit unsigned division (UDIV): e <= 32768 and sum <= size * 32768 < 2^31. */
        const int32_t q = (int32_t)((e * 256u + (uint32_t)sum / 2u) / (uint32_t)sum) - 128;
        out[i] = (int8_t)(q > 127 ? 127 : q);
    }
}
