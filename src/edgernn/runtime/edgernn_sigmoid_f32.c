/*
 * edgernn_sigmoid_f32.c - logistic activation in place, float32.
 *
 * 1 / (1 + expf(-x)): for very negative x, expf overflows to +inf and the result is exactly 0,
 * never NaN. Single-precision libm only (no double promotion on an FPU-SP core).
 */
#include "edgernn_functions.h"

#include <math.h>

void edgernn_sigmoid_f32(float *data, int32_t size)
{
    int32_t i;
    for (i = 0; i < size; ++i) {
        data[i] = 1.0f / (1.0f + expf(-data[i]));
    }
}
