/*
 * edgernn_lstmp_step_f32.c - one time step of an LSTM with peepholes and/or a projection
 * layer (Sak et al. 2014's LSTMP; survey Sections III-B2 and III-B4), float32.
 *
 * Gates (i, f, g, o) = (W_x x + W_h h) + b (edgernn_gates_f32, W_h is (4 units, proj) with a
 * projection); then the peepholes: i += p_i c(t-1), f += p_f c(t-1), elementwise for diagonal
 * peepholes (vectors) or a matrix-vector product for full ones (units x units matrices);
 * c = sigmoid(f) c + sigmoid(i) tanh(g); o += p_o c(t); m = sigmoid(o) tanh(c);
 * h = W_p m with a projection (proj values), else h = m.
 * Scratch: EDGERNN_LSTMP_STEP_F32_BUFFER_SIZE(units): the four stacked gates, then units
 * values for a full peephole's product (the g block holds tanh(c), then m).
 */
#include "edgernn_functions.h"

#include <stddef.h>

/* gate += P c: elementwise (diagonal) or through the matrix-vector kernel into tmp (full). */
static void add_peephole(const edgernn_lstmp_params_f32 *params, const float *p, const float *c,
                         float *gate, float *tmp)
{
    const int32_t units = params->units;
    int32_t j;

    if (params->peephole == EDGERNN_PEEPHOLE_DIAGONAL) {
        for (j = 0; j < units; ++j) {
            gate[j] += p[j] * c[j];
        }
    } else if (params->peephole == EDGERNN_PEEPHOLE_FULL) {
        edgernn_matvec_f32(p, c, NULL, units, units, tmp);
        for (j = 0; j < units; ++j) {
            gate[j] += tmp[j];
        }
    }
}

void edgernn_lstmp_step_f32(const edgernn_lstmp_params_f32 *params,
                            edgernn_lstmp_state_f32 *state, const float *input, float *scratch)
{
    const int32_t units = params->units;
    const int32_t width = (params->w_p != NULL) ? params->proj_size : units;
    float *const gate_i = scratch;
    float *const gate_f = scratch + units;
    float *const gate_g = scratch + 2 * units;
    float *const gate_o = scratch + 3 * units;
    float *const tmp = scratch + 4 * units;
    int32_t j;

    edgernn_gates_f32(params->w_x, input, params->input_size, params->w_h, state->h, width,
                      params->b, 4 * units, scratch);
    add_peephole(params, params->p_i, state->c, gate_i, tmp);
    add_peephole(params, params->p_f, state->c, gate_f, tmp);
    edgernn_sigmoid_f32(gate_i, 2 * units); /* i and f are adjacent */
    edgernn_tanh_f32(gate_g, units);
    for (j = 0; j < units; ++j) {
        state->c[j] = gate_f[j] * state->c[j] + gate_i[j] * gate_g[j];
        gate_g[j] = state->c[j];
    }
    add_peephole(params, params->p_o, state->c, gate_o, tmp);
    edgernn_sigmoid_f32(gate_o, units);
    edgernn_tanh_f32(gate_g, units);
    for (j = 0; j < units; ++j) {
        gate_g[j] = gate_o[j] * gate_g[j];
    }
    if (params->w_p != NULL) {
        edgernn_matvec_f32(params->w_p, gate_g, NULL, params->proj_size, units, state->h);
    } else {
        memcpy(state->h, gate_g, (size_t)units * sizeof(float));
    }
}
