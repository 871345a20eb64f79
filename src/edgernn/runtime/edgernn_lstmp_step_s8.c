/*
 * edgernn_lstmp_step_s8.c - one step of an LSTM with peepholes and/or a projection, int8
 * (docs/quantization.md, "LSTM with peepholes and projection"):
 *   (i, f, g, o) = gates(x, h) in Q3.12 (edgernn_gates_s8 without tables);
 *   i += peep_i(c(t-1)), f += peep_f(c(t-1)) in Q3.12, then i, f = sigmoid, g = tanh (Q0.15);
 *   c = sat16(rshift_round(f c, 15) + rshift_round(i g, 30 - k))   (c has scale 2^-k)
 *   o += peep_o(c(t)), o = sigmoid;  v = o tanh(c in Q3.12)  (Q0.30)
 *   no projection: h = sat8(requantize(v, output_multiplier, output_shift) + zp_h)
 *   projection:    m = sat8(requantize(v, output_multiplier, output_shift)) (zero point 0),
 *                  h = sat8(sat16(requantize(W_p m)) + zp_h)   (edgernn_project_s8)
 * peep(c) is sat16(requantize(p c, M, s)) for diagonal peepholes and the requantized product
 * of a full peephole matrix with the int16 cell (edgernn_project_s16: its sums need 64 bits).
 * Scratch: EDGERNN_LSTMP_STEP_S8_BUFFER_SIZE(input_size, units, width) words:
 *   acc | x as int16 | h as int16 (width) | gates (4 units int16) | tmp (units + 1 int16).
 */
#include "edgernn_functions_int.h"

#include <stddef.h>

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

void edgernn_lstmp_step_s8(const edgernn_lstmp_params_q *params, edgernn_lstm_state_s8 *state,
                           const int8_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const int32_t width = (params->proj_size > 0) ? params->proj_size : units;
    const int32_t k = params->cell_frac_bits;
    const int32_t acc_words = EDGERNN_LSTMP_S8_ACC_WORDS(units);
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + acc_words);
    int16_t *const h =
        (int16_t *)(void *)(scratch + acc_words + EDGERNN_I16_WORDS(n_in));
    int16_t *const gates = (int16_t *)(void *)(scratch + acc_words + EDGERNN_I16_WORDS(n_in) +
                                               EDGERNN_I16_WORDS(width));
    int16_t *const tmp = (int16_t *)(void *)(scratch + acc_words + EDGERNN_I16_WORDS(n_in) +
                                             EDGERNN_I16_WORDS(width) +
                                             EDGERNN_I16_WORDS(4 * units));
    int16_t *const gate_i = gates;
    int16_t *const gate_f = gates + units;
    int16_t *const gate_g = gates + 2 * units;
    int16_t *const gate_o = gates + 3 * units;
    const int32_t multiplier = params->output_multiplier;
    const int32_t shift = params->output_shift;
    const int32_t zp = params->h_zero_point;
    int16_t *const cell = state->c;
    int32_t j;

    edgernn_widen_s8(input, x, n_in);
    edgernn_widen_s8(state->h, h, width);
    edgernn_gates_s8(&params->x, x, n_in, &params->h, h, width, 4 * units, NULL, units, acc,
                     gates);
    add_peephole(params, 0, cell, gate_i, acc, tmp);
    add_peephole(params, 1, cell, gate_f, acc, tmp);
    for (j = 0; j < units; ++j) {
        const int32_t i = edgernn_lut_q15(edgernn_sigmoid_table_s16, gate_i[j]);
        const int32_t f = edgernn_lut_q15(edgernn_sigmoid_table_s16, gate_f[j]);
        const int32_t g = edgernn_lut_q15(edgernn_tanh_table_s16, gate_g[j]);
        cell[j] = (int16_t)edgernn_sat16(              /* |products| <= 2^30: 32 bits */
            edgernn_rshift_round32(f * cell[j], 15) + edgernn_rshift_round32(i * g, 30 - k));
    }
    add_peephole(params, 2, cell, gate_o, acc, tmp);
    for (j = 0; j < units; ++j) {
        const int32_t c = cell[j];
        const int32_t o = edgernn_lut_q15(edgernn_sigmoid_table_s16, gate_o[j]);
        const int32_t t = edgernn_lut_q15(edgernn_tanh_table_s16,
                                          (k >= 12) ? edgernn_rshift_round(c, k - 12)
                                                    : edgernn_sat16(c * (1 << (12 - k))));
        const int32_t v = edgernn_requantize(o * t, multiplier, shift);
        if (params->proj_size > 0) {
            tmp[j] = (int16_t)edgernn_sat8(v); /* m, int8 values widened */
        } else {
            state->h[j] = (int8_t)edgernn_sat8(v + zp);
        }
    }
    if (params->proj_size > 0) {
        tmp[units] = 0; /* the matrix-vector kernel reads whole column pairs */
        edgernn_project_s8(&params->w_p, tmp, width, units, acc, gates);
        for (j = 0; j < width; ++j) {
            state->h[j] = (int8_t)edgernn_sat8(gates[j] + zp);
        }
    }
}
