/*
 * edgernn_embedding_w8f32.c - embedding lookup of an int8 table with a float scale per row.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>
#include <string.h>

edgernn_status edgernn_embedding_w8f32(const edgernn_embedding_params_w8f32 *params,
                                       int32_t token, float *output)
{
    const int32_t dim = params->dim;
    const int8_t *row;
    float scale;
    int32_t i;
    if (token < 0 || token >= params->vocabulary) {
        memset(output, 0, (size_t)dim * sizeof(float));
        return EDGERNN_ARG_ERROR;
    }
    row = params->table.w + (size_t)token * (size_t)dim;
    scale = params->table.scale[token];
    for (i = 0; i < dim; ++i) {
        output[i] = (float)row[i] * scale;
    }
    return EDGERNN_OK;
}
