/*
 * edgernn_project2_s8.c - edgernn_project_s8 for two vectors (two time steps) at once:
 * out0[r] = sat16(requantize(W x0 + bias)), out1[r] likewise for x1, each weight word serving
 * both (edgernn_matmul2_s8). vec2 holds the two vectors interleaved (edgernn_widen2_s8). Rows go
 * in chunks of EDGERNN_S8_CHUNK_ROWS, so acc needs 2 * EDGERNN_S8_ACC_WORDS(rows) words.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

#include "edgernn_fixed_point.h"

void edgernn_project2_s8(const edgernn_projection_params *proj, const int16_t *vec2,
                         int32_t rows, int32_t cols, int32_t *acc, int16_t *out0,
                         int16_t *out1)
{
    const size_t row_bytes = (size_t)(2 * ((cols + 1) / 2));
    int32_t *const acc1 = acc + EDGERNN_S8_ACC_WORDS(rows);
    const int32_t shift = proj->shift[0]; /* one shift per matrix (edgernn/quant) */
    int32_t r0;
    for (r0 = 0; r0 < rows; r0 += EDGERNN_S8_CHUNK_ROWS) {
        const int32_t n = (rows - r0 < EDGERNN_S8_CHUNK_ROWS) ? rows - r0
                                                              : EDGERNN_S8_CHUNK_ROWS;
        const int32_t *const m = proj->multiplier + r0;
        int32_t r;
        edgernn_matmul2_s8(proj->w + (size_t)r0 * row_bytes, vec2,
                           proj->bias != NULL ? proj->bias + r0 : NULL, n, cols, acc, acc1);
        if (shift >= 2) {
#if defined(__ARM_FEATURE_DSP) && defined(__GNUC__) && !defined(EDGERNN_NO_DSP)
            /* SMMLA and one shift per value (edgernn_smmla), each multiplier loaded once */
            const int32_t round = 1 << (shift - 2);
            const int32_t down = shift - 1;
            for (r = 0; r < n; ++r) {
                const int32_t mr = m[r];
                out0[r0 + r] = (int16_t)edgernn_sat16(edgernn_smmla(acc[r], mr, round) >> down);
                out1[r0 + r] = (int16_t)edgernn_sat16(edgernn_smmla(acc1[r], mr, round) >> down);
            }
#else
            for (r = 0; r < n; ++r) {
                out0[r0 + r] = (int16_t)edgernn_sat16(edgernn_requantize_s2(acc[r], m[r], shift));
                out1[r0 + r] =
                    (int16_t)edgernn_sat16(edgernn_requantize_s2(acc1[r], m[r], shift));
            }
#endif
        } else {
            for (r = 0; r < n; ++r) {
                out0[r0 + r] = (int16_t)edgernn_sat16(edgernn_requantize(acc[r], m[r], shift));
                out1[r0 + r] = (int16_t)edgernn_sat16(edgernn_requantize(acc1[r], m[r], shift));
            }
        }
    }
}
