/*
 * edgernn_project_s16.c - one requantized projection into Q3.12, int16x8 variant (64-bit sums):
 * out[r] = sat16(requantize(W vec + bias, multiplier[r], shift[r])).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_project_s16(const edgernn_projection_params *proj, const int16_t *vec, int32_t rows,
                        int32_t cols, int32_t *acc, int16_t *out)
{
    int32_t r;
    edgernn_matvec_s16(proj->w, vec, proj->bias, rows, cols, proj->acc_shift, acc);
    for (r = 0; r < rows; ++r) {
        out[r] = (int16_t)edgernn_sat16(
            edgernn_requantize(acc[r], proj->multiplier[r], proj->shift[r]));
    }
}
