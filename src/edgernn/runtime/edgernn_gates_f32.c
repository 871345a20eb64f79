/*
 * edgernn_gates_f32.c - stacked gate pre-activations of a recurrent cell, float32.
 *
 * out = (W_x x + W_h h) + b for all gate rows at once (rows = gates * units), both matrices in
 * the row-block layout. One pass: each row's input and recurrent products go into the same
 * accumulator (edgernn_matvec_pair_f32), so there is no second sweep over out to add the two
 * halves and the bias. This is the "gate" layer between the cell steps and the matrix-vector
 * kernel.
 */
#include "edgernn_functions.h"

void edgernn_gates_f32(const float *w_x, const float *input, int32_t input_size,
                       const float *w_h, const float *hidden, int32_t hidden_size,
                       const float *bias, int32_t rows, float *out)
{
    edgernn_matvec_pair_f32(w_x, input, input_size, w_h, hidden, hidden_size, bias, rows, out);
}
