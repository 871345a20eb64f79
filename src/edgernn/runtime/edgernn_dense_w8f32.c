/*
 * edgernn_dense_w8f32.c - fully connected layer with int8 weights, float32:
 * output = act(W input + b).
 */
#include "edgernn_functions_int.h"

#include "edgernn_functions.h"

void edgernn_dense_w8f32(const edgernn_dense_params_w8f32 *params, const float *input,
                         float *output)
{
    edgernn_matvec_w8f32(&params->w, input, params->b, params->units, params->input_size, output);
    edgernn_activation_f32(params->activation, output, params->units);
}
