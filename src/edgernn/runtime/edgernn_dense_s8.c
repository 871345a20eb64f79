/*
 * edgernn_dense_s8.c - fully connected layer, int8 (docs/quantization.md, "Dense"): the int32
 * sums W x + b' (edgernn_matvec_s8), then edgernn_dense_output_s8.
 * Scratch: EDGERNN_DENSE_S8_BUFFER_SIZE(input_size, units) words: sums | x as int16.
 */
#include "edgernn_functions_int.h"

void edgernn_dense_s8(const edgernn_dense_params_q *params, const int8_t *input, int8_t *output,
                      int32_t *scratch)
{
    const int32_t units = params->units;
    const edgernn_projection_params *w = &params->w;
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + units);

    edgernn_widen_s8(input, x, params->input_size);
    edgernn_matvec_s8(w->w, x, w->bias, units, params->input_size, acc);
    params->output_s8(params, acc, output);
}
