/*
 * edgernn_gates_f32.c - stacked gate pre-activations of a recurrent cell, float32.
 *
 * out = (W_x x + W_h h) + b for all gate rows at once (rows = gates * units). This is the
 * "gate" layer between the cell steps and the matrix-vector kernels.
 */
#include "edgernn_functions.h"

#include <stddef.h>

void edgernn_gates_f32(const float *w_x, const float *input, int32_t input_size,
                       const float *w_h, const float *hidden, int32_t hidden_size,
                       const float *bias, int32_t rows, float *out)
{
    int32_t r;
    edgernn_matvec_f32(w_x, input, (const float *)NULL, rows, input_size, out);
    edgernn_matvec_acc_f32(w_h, hidden, rows, hidden_size, out);
    for (r = 0; r < rows; ++r) {
        out[r] = out[r] + bias[r];
    }
}
