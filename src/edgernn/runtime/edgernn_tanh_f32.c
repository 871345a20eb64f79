/*
 * edgernn_tanh_f32.c - hyperbolic tangent activation in place, float32 (libm tanhf).
 */
#include "edgernn_functions.h"

#include <math.h>

void edgernn_tanh_f32(float *data, int32_t size)
{
    int32_t i;
    for (i = 0; i < size; ++i) {
        data[i] = tanhf(data[i]);
    }
}
