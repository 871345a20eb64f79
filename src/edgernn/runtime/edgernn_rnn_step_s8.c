/*
 * edgernn_rnn_step_s8.c - one Elman RNN step, int8 (docs/quantization.md, "RNN"):
 *   y = tanh(gates(x, h)) in Q0.15 (edgernn_gates_s8, the table applied in its loop);
 *   h = sat8(requantize(y, output_multiplier, output_shift) + zp_h).
 * Units go in chunks of EDGERNN_RNN_S8_CHUNK_ROWS(units) (two for up to 128 units): the gate
 * kernel reads the int16 copy of the old h, so each chunk's new h is written to the state at
 * once and y needs one chunk only.
 * Scratch: EDGERNN_RNN_STEP_S8_BUFFER_SIZE(input_size, units) words:
 *   acc (EDGERNN_RNN_S8_ACC_WORDS(units)) | x as int16 | h as int16 | y (one chunk, int16).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

void edgernn_rnn_step_s8(const edgernn_rnn_params_q *params, edgernn_rnn_state_s8 *state,
                         const int8_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const int32_t acc_words = EDGERNN_RNN_S8_ACC_WORDS(units);
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + acc_words);
    int16_t *const h = (int16_t *)(void *)(scratch + acc_words + EDGERNN_I16_WORDS(n_in));
    int16_t *const y = (int16_t *)(void *)(scratch + acc_words + EDGERNN_I16_WORDS(n_in) +
                                           EDGERNN_I16_WORDS(units));
    static const int16_t *const tables[1] = {edgernn_tanh_table_s16};
    const int32_t multiplier = params->output_multiplier;
    const int32_t shift = params->output_shift;
    const int32_t zp = params->h_zero_point;
    const int32_t chunk = EDGERNN_RNN_S8_CHUNK_ROWS(units);
    int32_t r0;

    edgernn_widen_s8(input, x, n_in);
    edgernn_widen_s8(state->h, h, units);
    for (r0 = 0; r0 < units; r0 += chunk) {
        const int32_t n = (units - r0 < chunk) ? units - r0 : chunk;
        const edgernn_projection_params px = edgernn_projection_rows_s8(&params->x, r0, n_in);
        const edgernn_projection_params ph = edgernn_projection_rows_s8(&params->h, r0, units);
        int8_t *const out = state->h + r0;
        int32_t j;
        edgernn_gates_s8(&px, x, n_in, &ph, h, units, n, tables, n, acc, y);
        for (j = 0; j < n; ++j) {
            out[j] = (int8_t)edgernn_sat8(edgernn_requantize(y[j], multiplier, shift) + zp);
        }
    }
}
