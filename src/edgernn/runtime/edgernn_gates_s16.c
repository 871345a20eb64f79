/*
 * edgernn_gates_s16.c - stacked gate pre-activations of a recurrent cell, int16x8 variant:
 * out[r] = sat16(sat16(requantize(W_x x + b'_x)) + sat16(requantize(W_h h + b'_h))), Q3.12.
 * The input and recurrent parts have their own per-row multipliers (their input scales differ).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_gates_s16(const edgernn_projection_params *x_proj, const int16_t *x,
                      int32_t input_size, const edgernn_projection_params *h_proj,
                      const int16_t *h, int32_t hidden_size, int32_t rows, int32_t *acc,
                      int16_t *out)
{
    int32_t r;
    edgernn_project_s16(x_proj, x, rows, input_size, acc, out);
    edgernn_matvec_s16(h_proj->w, h, h_proj->bias, rows, hidden_size, h_proj->acc_shift, acc);
    for (r = 0; r < rows; ++r) {
        const int32_t part = edgernn_sat16(
            edgernn_requantize(acc[r], h_proj->multiplier[r], h_proj->shift[r]));
        out[r] = (int16_t)edgernn_sat16(out[r] + part);
    }
}
