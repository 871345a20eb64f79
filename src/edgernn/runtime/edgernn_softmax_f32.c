/*
 * edgernn_softmax_f32.c - softmax over a whole vector in place, float32.
 *
 * Shifted by the maximum so every exponent is <= 0; exp is edgernn_exp2_inline_f32
 * (edgernn_functions.h, max relative error 8e-8, two elements at a time) instead of libm's
 * expf. The exponentials are summed in single precision the way NumPy's float32 sum does it
 * (pairwise: 8 partial sums per block of up to 128, halves above), so the sum is as accurate as
 * the golden model's (a left-to-right float32 sum of 65 terms is 4x worse: 3e-7). Each element
 * is then multiplied by 1 / sum: one 14-cycle VDIV instead of one per element, at most one
 * extra rounding (6e-8 on a probability). Max absolute error against float64: < 2e-7
 * (tests/runtime/test_fast_activations.py).
 */
#include "edgernn_functions.h"

/* NumPy's pairwise summation of float32 (numpy/core/src/umath/loops_utils.h, block 128). */
static float pairwise_sum(const float *data, int32_t size)
{
    float r[8];
    float res;
    int32_t i;
    int32_t j;
    if (size < 8) {
        res = 0.0f;
        for (i = 0; i < size; ++i) {
            res += data[i];
        }
        return res;
    }
    if (size <= 128) {
        for (j = 0; j < 8; ++j) {
            r[j] = data[j];
        }
        for (i = 8; i < size - size % 8; i += 8) {
            for (j = 0; j < 8; ++j) {
                r[j] += data[i + j];
            }
        }
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < size; ++i) {
            res += data[i];
        }
        return res;
    }
    i = size / 2;
    i -= i % 8;
    return pairwise_sum(data, i) + pairwise_sum(data + i, size - i);
}

void edgernn_softmax_f32(float *data, int32_t size)
{
    int32_t i;
    float max_value;
    float scale;
    if (size <= 0) {
        return;
    }
    max_value = data[0];
    for (i = 1; i < size; ++i) {
        if (data[i] > max_value) {
            max_value = data[i];
        }
    }
    for (i = 0; i + 1 < size; i += 2) {
        float e0 = data[i] - max_value;
        float e1 = data[i + 1] - max_value;
        edgernn_exp2_inline_f32(&e0, &e1);
        data[i] = e0;
        data[i + 1] = e1;
    }
    if (i < size) {
        float e0 = data[i] - max_value;
        float unused = 0.0f;
        edgernn_exp2_inline_f32(&e0, &unused);
        data[i] = e0;
    }
    scale = 1.0f / pairwise_sum(data, size);
    for (i = 0; i < size; ++i) {
        data[i] = data[i] * scale;
    }
}
