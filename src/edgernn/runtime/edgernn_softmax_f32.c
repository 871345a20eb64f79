/*
 * edgernn_softmax_f32.c - softmax over a whole vector in place, float32.
 *
 * Shifted by the maximum so expf never overflows; the sum is accumulated in single precision
 * and each element divided by it, as the golden model does.
 */
#include "edgernn_functions.h"

#include <math.h>

void edgernn_softmax_f32(float *data, int32_t size)
{
    int32_t i;
    float max_value;
    float sum = 0.0f;
    if (size <= 0) {
        return;
    }
    max_value = data[0];
    for (i = 1; i < size; ++i) {
        if (data[i] > max_value) {
            max_value = data[i];
        }
    }
    for (i = 0; i < size; ++i) {
        data[i] = expf(data[i] - max_value);
        sum += data[i];
    }
    for (i = 0; i < size; ++i) {
        data[i] = data[i] / sum;
    }
}
