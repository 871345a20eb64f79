/*
 * edgernn_gates_s8.c - stacked gate pre-activations of a recurrent cell, int8 variant:
 * out[r] = act_g(sat16(sat16(requantize(W_x x + b'_x)) + sat16(requantize(W_h h + b'_h)))),
 * Q3.12 in, Q0.15 out where gate g = r / gate_rows has a table (tables[g] != NULL: sigmoid or
 * tanh by edgernn_lut_q15), Q3.12 otherwise. The input and recurrent parts have their own
 * per-row multipliers (their input scales differ).
 *
 * Rows go in chunks of EDGERNN_S8_CHUNK_ROWS (a multiple of four, so every chunk starts on a
 * four-row block of the pair layout): the input part of a chunk is summed into acc and
 * requantized into out, then the recurrent part reuses acc and one loop requantizes, adds,
 * saturates and applies the table. acc needs EDGERNN_S8_ACC_WORDS(rows) words only, and the
 * int16 gate values never go through memory between the sum and the activation.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

#include "edgernn_fixed_point.h"

void edgernn_gates_s8(const edgernn_projection_params *x_proj, const int16_t *x,
                      int32_t input_size, const edgernn_projection_params *h_proj,
                      const int16_t *h, int32_t hidden_size, int32_t rows,
                      const int16_t *const *tables, int32_t gate_rows, int32_t *acc,
                      int16_t *out)
{
    const size_t x_block = (size_t)(2 * ((input_size + 1) / 2)); /* bytes per row */
    const size_t h_block = (size_t)(2 * ((hidden_size + 1) / 2));
    int32_t r0;
    for (r0 = 0; r0 < rows; r0 += EDGERNN_S8_CHUNK_ROWS) {
        const int32_t n = (rows - r0 < EDGERNN_S8_CHUNK_ROWS) ? rows - r0
                                                              : EDGERNN_S8_CHUNK_ROWS;
        const int32_t *const xm = x_proj->multiplier + r0;
        const int8_t *const xs = x_proj->shift + r0;
        const int32_t *const hm = h_proj->multiplier + r0;
        const int8_t *const hsh = h_proj->shift + r0;
        int16_t *const o = out + r0;
        int32_t r = 0;
        edgernn_matvec_s8(x_proj->w + (size_t)r0 * x_block, x,
                          x_proj->bias != NULL ? x_proj->bias + r0 : NULL, n, input_size, acc);
        for (r = 0; r < n; ++r) {
            o[r] = (int16_t)edgernn_sat16(edgernn_requantize(acc[r], xm[r], xs[r]));
        }
        edgernn_matvec_s8(h_proj->w + (size_t)r0 * h_block, h,
                          h_proj->bias != NULL ? h_proj->bias + r0 : NULL, n, hidden_size, acc);
        r = 0;
        while (r < n) { /* one run per gate inside the chunk */
            const int32_t gate = (r0 + r) / gate_rows;
            const int32_t end = ((gate + 1) * gate_rows - r0 < n) ? (gate + 1) * gate_rows - r0
                                                                  : n;
            const int16_t *const table = (tables != NULL) ? tables[gate] : NULL;
            if (table != NULL) {
                for (; r < end; ++r) {
                    const int32_t part = edgernn_sat16(edgernn_requantize(acc[r], hm[r], hsh[r]));
                    o[r] = edgernn_lut_q15(table, edgernn_sat16(o[r] + part));
                }
            } else {
                for (; r < end; ++r) {
                    const int32_t part = edgernn_sat16(edgernn_requantize(acc[r], hm[r], hsh[r]));
                    o[r] = (int16_t)edgernn_sat16(o[r] + part);
                }
            }
        }
    }
}
