/*
 * edgernn_dense_steps_s8.c - an int8 dense layer on `count` time steps for the whole-sequence
 * call: two steps at a time through edgernn_matmul2_s8 (each weight word serving both), then
 * edgernn_dense_output_s8 per step. The same integers as `count` calls of edgernn_dense_s8.
 * Scratch: EDGERNN_DENSE_STEPS_S8_BUFFER_SIZE(input_size, units) words:
 *   sums of step 0 | sums of step 1 | the two inputs as int16, interleaved.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

void edgernn_dense_steps_s8(const edgernn_dense_params_q *params, const int8_t *inputs,
                            int32_t count, int8_t *outputs, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const edgernn_projection_params *w = &params->w;
    int32_t *const acc0 = scratch;
    int32_t *const acc1 = scratch + units;
    int16_t *const x2 = (int16_t *)(void *)(scratch + 2 * units);
    int32_t t;

    for (t = 0; t + 2 <= count; t += 2) {
        const int8_t *const in = inputs + (size_t)t * (size_t)n_in;
        int8_t *const out = outputs + (size_t)t * (size_t)units;
        edgernn_widen2_s8(in, in + n_in, n_in, x2);
        edgernn_matmul2_s8(w->w, x2, w->bias, units, n_in, acc0, acc1);
        params->output_s8(params, acc0, out);
        params->output_s8(params, acc1, out + units);
    }
    if (t < count) { /* an odd count: the last step alone */
        edgernn_dense_s8(params, inputs + (size_t)t * (size_t)n_in,
                         outputs + (size_t)t * (size_t)units, scratch);
    }
}
