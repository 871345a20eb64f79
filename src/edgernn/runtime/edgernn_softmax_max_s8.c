/*
 * edgernn_softmax_max_s8.c - edgernn_softmax_s8 given the maximum logit: e_i = exp(l_i - max)
 * in Q0.15 (edgernn_exp_q15), s = sum e_i (int32, at least 32768), y_i = min((e_i * 256 + s / 2)
 * / s - 128, 127). The logits are overwritten with the exps.
 *
 * Arm DSP path: the same integers without a branch per element. The difference is taken with
 * QSUB (a logit far below the maximum saturates to INT32_MIN, which edgernn_exp_q15 maps to 0
 * like any d < -32768) and clamped to d >= -32768 with SSAT: T[0] = T[1] = 0, so u = 0 gives
 * exp 0 exactly as the "below -16" case. The top entry needs no branch either: d = 0 gives
 * i = 256 and f = 0, and reading T[1 + USAT(i, 8)] (= T[256] there) for the second entry
 * makes the interpolation return T[256]. About 36 cycles per class on a Cortex-M4 (the
 * division is a UDIV of at most 9 quotient bits) against 54 for the branchy loops.
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_softmax_max_s8(int32_t *logits, int32_t size, int32_t max_value, int8_t *out)
{
    int32_t sum = 0;
    int32_t i;
#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__)
    const uint16_t *const table = edgernn_exp_table_s32;
    const uint16_t *const next = edgernn_exp_table_s32 + 1;
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
#else
    sum = edgernn_softmax_exps_max_q15(edgernn_exp_table_s32, logits, size, max_value);
#endif
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
