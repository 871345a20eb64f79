/*
 * edgernn_activation_f32.c - apply an activation chosen at run time, float32.
 *
 * A table indexed by edgernn_activation (the C side of the codegen activation registry), so
 * adding an activation is adding a kernel and a table entry.
 */
#include "edgernn_functions.h"

typedef void (*edgernn_activation_fn_f32)(float *data, int32_t size);

static const edgernn_activation_fn_f32 activation_table[] = {
    edgernn_linear_f32,  /* EDGERNN_ACT_LINEAR */
    edgernn_relu_f32,    /* EDGERNN_ACT_RELU */
    edgernn_sigmoid_f32, /* EDGERNN_ACT_SIGMOID */
    edgernn_tanh_f32,    /* EDGERNN_ACT_TANH */
    edgernn_softmax_f32  /* EDGERNN_ACT_SOFTMAX */
};

void edgernn_activation_f32(edgernn_activation act, float *data, int32_t size)
{
    const unsigned int index = (unsigned int)act;
    if (index < sizeof(activation_table) / sizeof(activation_table[0])) {
        activation_table[index](data, size);
    }
}
