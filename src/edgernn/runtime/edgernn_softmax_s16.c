/*
 * edgernn_softmax_s16.c - integer softmax of int32 Q.11 logits to int16 (scale 2^-15, zero
 * point 0): e_i = exp(l_i - max) in Q0.15 (edgernn_exp_q15 inline), s = sum e_i (int32,
 * at least 32768), y_i = min((e_i * 32768 + s / 2) / s, 32767).
 * The logits are overwritten with the exps (the caller's scratch).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_softmax_s16(int32_t *logits, int32_t size, int16_t *out)
{
    int32_t i;
    /* the exps replace the logits */
    const int32_t sum = edgernn_softmax_exps_q15(edgernn_exp_table_s32, logits, size);
    for (i = 0; i < size; ++i) {
        const uint32_t e = (uint32_t)logits[i];
        /* 32-bit unsigned division (UDIV): e * 32768 <= 2^30 and sum / 2 < 2^30. */
        const uint32_t q = (e * 32768u + (uint32_t)sum / 2u) / (uint32_t)sum;
        out[i] = (int16_t)(q > 32767 ? 32767 : q);
    }
}
