/*
 * edgernn_project_s8.c - one requantized projection into Q3.12, int8 variant:
 * out[r] = sat16(requantize(W vec + bias, multiplier[r], shift[r])).
 * Rows go in chunks of EDGERNN_S8_CHUNK_ROWS (four-row blocks of the pair layout), so acc needs
 * EDGERNN_S8_ACC_WORDS(rows) words. All rows of an int8 matrix share one shift
 * (edgernn/quant/quantize.py), loaded once: no per-row shift load or branch.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

#include "edgernn_fixed_point.h"

void edgernn_project_s8(const edgernn_projection_params *proj, const int16_t *vec, int32_t rows,
                        int32_t cols, int32_t *acc, int16_t *out)
{
    const size_t row_bytes = (size_t)(2 * ((cols + 1) / 2));
    const int32_t shift = proj->shift[0]; /* one shift per matrix (edgernn/quant) */
    int32_t r0;
    for (r0 = 0; r0 < rows; r0 += EDGERNN_S8_CHUNK_ROWS) {
        const int32_t n = (rows - r0 < EDGERNN_S8_CHUNK_ROWS) ? rows - r0
                                                              : EDGERNN_S8_CHUNK_ROWS;
        const int32_t *const m = proj->multiplier + r0;
        int32_t r;
        edgernn_matvec_s8(proj->w + (size_t)r0 * row_bytes, vec,
                          proj->bias != NULL ? proj->bias + r0 : NULL, n, cols, acc);
        if (shift >= 2) {
            for (r = 0; r < n; ++r) {
                out[r0 + r] = (int16_t)edgernn_sat16(edgernn_requantize_s2(acc[r], m[r], shift));
            }
        } else {
            for (r = 0; r < n; ++r) {
                out[r0 + r] = (int16_t)edgernn_sat16(edgernn_requantize(acc[r], m[r], shift));
            }
        }
    }
}
