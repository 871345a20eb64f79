/*
 * edgernn_matvec_w8f32.c - matrix-vector product with int8 weights and float32 arithmetic:
 * out[r] = scale[r] * sum_c (float)w[r][c] vec[c] + bias[r] (the int8-weights variant keeps
 * float activations and stores each row as int8 with one float scale).
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

void edgernn_matvec_w8f32(const edgernn_matrix_w8 *mat, const float *vec, const float *bias,
                          int32_t rows, int32_t cols, float *out)
{
    int32_t r;
    int32_t c;
    for (r = 0; r < rows; ++r) {
        const int8_t *row = mat->w + (size_t)r * (size_t)cols;
        float acc = 0.0f;
        for (c = 0; c < cols; ++c) {
            acc += (float)row[c] * vec[c];
        }
        acc = acc * mat->scale[r];
        out[r] = (bias != NULL) ? acc + bias[r] : acc;
    }
}
