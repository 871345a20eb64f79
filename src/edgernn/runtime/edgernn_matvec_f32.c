/*
 * edgernn_matvec_f32.c - float32 matrix-vector product with optional bias.
 *
 * out = W x (+ b), W in the row-block layout (edgernn_types.h): edgernn_matvec_pair_f32 with
 * no second matrix. Each row's dot product is accumulated in single precision from zero, then
 * the bias is added, the rounding order of the NumPy golden model ((W x) + b).
 */
#include "edgernn_functions.h"

#include <stddef.h>

void edgernn_matvec_f32(const float *mat, const float *vec, const float *bias, int32_t rows,
                        int32_t cols, float *out)
{
    edgernn_matvec_pair_f32(mat, vec, cols, (const float *)NULL, (const float *)NULL, 0, bias,
                            rows, out);
}
