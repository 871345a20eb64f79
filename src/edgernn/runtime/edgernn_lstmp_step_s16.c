/*
 * edgernn_lstmp_step_s16.c - one step of an LSTM with peepholes and/or a projection, int16x8
 * (as edgernn_lstmp_step_s8.c, zero point 0, 64-bit sums everywhere: edgernn_gates_s16 and
 * edgernn_project_s16; m = o tanh(c) is int16 with scale 2^-15 before the projection).
 * Scratch: EDGERNN_LSTMP_STEP_S16_BUFFER_SIZE(input_size, units, width) words:
 *   acc (4 units words) | gates (4 units int16) | tmp (units + 1 int16).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

/* gate[j] = sat16(gate[j] + peephole term of gate g on the cell c). */
static void add_peephole(const edgernn_lstmp_params_q *params, int32_t g, const int16_t *c,
                         int16_t *gate, int32_t *acc, int16_t *tmp)
{
    const int32_t units = params->units;
    int32_t j;
    if (params->peephole == EDGERNN_PEEPHOLE_DIAGONAL) {
        const int16_t *const p = params->p_diag[g];
        const int32_t m = params->p_multiplier[g];
        const int32_t s = params->p_shift[g];
        for (j = 0; j < units; ++j) {
            const int32_t term = edgernn_sat16(edgernn_requantize(p[j] * c[j], m, s));
            gate[j] = (int16_t)edgernn_sat16(gate[j] + term);
        }
    } else if (params->peephole == EDGERNN_PEEPHOLE_FULL) {
        edgernn_project_s16(&params->p_full[g], c, units, units, acc, tmp);
        for (j = 0; j < units; ++j) {
            gate[j] = (int16_t)edgernn_sat16(gate[j] + tmp[j]);
        }
    }
}

void edgernn_lstmp_step_s16(const edgernn_lstmp_params_q *params, edgernn_lstm_state_s16 *state,
                            const int16_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t width = (params->proj_size > 0) ? params->proj_size : units;
    const int32_t k = params->cell_frac_bits;
    int32_t *const acc = scratch;
    int16_t *const gates = (int16_t *)(void *)(scratch + 4 * units);
    int16_t *const tmp = (int16_t *)(void *)(scratch + 4 * units + EDGERNN_I16_WORDS(4 * units));
    int16_t *const gate_i = gates;
    int16_t *const gate_f = gates + units;
    int16_t *const gate_g = gates + 2 * units;
    int16_t *const gate_o = gates + 3 * units;
    int16_t *const cell = state->c;
    int32_t j;

    edgernn_gates_s16(&params->x, input, params->input_size, &params->h, state->h, width,
                      4 * units, acc, gates);
    add_peephole(params, 0, cell, gate_i, acc, tmp);
    add_peephole(params, 1, cell, gate_f, acc, tmp);
    for (j = 0; j < units; ++j) {
        const int32_t i = edgernn_lut_q15(edgernn_sigmoid_table_s16, gate_i[j]);
        const int32_t f = edgernn_lut_q15(edgernn_sigmoid_table_s16, gate_f[j]);
        const int32_t g = edgernn_lut_q15(edgernn_tanh_table_s16, gate_g[j]);
        cell[j] = (int16_t)edgernn_sat16(edgernn_rshift_round(f * cell[j], 15) +
                                         edgernn_rshift_round(i * g, 30 - k));
    }
    add_peephole(params, 2, cell, gate_o, acc, tmp);
    for (j = 0; j < units; ++j) {
        const int32_t c = cell[j];
        const int32_t o = edgernn_lut_q15(edgernn_sigmoid_table_s16, gate_o[j]);
        const int32_t t = edgernn_lut_q15(edgernn_tanh_table_s16,
                                          (k >= 12) ? edgernn_rshift_round(c, k - 12)
                                                    : edgernn_sat16(c * (1 << (12 - k))));
        const int32_t v = edgernn_sat16(
            edgernn_requantize(o * t, params->output_multiplier, params->output_shift));
        if (params->proj_size > 0) {
            tmp[j] = (int16_t)v; /* m, scale 2^-15 */
        } else {
            state->h[j] = (int16_t)v;
        }
    }
    if (params->proj_size > 0) {
        edgernn_project_s16(&params->w_p, tmp, width, units, acc, gates);
        for (j = 0; j < width; ++j) {
            state->h[j] = gates[j];
        }
    }
}
