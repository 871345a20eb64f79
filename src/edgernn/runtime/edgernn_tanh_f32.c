/*
 * edgernn_tanh_f32.c - hyperbolic tangent activation in place, float32.
 *
 * tanh(x) = 2 / (1 + exp(-2x)) - 1, exp from edgernn_exp2_inline_f32 (edgernn_functions.h)
 * instead of libm's tanhf, two elements at a time. Near 0 the subtraction cancels, so the
 * error is absolute, not relative: max 1.8e-7 against float64 on a dense grid
 * (tests/runtime/test_fast_activations.py), far inside the model tolerance of 1e-5. For
 * x <= -44 exp(-2x) overflows to +inf and the result is exactly -1; large x gives exactly 1.
 */
#include "edgernn_functions.h"

void edgernn_tanh_f32(float *data, int32_t size)
{
    int32_t i;
    for (i = 0; i + 1 < size; i += 2) {
        float e0 = -2.0f * data[i];
        float e1 = -2.0f * data[i + 1];
        edgernn_exp2_inline_f32(&e0, &e1);
        e0 = 1.0f + e0;
        e1 = 1.0f + e1;
        e0 = 2.0f / e0;
        e1 = 2.0f / e1;
        data[i] = e0 - 1.0f;
        data[i + 1] = e1 - 1.0f;
    }
    if (i < size) {
        float e0 = -2.0f * data[i];
        float unused = 0.0f;
        edgernn_exp2_inline_f32(&e0, &unused);
        data[i] = 2.0f / (1.0f + e0) - 1.0f;
    }
}
