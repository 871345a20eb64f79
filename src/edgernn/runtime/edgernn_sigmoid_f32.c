/*
 * edgernn_sigmoid_f32.c - logistic activation in place, float32.
 *
 * 1 / (1 + exp(-x)), exp from edgernn_exp2_inline_f32 (edgernn_functions.h) instead of libm's
 * expf, two elements at a time: max absolute error 8.9e-8 against float64 (1.2e-7 against the
 * golden model's float32 NumPy sigmoid, which has its own rounding), measured on a dense grid
 * by tests/runtime/test_fast_activations.py. x <= -88 gives exactly 0 (exp overflows to +inf),
 * x >= 17 exactly 1.
 */
#include "edgernn_functions.h"

void edgernn_sigmoid_f32(float *data, int32_t size)
{
    int32_t i;
    for (i = 0; i + 1 < size; i += 2) {
        float e0 = -data[i];
        float e1 = -data[i + 1];
        edgernn_exp2_inline_f32(&e0, &e1);
        e0 = 1.0f + e0;
        e1 = 1.0f + e1;
        data[i] = 1.0f / e0;
        data[i + 1] = 1.0f / e1;
    }
    if (i < size) {
        float e0 = -data[i];
        float unused = 0.0f;
        edgernn_exp2_inline_f32(&e0, &unused);
        data[i] = 1.0f / (1.0f + e0);
    }
}
