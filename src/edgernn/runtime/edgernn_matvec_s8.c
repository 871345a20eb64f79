/*
 * edgernn_matvec_s8.c - int8 x int16 matrix-vector product with int32 sums (int8 variant).
 *
 * out[r] = bias[r] + sum_c W[r][c] vec[c] (bias may be NULL). The int8 activations were
 * widened to int16 once per step (edgernn_widen_s8) so every row reuses them. W is in the DSP
 * layout of edgernn/quant/layout.py with blocks of EDGERNN_MATVEC_S8_ROWS = 4 rows: one pointer
 * walks each block, and each group of four columns holds (w0, w2, w1, w3) per row so that
 * SXTB16(word) = (w0, w1) and SXTB16(ROR(word, 8)) = (w2, w3) pair lane for lane with the
 * 32-bit input loads (x0, x1), (x2, x3). The portable path reads the same bytes. Integer sums
 * are exact (the quantizer proves they fit int32), so both paths give identical results.
 *
 * Arm DSP path (__ARM_FEATURE_DSP: Cortex-M4/M7/M33...): four rows per pass share each input
 * load; per 16 MACs: 2 input loads, 4 weight loads, 8 SXTB16, 8 SMLAD, no spills.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>
#include <string.h>

#define EDGERNN_MATVEC_S8_ROWS 4

#if defined(__ARM_FEATURE_DSP) && !defined(EDGERNN_NO_DSP)
#include <arm_acle.h>

static inline int32_t load32(const void *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* SXTB16(ROR(v, 8)): bytes 1 and 3 sign-extended, one instruction with the rotation folded in
 * (compilers do not fuse __sxtb16 with a rotate; CMSIS-Core's __SXTB16_RORn uses inline
 * assembly for the same reason). */
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

#define EDGERNN_MAC4(acc, wp, x01, x23)                   \
    do {                                                  \
        const int32_t w_ = load32(wp);                    \
        (acc) = __smlad((x01), __sxtb16(w_), (acc));      \
        (acc) = __smlad((x23), sxtb16_ror8(w_), (acc));   \
    } while (0)

void edgernn_matvec_s8(const int8_t *mat, const int16_t *vec, const int32_t *bias, int32_t rows,
                       int32_t cols, int32_t *out)
{
    const int32_t full = cols - (cols % 4);
    int32_t r = 0;
    for (; r + EDGERNN_MATVEC_S8_ROWS <= rows; r += EDGERNN_MATVEC_S8_ROWS) {
        const int8_t *w = mat + (size_t)r * (size_t)cols;
        int32_t a0 = (bias != NULL) ? bias[r] : 0;
        int32_t a1 = (bias != NULL) ? bias[r + 1] : 0;
        int32_t a2 = (bias != NULL) ? bias[r + 2] : 0;
        int32_t a3 = (bias != NULL) ? bias[r + 3] : 0;
        const int16_t *v = vec;
        const int16_t *const v_end = vec + full;
        int32_t c;
        while (v < v_end) {
            const int32_t x01 = load32(v);
            const int32_t x23 = load32(v + 2);
            EDGERNN_MAC4(a0, w, x01, x23);
            EDGERNN_MAC4(a1, w + 4, x01, x23);
            EDGERNN_MAC4(a2, w + 8, x01, x23);
            EDGERNN_MAC4(a3, w + 12, x01, x23);
            w += 16;
            v += 4;
        }
        for (c = full; c < cols; ++c) {
            const int32_t x = vec[c];
            a0 += x * w[0];
            a1 += x * w[1];
            a2 += x * w[2];
            a3 += x * w[3];
            w += 4;
        }
        out[r] = a0;
        out[r + 1] = a1;
        out[r + 2] = a2;
        out[r + 3] = a3;
    }
    for (; r < rows; ++r) { /* leftover rows: blocks of one row */
        const int8_t *w = mat + (size_t)r * (size_t)cols;
        int32_t a0 = (bias != NULL) ? bias[r] : 0;
        int32_t c;
        for (c = 0; c < full; c += 4) {
            EDGERNN_MAC4(a0, w + c, load32(vec + c), load32(vec + c + 2));
        }
        for (; c < cols; ++c) {
            a0 += vec[c] * w[c];
        }
        out[r] = a0;
    }
}

#else /* portable C: same layout, one row at a time */

void edgernn_matvec_s8(const int8_t *mat, const int16_t *vec, const int32_t *bias, int32_t rows,
                       int32_t cols, int32_t *out)
{
    const int32_t full = cols - (cols % 4);
    const int8_t *block = mat;
    int32_t r = 0;
    while (r < rows) {
        const int32_t b = (rows - r >= EDGERNN_MATVEC_S8_ROWS) ? EDGERNN_MATVEC_S8_ROWS : 1;
        int32_t i;
        for (i = 0; i < b; ++i) {
            const int8_t *w = block + 4 * i;
            int32_t acc = (bias != NULL) ? bias[r + i] : 0;
            int32_t c;
            for (c = 0; c < full; c += 4) {
                acc += vec[c] * w[0] + vec[c + 1] * w[2] + vec[c + 2] * w[1] + vec[c + 3] * w[3];
                w += 4 * b;
            }
            w = block + (size_t)full * (size_t)b + i;
            for (; c < cols; ++c) {
                acc += vec[c] * w[0];
                w += b;
            }
            out[r + i] = acc;
        }
        block += (size_t)b * (size_t)cols;
        r += b;
    }
}

#endif
