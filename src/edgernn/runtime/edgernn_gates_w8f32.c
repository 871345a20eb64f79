/*
 * edgernn_gates_w8f32.c - stacked gate pre-activations with int8 weights, float32:
 * out = (W_x x + W_h h) + b, each product scaled per row.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

void edgernn_gates_w8f32(const edgernn_matrix_w8 *w_x, const float *input, int32_t input_size,
                         const edgernn_matrix_w8 *w_h, const float *hidden, int32_t hidden_size,
                         const float *bias, int32_t rows, float *out)
{
    int32_t r;
    edgernn_matvec_w8f32(w_x, input, (const float *)NULL, rows, input_size, out);
    edgernn_matvec_acc_w8f32(w_h, hidden, rows, hidden_size, out);
    for (r = 0; r < rows; ++r) {
        out[r] = out[r] + bias[r];
    }
}
