/*
 * edgernn_embedding_f32.c - embedding lookup: one row of the table per token id, float32.
 */
#include "edgernn_functions.h"

#include <stddef.h>
#include <string.h>

edgernn_status edgernn_embedding_f32(const edgernn_embedding_params_f32 *params, int32_t token,
                                     float *output)
{
    const size_t dim = (size_t)params->dim;
    if (token < 0 || token >= params->vocabulary) {
        memset(output, 0, dim * sizeof(float));
        return EDGERNN_ARG_ERROR;
    }
    memcpy(output, params->table + (size_t)token * dim, dim * sizeof(float));
    return EDGERNN_OK;
}
