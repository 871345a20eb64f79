/*
 * edgernn_widen2_s8.c - two int8 vectors sign-extended to int16 and interleaved by column pair
 * for edgernn_matmul2_s8: out[4k .. 4k+3] = (a[2k], a[2k+1], b[2k], b[2k+1]), an odd size's
 * last pair completed with zeros (out holds 4 * ceil(size / 2) values).
 *
 * Arm DSP path: four values of each vector per iteration, SXTB16 twice and PKHBT/PKHTB per
 * vector as in edgernn_widen_s8.
 */
#include "edgernn_functions_int.h"

#include <string.h>

#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__)
/* (w0, w1) and (w2, w3) of the four int8 values in `word`, as two int16 pairs. */
static inline void widen_word(uint32_t word, uint32_t *lo, uint32_t *hi)
{
    uint32_t even, odd;
    __asm__("sxtb16 %[even], %[w]\n\t"
            "sxtb16 %[odd], %[w], ror #8\n\t"
            "pkhbt  %[lo], %[even], %[odd], lsl #16\n\t"
            "pkhtb  %[hi], %[odd], %[even], asr #16"
            : [even] "=&r"(even), [odd] "=&r"(odd), [lo] "=&r"(*lo), [hi] "=r"(*hi)
            : [w] "r"(word));
}
#endif

void edgernn_widen2_s8(const int8_t *a, const int8_t *b, int32_t size, int16_t *out)
{
    int32_t i = 0;
#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__)
    for (; i + 4 <= size; i += 4) {
        uint32_t wa, wb, a01, a23, b01, b23;
        memcpy(&wa, a + i, sizeof(wa)); /* any alignment: LDR on a Cortex-M4 */
        memcpy(&wb, b + i, sizeof(wb));
        widen_word(wa, &a01, &a23);
        widen_word(wb, &b01, &b23);
        /* one STR each (a single memcpy of a 4-word array went through the stack) */
        memcpy(out + 2 * i, &a01, sizeof(a01));
        memcpy(out + 2 * i + 2, &b01, sizeof(b01));
        memcpy(out + 2 * i + 4, &a23, sizeof(a23));
        memcpy(out + 2 * i + 6, &b23, sizeof(b23));
    }
#endif
    for (; i < size; i += 2) {
        const int32_t last = (i + 1 >= size);
        out[2 * i] = a[i];
        out[2 * i + 1] = last ? 0 : a[i + 1];
        out[2 * i + 2] = b[i];
        out[2 * i + 3] = last ? 0 : b[i + 1];
    }
}
