/*
 * edgernn_relu_f32.c - rectified linear activation in place, float32.
 */
#include "edgernn_functions.h"

void edgernn_relu_f32(float *data, int32_t size)
{
    int32_t i;
    for (i = 0; i < size; ++i) {
        if (data[i] < 0.0f) {
            data[i] = 0.0f;
        }
    }
}
