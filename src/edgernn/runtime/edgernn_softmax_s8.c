/*
 * edgernn_softmax_s8.c - integer softmax of int32 Q.11 logits to int8 (scale 1/256, zero
 * point -128, as TFLM): e_i = exp(l_i - max) in Q0.15 (edgernn_exp_q15), s = sum e_i (int32,
 * at least 32768), y_i = min((e_i * 256 + s / 2) / s - 128, 127).
 * The logits are overwritten with the exps (the caller's scratch).
 *
 * Arm DSP path: the same integers without a branch per element. The difference is taken with
 * QSUB (a logit far below the maximum saturates to INT32_MIN, which edgernn_exp_q15 maps to 0
 * like any d < -32768) and clamped to d >= -32768 with SSAT: T[0] = T[1] = 0, so u = 0 gives
 * exp 0 exactly as the "below -16" case. The top entry needs no branch either: d = 0 gives
 * i = 256 and f = 0, and reading T[1 + USAT(i, 8)] (= T[256] there) for the second entry
 * makes the interpolation return T[256]. On the Shakespeare heads (65 classes) this is about
 * 30 cycles per class against 54 for the branchy loops.
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__)

void edgernn_softmax_s8(int32_t *logits, int32_t size, int8_t *out)
{
    const uint16_t *const table = edgernn_exp_table_s32;
    const uint16_t *const next = edgernn_exp_table_s32 + 1;
    int32_t max_value;
    int32_t sum = 0;
    int32_t i;
    if (size <= 0) {
        return;
    }
    max_value = logits[0];
    for (i = 1; i < size; ++i) {
        max_value = logits[i] > max_value ? logits[i] : max_value;
    }
    for (i = 0; i < size; ++i) {
        int32_t d;
        int32_t i8;
        __asm__("qsub %0, %1, %2" : "=r"(d) : "r"(logits[i]), "r"(max_value));
        d = edgernn_sat16(d) + 32768; /* u in [0, 32768] */
        __asm__("usat %0, #8, %1" : "=r"(i8) : "r"(d >> 7));
        {
            const int32_t t0 = table[d >> 7];
            const int32_t e = t0 + ((((int32_t)next[i8] - t0) * (d & 127) + 64) >> 7);
            logits[i] = e;
            sum += e;
        }
    }
    {
        const uint32_t half = (uint32_t)sum / 2u;
        for (i = 0; i < size; ++i) {
            /* 32-bit unsigned division (UDIV): e <= 32768 and sum <= size * 32768 < 2^31. */
            const int32_t q =
                (int32_t)(((uint32_t)logits[i] * 256u + half) / (uint32_t)sum) - 128;
            out[i] = (int8_t)edgernn_sat8(q); /* q >= -128: only the top clamps */
        }
    }
}

#else /* portable C */

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

#endif
