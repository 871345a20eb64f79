/*
 * edgernn_matvec_s16.c - int8 x int16 matrix-vector product with 64-bit sums (int16x8 variant).
 *
 * out[r] = rshift_round(bias[r] + sum_c W[r][c] vec[c], acc_shift), saturated to int32.
 * The sums are 64-bit, so no layer width can overflow them; acc_shift (chosen by the quantizer,
 * 0 unless the worst case exceeds int32) brings them back into int32 for requantization.
 * W is in the DSP layout of edgernn/quant/layout.py with blocks of EDGERNN_MATVEC_S16_ROWS = 2
 * rows (two 64-bit accumulators take four registers). Arm DSP path: SMLALD (dual 16x16
 * multiply, 64-bit accumulate; as fast as SMLAD on a Cortex-M4).
 */
#include "edgernn_functions_int.h"

#include <stddef.h>
#include <string.h>

#include "edgernn_fixed_point.h"

#define EDGERNN_MATVEC_S16_ROWS 2

#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP)
#include <arm_acle.h>

static inline int32_t load32(const void *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* SXTB16(ROR(v, 8)) in one instruction (see edgernn_matvec_s8.c). */
static inline int32_t sxtb16_ror8(int32_t v)
{
#if defined(__GNUC__)
    int32_t result;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(result) : "r"(v));
    return result;
#else
    const uint32_t u = (uint32_t)v;
    return __sxtb16((int32_t)((u >> 8) | (u << 24)));
#endif
}

#define EDGERNN_MAC4_64(acc, wp, x01, x23)                 \
    do {                                                   \
        const int32_t w_ = load32(wp);                     \
        (acc) = __smlald((x01), __sxtb16(w_), (acc));      \
        (acc) = __smlald((x23), sxtb16_ror8(w_), (acc));   \
    } while (0)

void edgernn_matvec_s16(const int8_t *mat, const int16_t *vec, const int32_t *bias,
                        int32_t rows, int32_t cols, int32_t acc_shift, int32_t *out)
{
    const int32_t full = cols - (cols % 4);
    int32_t r = 0;
    for (; r + EDGERNN_MATVEC_S16_ROWS <= rows; r += EDGERNN_MATVEC_S16_ROWS) {
        const int8_t *w = mat + (size_t)r * (size_t)cols;
        int64_t a0 = (bias != NULL) ? bias[r] : 0;
        int64_t a1 = (bias != NULL) ? bias[r + 1] : 0;
        int32_t c;
        for (c = 0; c < full; c += 4) {
            const int32_t x01 = load32(vec + c);
            const int32_t x23 = load32(vec + c + 2);
            EDGERNN_MAC4_64(a0, w, x01, x23);
            EDGERNN_MAC4_64(a1, w + 4, x01, x23);
            w += 8;
        }
        for (; c < cols; ++c) {
            const int32_t x = vec[c];
            a0 += x * w[0];
            a1 += x * w[1];
            w += 2;
        }
        out[r] = edgernn_rshift_round64(a0, acc_shift);
        out[r + 1] = edgernn_rshift_round64(a1, acc_shift);
    }
    for (; r < rows; ++r) { /* leftover row: a block of one row */
        const int8_t *w = mat + (size_t)r * (size_t)cols;
        int64_t a0 = (bias != NULL) ? bias[r] : 0;
        int32_t c;
        for (c = 0; c < full; c += 4) {
            EDGERNN_MAC4_64(a0, w + c, load32(vec + c), load32(vec + c + 2));
        }
        for (; c < cols; ++c) {
            a0 += (int32_t)vec[c] * w[c];
        }
        out[r] = edgernn_rshift_round64(a0, acc_shift);
    }
}

#else /* portable C: same layout, one row at a time */

void edgernn_matvec_s16(const int8_t *mat, const int16_t *vec, const int32_t *bias,
                        int32_t rows, int32_t cols, int32_t acc_shift, int32_t *out)
{
    const int32_t full = cols - (cols % 4);
    const int8_t *block = mat;
    int32_t r = 0;
    while (r < rows) {
        const int32_t b = (rows - r >= EDGERNN_MATVEC_S16_ROWS) ? EDGERNN_MATVEC_S16_ROWS : 1;
        int32_t i;
        for (i = 0; i < b; ++i) {
            const int8_t *w = block + 4 * i;
            int64_t acc = (bias != NULL) ? bias[r + i] : 0;
            int32_t c;
            for (c = 0; c < full; c += 4) {
                /* one group of four products always fits int32 */
                acc += vec[c] * w[0] + vec[c + 1] * w[2] + vec[c + 2] * w[1] + vec[c + 3] * w[3];
                w += 4 * b;
            }
            w = block + (size_t)full * (size_t)b + i;
            for (; c < cols; ++c) {
                acc += vec[c] * w[0];
                w += b;
            }
            out[r + i] = edgernn_rshift_round64(acc, acc_shift);
        }
        block += (size_t)b * (size_t)cols;
        r += b;
    }
}

#endif
