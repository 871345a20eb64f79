/*
 * edgernn_lstm_step_s16.c - one LSTM step, int16x8 (as edgernn_lstm_step_s8.c, zero point 0,
 * 64-bit sums). Scratch: EDGERNN_LSTM_STEP_S16_BUFFER_SIZE(input_size, units) words:
 *   acc (4 units words) | gates (4 units int16) | tanh input (units int16).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_lstm_step_s16(const edgernn_lstm_params_q *params, edgernn_lstm_state_s16 *state,
                           const int16_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t k = params->cell_frac_bits;
    int32_t *const acc = scratch;
    int16_t *const gates = (int16_t *)(void *)(scratch + 4 * units);
    int16_t *const t = (int16_t *)(void *)(scratch + 4 * units + EDGERNN_I16_WORDS(4 * units));
    int16_t *const gate_i = gates;
    int16_t *const gate_f = gates + units;
    int16_t *const gate_g = gates + 2 * units;
    int16_t *const gate_o = gates + 3 * units;
    int32_t j;

    edgernn_gates_s16(&params->x, input, params->input_size, &params->h, state->h, units,
                      4 * units, acc, gates);
    edgernn_sigmoid_s16(gate_i, gate_i, 2 * units); /* i and f are adjacent */
    edgernn_tanh_s16(gate_g, gate_g, units);
    edgernn_sigmoid_s16(gate_o, gate_o, units);
    for (j = 0; j < units; ++j) {
        const int32_t c = edgernn_sat16(
            edgernn_rshift_round(gate_f[j] * state->c[j], 15) +
            edgernn_rshift_round(gate_i[j] * gate_g[j], 30 - k));
        state->c[j] = (int16_t)c;
        t[j] = (int16_t)(k >= 12 ? edgernn_rshift_round(c, k - 12)
                                 : edgernn_sat16(c * (1 << (12 - k))));
    }
    edgernn_tanh_s16(t, t, units);
    for (j = 0; j < units; ++j) {
        state->h[j] = (int16_t)edgernn_sat16(
            edgernn_requantize(gate_o[j] * t[j], params->output_multiplier,
                               params->output_shift));
    }
}
