/*
 * edgernn_lstm_step_s8.c - one LSTM step, int8 (docs/quantization.md, "LSTM"):
 *   (i, f, g, o) = gates(x, h) in Q3.12; i, f, o = sigmoid, g = tanh, all Q0.15;
 *   c = sat16(rshift_round(f c, 15) + rshift_round(i g, 30 - k))   (c has scale 2^-k)
 *   t = tanh(c in Q3.12);  h = sat8(requantize(o t, output_multiplier, output_shift) + zp_h)
 * Scratch: EDGERNN_LSTM_STEP_S8_BUFFER_SIZE(input_size, units) words:
 *   acc (EDGERNN_S8_ACC_WORDS(4 units) words) | x as int16 | h as int16 | gates (4 units
 *   int16, Q0.15 after the gate kernel).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_lstm_step_s8(const edgernn_lstm_params_q *params, edgernn_lstm_state_s8 *state,
                          const int8_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const int32_t k = params->cell_frac_bits;
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + EDGERNN_S8_ACC_WORDS(4 * units));
    int16_t *const h =
        (int16_t *)(void *)(scratch + EDGERNN_S8_ACC_WORDS(4 * units) + EDGERNN_I16_WORDS(n_in));
    int16_t *const gates = (int16_t *)(void *)(scratch + EDGERNN_S8_ACC_WORDS(4 * units) +
                                               EDGERNN_I16_WORDS(n_in) + EDGERNN_I16_WORDS(units));
    int16_t *const gate_i = gates;
    int16_t *const gate_f = gates + units;
    int16_t *const gate_g = gates + 2 * units;
    int16_t *const gate_o = gates + 3 * units;
    static const int16_t *const tables[4] = {edgernn_sigmoid_table_s16, edgernn_sigmoid_table_s16,
                                             edgernn_tanh_table_s16, edgernn_sigmoid_table_s16};
    const int32_t multiplier = params->output_multiplier;
    const int32_t shift = params->output_shift;
    const int32_t zp = params->h_zero_point;
    int16_t *const cell = state->c;
    int8_t *const h_out = state->h;
    int32_t j;

    edgernn_widen_s8(input, x, n_in);
    edgernn_widen_s8(state->h, h, units);
    /* i, f, o = sigmoid and g = tanh are applied inside the gate loop: all Q0.15 */
    edgernn_gates_s8(&params->x, x, n_in, &params->h, h, units, 4 * units, tables, units, acc,
                     gates);
    /* one loop: cell update, tanh of the cell (Q3.12) and the int8 output */
    if (k >= 12) {
        for (j = 0; j < units; ++j) {
            const int32_t c = edgernn_sat16(              /* |products| <= 2^30: 32 bits */
                edgernn_rshift_round32(gate_f[j] * cell[j], 15) +
                edgernn_rshift_round32(gate_i[j] * gate_g[j], 30 - k));
            const int32_t t = edgernn_lut_q15(edgernn_tanh_table_s16,
                                              edgernn_rshift_round(c, k - 12));
            cell[j] = (int16_t)c;
            h_out[j] = (int8_t)edgernn_sat8(
                edgernn_requantize(gate_o[j] * t, multiplier, shift) + zp);
        }
    } else {
        for (j = 0; j < units; ++j) {
            const int32_t c = edgernn_sat16(              /* |products| <= 2^30: 32 bits */
                edgernn_rshift_round32(gate_f[j] * cell[j], 15) +
                edgernn_rshift_round32(gate_i[j] * gate_g[j], 30 - k));
            const int32_t t = edgernn_lut_q15(edgernn_tanh_table_s16,
                                              edgernn_sat16(c * (1 << (12 - k))));
            cell[j] = (int16_t)c;
            h_out[j] = (int8_t)edgernn_sat8(
                edgernn_requantize(gate_o[j] * t, multiplier, shift) + zp);
        }
    }
}
