/*
 * edgernn_widen_s8.c - sign-extend int8 activations to int16, once per step, so the
 * matrix-vector inner loop reads them as int16 pairs shared by every row.
 *
 * Arm DSP path: four values per word, SXTB16 twice and PKHBT/PKHTB to restore the order
 * (about 3 cycles per value instead of 6 for the byte loop).
 */
#include "edgernn_functions_int.h"

#include <string.h>

void edgernn_widen_s8(const int8_t *in, int16_t *out, int32_t size)
{
    int32_t i = 0;
#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP) && defined(__GNUC__)
    for (; i + 4 <= size; i += 4) {
        uint32_t word, even, odd, lo, hi;
        memcpy(&word, in + i, sizeof(word)); /* any alignment: LDR on a Cortex-M4 */
        __asm__("sxtb16 %[even], %[w]\n\t"
                "sxtb16 %[odd], %[w], ror #8\n\t"
                "pkhbt  %[lo], %[even], %[odd], lsl #16\n\t"
                "pkhtb  %[hi], %[odd], %[even], asr #16"
                : [even] "=&r"(even), [odd] "=&r"(odd), [lo] "=&r"(lo), [hi] "=r"(hi)
                : [w] "r"(word));
        memcpy(out + i, &lo, sizeof(lo));
        memcpy(out + i + 2, &hi, sizeof(hi));
    }
#endif
    for (; i < size; ++i) {
        out[i] = in[i];
    }
}
