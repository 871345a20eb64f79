/*
 * edgernn_matvec_acc_f32.c - float32 matrix-vector product added to an existing vector.
 *
 * Used for the recurrent half of a gate (W_h h added to W_x x). The dot product is accumulated
 * from zero and added once, matching the golden model's rounding order (W_x x) + (W_h h).
 */
#include "edgernn_functions.h"

#include <stddef.h>

void edgernn_matvec_acc_f32(const float *mat, const float *vec, int32_t rows, int32_t cols,
                            float *out)
{
    int32_t r;
    int32_t c;
    for (r = 0; r < rows; ++r) {
        const float *row = mat + (size_t)r * (size_t)cols;
        float acc = 0.0f;
        for (c = 0; c < cols; ++c) {
            acc += row[c] * vec[c];
        }
        out[r] = out[r] + acc;
    }
}
