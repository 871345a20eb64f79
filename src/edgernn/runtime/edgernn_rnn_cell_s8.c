/*
 * edgernn_rnn_cell_s8.c - the recurrent half of one int8 Elman RNN step (docs/quantization.md,
 * "RNN"), given the input part xq (Q3.12):
 *   y = tanh(sat16(xq + sat16(requantize(W_h h + b'_h)))) in Q0.15;
 *   h = sat8(requantize(y, output_multiplier, output_shift) + zp_h).
 * The recurrent sums of all units come first (from the int16 state h16, so the state is
 * updated in place), then one loop per unit writes h16 and the int8 output h.
 * Scratch: units words, the int32 sums of the gate rows.
 */
#include "edgernn_functions_int.h"

#include "edgernn_fixed_point.h"

/* The loop over units; fast: the gate and output shifts are both >= 2 (no per-value branch).
 * Always inlined with a constant `fast`, so each caller branch gets its own loop. */
static EDGERNN_ALWAYS_INLINE void rnn_units(const edgernn_rnn_params_q *params,
                                            edgernn_rnn_state_s8 *state, const int16_t *xq,
                                            const int32_t *acc, const int32_t fast)
{
    const int32_t units = params->units;
    const int32_t *const multipliers = params->h.multiplier;
    const int32_t gate_shift = params->h.shift[0]; /* one shift per matrix (edgernn/quant) */
    const int32_t multiplier = params->output_multiplier;
    const int32_t shift = params->output_shift;
    const int32_t zp = params->h_zero_point;
    int8_t *const h_out = state->h;
    int16_t *const h16 = state->h16;
    int32_t j;

    for (j = 0; j < units; ++j) {
        const int32_t y =
            fast ? edgernn_gate_q15_s2(acc[j], multipliers[j], gate_shift, xq[j],
                                       edgernn_tanh_table_s16)
                 : edgernn_gate_q15(acc[j], multipliers[j], gate_shift, xq[j],
                                    edgernn_tanh_table_s16);
        const int32_t v = fast ? edgernn_requantize_s2(y, multiplier, shift)
                               : edgernn_requantize(y, multiplier, shift);
        const int32_t h_new = edgernn_sat8(v + zp);
        h_out[j] = (int8_t)h_new;
        h16[j] = (int16_t)h_new;
    }
}

void edgernn_rnn_cell_s8(const edgernn_rnn_params_q *params, edgernn_rnn_state_s8 *state,
                         const int16_t *xq, int32_t *scratch)
{
    const int32_t units = params->units;
    edgernn_matvec_s8(params->h.w, state->h16, params->h.bias, units, units, scratch);
    if (params->h.shift[0] >= 2 && params->output_shift >= 2) {
        rnn_units(params, state, xq, scratch, 1);
    } else {
        rnn_units(params, state, xq, scratch, 0);
    }
}
