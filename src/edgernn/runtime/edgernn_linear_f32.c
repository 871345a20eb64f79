/*
 * edgernn_linear_f32.c - identity activation, float32.
 *
 * Does nothing; it exists so that every activation of the spec has a kernel in the dispatch
 * table of edgernn_activation_f32.
 */
#include "edgernn_functions.h"

void edgernn_linear_f32(float *data, int32_t size)
{
    (void)data;
    (void)size;
}
