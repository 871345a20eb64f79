/*
 * edgernn_matmul_f32.c - one row-major weight matrix times several vectors, float32.
 *
 * The multi-time-step kernel of the QRNN and SRU layers (edgernn_qrnn_sru.h): for up to four
 * vectors at a time, each weight is loaded once and multiplied into four accumulators, so
 * weight traffic (the cost of a matrix-vector product on a microcontroller, read from flash)
 * drops by the group size. Each sum runs over the columns in order from zero, whatever the
 * grouping: the result of a vector does not depend on count.
 */
#include "edgernn_qrnn_sru.h"

#include <stddef.h>

void edgernn_matmul_f32(const float *mat, int32_t rows, int32_t cols, const float *vecs,
                        int32_t stride, int32_t count, float *out)
{
    int32_t s = 0;
    for (; s + 3 < count; s += 4) {
        const float *x0 = vecs + (size_t)s * (size_t)stride;
        const float *x1 = x0 + stride;
        const float *x2 = x1 + stride;
        const float *x3 = x2 + stride;
        float *y = out + (size_t)s * (size_t)rows;
        int32_t r;
        for (r = 0; r < rows; ++r) {
            const float *w = mat + (size_t)r * (size_t)cols;
            float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
            int32_t c;
            for (c = 0; c < cols; ++c) {
                const float wc = w[c];
                a0 += wc * x0[c];
                a1 += wc * x1[c];
                a2 += wc * x2[c];
                a3 += wc * x3[c];
            }
            y[r] = a0;
            y[rows + r] = a1;
            y[2 * rows + r] = a2;
            y[3 * rows + r] = a3;
        }
    }
    for (; s < count; ++s) {
        const float *x0 = vecs + (size_t)s * (size_t)stride;
        float *y = out + (size_t)s * (size_t)rows;
        int32_t r;
        for (r = 0; r < rows; ++r) {
            const float *w = mat + (size_t)r * (size_t)cols;
            float a0 = 0.0f;
            int32_t c;
            for (c = 0; c < cols; ++c) {
                a0 += w[c] * x0[c];
            }
            y[r] = a0;
        }
    }
}
