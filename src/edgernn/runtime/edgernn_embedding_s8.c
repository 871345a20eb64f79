/*
 * edgernn_embedding_s8.c - embedding lookup, int8: the table row is the quantized output.
 */
#include "edgernn_functions_int.h"

#include <stddef.h>
#include <string.h>

edgernn_status edgernn_embedding_s8(const edgernn_embedding_params_q *params, int32_t token,
                                    int8_t *output)
{
    const size_t dim = (size_t)params->dim;
    if (token < 0 || token >= params->vocabulary) {
        memset(output, 0, dim);
        return EDGERNN_ARG_ERROR;
    }
    memcpy(output, params->table + (size_t)token * dim, dim);
    return EDGERNN_OK;
}
