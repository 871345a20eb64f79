/*
 * edgernn_widen_s8.c - sign-extend int8 activations to int16, once per step, so the
 * matrix-vector inner loop reads them as int16 pairs shared by every row.
 */
#include "edgernn_functions_int.h"

void edgernn_widen_s8(const int8_t *in, int16_t *out, int32_t size)
{
    int32_t i;
    for (i = 0; i < size; ++i) {
        out[i] = in[i];
    }
}
