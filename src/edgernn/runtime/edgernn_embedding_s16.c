/*
 * edgernn_embedding_s16.c - embedding lookup, int16x8: the int8 table row (symmetric, zero
 * point 0) widened to int16 with the same scale.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>
#include <string.h>

edgernn_status edgernn_embedding_s16(const edgernn_embedding_params_q *params, int32_t token,
                                     int16_t *output)
{
    const int32_t dim = params->dim;
    if (token < 0 || token >= params->vocabulary) {
        memset(output, 0, (size_t)dim * sizeof(int16_t));
        return EDGERNN_ARG_ERROR;
    }
    edgernn_widen_s8(params->table + (size_t)token * (size_t)dim, output, dim);
    return EDGERNN_OK;
}
