/*
 * edgernn_exp_s32.c - exp of a non-positive Q.11 difference to Q0.15, for the integer softmax
 * (docs/quantization.md, "Softmax"): 0 below -16; otherwise u = d + 32768, i = u >> 7,
 * f = u & 127, e = T[256] if i == 256 else T[i] + (((T[i+1] - T[i]) * f + 64) >> 7).
 * T = edgernn_exp_table_s32 (edgernn_exp_table_s32.c).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

int32_t edgernn_exp_s32(int32_t d)
{
    return edgernn_exp_q15(edgernn_exp_table_s32, d);
}
