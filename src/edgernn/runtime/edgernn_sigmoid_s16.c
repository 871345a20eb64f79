/*
 * edgernn_sigmoid_s16.c - sigmoid of int16 Q3.12 values to Q0.15, by table with linear
 * interpolation (docs/quantization.md, "Activation tables"):
 *   u = x + 32768, i = u >> 8, f = u & 255, y = T[i] + (((T[i+1] - T[i]) * f + 128) >> 8).
 * T = edgernn_sigmoid_table_s16 (edgernn_sigmoid_table_s16.c).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_sigmoid_s16(const int16_t *in, int16_t *out, int32_t size)
{
    int32_t i;
    for (i = 0; i < size; ++i) {
        out[i] = edgernn_lut_q15(edgernn_sigmoid_table_s16, in[i]);
    }
}
