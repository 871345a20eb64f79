/*
 * edgernn_matvec_f32.c - float32 matrix-vector product with optional bias.
 *
 * The portable reference inner loop every float layer ends in. Each row's dot product is
 * accumulated in single precision from zero, then the bias is added, which is the rounding
 * order of the NumPy golden model ((W x) + b).
 */
#include "edgernn_functions.h"

#include <stddef.h>

void edgernn_matvec_f32(const float *mat, const float *vec, const float *bias, int32_t rows,
                        int32_t cols, float *out)
{
    int32_t r;
    int32_t c;
    for (r = 0; r < rows; ++r) {
        const float *row = mat + (size_t)r * (size_t)cols;
        float acc = 0.0f;
        for (c = 0; c < cols; ++c) {
            acc += row[c] * vec[c];
        }
        out[r] = (bias != NULL) ? acc + bias[r] : acc;
    }
}
