/*
 * edgernn_matvec_acc_w8f32.c - out[r] += scale[r] * sum_c (float)w[r][c] vec[c], int8 weights.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

void edgernn_matvec_acc_w8f32(const edgernn_matrix_w8 *mat, const float *vec, int32_t rows,
                              int32_t cols, float *out)
{
    int32_t r;
    int32_t c;
    for (r = 0; r < rows; ++r) {
        const int8_t *row = mat->w + (size_t)r * (size_t)cols;
        float acc = 0.0f;
        for (c = 0; c < cols; ++c) {
            acc += (float)row[c] * vec[c];
        }
        out[r] = out[r] + acc * mat->scale[r];
    }
}
