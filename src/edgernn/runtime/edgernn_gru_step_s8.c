/*
 * edgernn_gru_step_s8.c - one GRU step, int8, either reset mode (docs/quantization.md, "GRU"):
 *   xs = project(W_x x + b'_x) in Q3.12 (3 units)
 *   reset_after: hs = project(W_h h + b'_h) (3 units); z, r = sigmoid(sat16(xs + hs));
 *                n = tanh(sat16(xs_n + rshift_round(r hs_n, 15)))
 *   reset before: z, r from h (the z, r rows of W_h); rh = zp + rshift_round(r (h - zp), 15);
 *                n = tanh(sat16(xs_n + project(W_hn rh + b'_hn)) with hn)
 *   h15 = sat16(requantize(h - zp, state_multiplier, state_shift))           (Q0.15)
 *   h = sat8(requantize(rshift_round(z h15 + (32768 - z) n, 15), output_multiplier,
 *                       output_shift) + zp)
 * reset_after (Keras' and PyTorch's default): the input part is projected first (gate rows
 * unit by unit: z_0, r_0, n_0, z_1, ...; edgernn/codegen/integer.py), then
 * edgernn_gru_cell_s8 does the rest.
 * Scratch: EDGERNN_GRU_STEP_S8_BUFFER_SIZE(input_size, units) words; reset_after:
 *   the cell's sums (3 units int32) | x as int16 | xq (3 units int16, the input part);
 * reset before: acc (EDGERNN_S8_ACC_WORDS(3 units) words) | x as int16 | r h as int16 |
 *   xs (3 units int16; z, r in Q0.15) | hs (3 units int16; for an even units count only hs_n).
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

/* reset_after: the input part projected into Q3.12, then edgernn_gru_cell_s8. */
static void gru_step_reset_after(const edgernn_gru_params_q *params, edgernn_gru_state_s8 *state,
                                 const int8_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const int32_t cell_words = 3 * units; /* the cell's sums */
    int16_t *const x = (int16_t *)(void *)(scratch + cell_words);
    int16_t *const xq = (int16_t *)(void *)(scratch + cell_words + EDGERNN_I16_WORDS(n_in));

    edgernn_widen_s8(input, x, n_in);
    edgernn_project_s8(&params->x, x, 3 * units, n_in, scratch, xq);
    edgernn_gru_cell_s8(params, state, xq, scratch);
}

void edgernn_gru_step_s8(const edgernn_gru_params_q *params, edgernn_gru_state_s8 *state,
                         const int8_t *input, int32_t *scratch)
{
    const int32_t units = params->units;
    const int32_t n_in = params->input_size;
    const int32_t zp = params->h_zero_point;
    const int32_t acc_words = EDGERNN_S8_ACC_WORDS(3 * units);
    int32_t *const acc = scratch;
    int16_t *const x = (int16_t *)(void *)(scratch + acc_words);
    int16_t *const hw = (int16_t *)(void *)(scratch + acc_words + EDGERNN_I16_WORDS(n_in));
    int16_t *const xs = (int16_t *)(void *)(scratch + acc_words + EDGERNN_I16_WORDS(n_in) +
                                            EDGERNN_I16_WORDS(units));
    int16_t *const hs = xs + 2 * EDGERNN_I16_WORDS(3 * units); /* hs_n only if units is even */
    int16_t *const z = xs;
    int16_t *const r = xs + units;
    int16_t *const n = xs + 2 * units;
    int16_t *hs_n;
    const int32_t state_multiplier = params->state_multiplier;
    const int32_t state_shift = params->state_shift;
    const int32_t output_multiplier = params->output_multiplier;
    const int32_t output_shift = params->output_shift;
    const int64_t state_round = (int64_t)1 << (30 + state_shift);
    int8_t *const h = state->h;
    int16_t *const h16 = state->h16;
    int32_t j;

    if (params->reset_after) {
        gru_step_reset_after(params, state, input, scratch);
        return;
    }
    /* reset before: z, r first, then r h feeds the n rows of W_h */
    edgernn_widen_s8(input, x, n_in);
    if (units % 2 == 0) {
        /* z, r = sigmoid(xs + hs) straight from the gate kernel (rows 2 units: whole blocks),
         * then the n rows of the input projection */
        static const int16_t *const tables[2] = {edgernn_sigmoid_table_s16,
                                                 edgernn_sigmoid_table_s16};
        const edgernn_projection_params xn = edgernn_projection_rows_s8(&params->x, 2 * units,
                                                                        n_in);
        edgernn_gates_s8(&params->x, x, n_in, &params->h, h16, units, 2 * units, tables, units,
                         acc, xs);
        edgernn_project_s8(&xn, x, units, n_in, acc, n);
        hs_n = hs;
    } else {
        edgernn_project_s8(&params->x, x, 3 * units, n_in, acc, xs);
        edgernn_project_s8(&params->h, h16, 2 * units, units, acc, hs);
        for (j = 0; j < 2 * units; ++j) { /* z and r are adjacent */
            xs[j] = edgernn_lut_q15(edgernn_sigmoid_table_s16, edgernn_sat16(xs[j] + hs[j]));
        }
        hs_n = hs + 2 * units;
    }
    for (j = 0; j < units; ++j) {
        hw[j] = (int16_t)(zp + edgernn_rshift_round32(r[j] * (h16[j] - zp), 15));
    }
    edgernn_project_s8(&params->hn, hw, units, units, acc, hs_n);
    /* one loop: n, its tanh, and the blend into the int8 state */
    for (j = 0; j < units; ++j) {
        const int32_t nt = edgernn_lut_q15(edgernn_tanh_table_s16, edgernn_sat16(n[j] + hs_n[j]));
        const int32_t h15 = edgernn_state_q15(h16[j] - zp, state_multiplier, state_shift,
                                              state_round);
        const int32_t blended = edgernn_rshift_round32(z[j] * h15 + (32768 - z[j]) * nt, 15);
        const int32_t h_new = edgernn_sat8(
            edgernn_requantize(blended, output_multiplier, output_shift) + zp);
        h[j] = (int8_t)h_new;
        h16[j] = (int16_t)h_new;
    }
}
