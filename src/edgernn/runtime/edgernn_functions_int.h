/*
 * edgernn_functions_int.h - prototypes of the integer runtime kernels.
 *
 * Layering as for float: the model's time loop calls one step kernel per layer
 * (edgernn_{rnn,lstm,gru}_step_{s8,s16,w8f32}, edgernn_dense_*, edgernn_embedding_*), step
 * kernels call the gate kernels (edgernn_gates_*, edgernn_project_*) and the activations, and
 * those call the matrix-vector kernels (edgernn_matvec_s8/_s16, the only inner loops, each
 * with a portable and an Arm DSP path that give identical results).
 */
#ifndef EDGERNN_FUNCTIONS_INT_H
#define EDGERNN_FUNCTIONS_INT_H

#include "edgernn_types_int.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- matrix-vector ---------------------------------------------------------------------- */

/** out[r] = bias[r] + sum_c W[r][c] vec[c] (int32 sums); W in the DSP layout, vec int16. */
void edgernn_matvec_s8(const int8_t *mat, const int16_t *vec, const int32_t *bias, int32_t rows,
                       int32_t cols, int32_t *out);

/**
 * out0[r] = bias[r] + sum_c W[r][c] x0[c], out1[r] likewise for x1 (int32 sums); W as
 * edgernn_matvec_s8's, vec2 the two vectors interleaved by edgernn_widen2_s8.
 */
void edgernn_matmul2_s8(const int8_t *mat, const int16_t *vec2, const int32_t *bias,
                        int32_t rows, int32_t cols, int32_t *out0, int32_t *out1);

/** As edgernn_matvec_s8 with 64-bit sums, rounded right by acc_shift into int32. */
void edgernn_matvec_s16(const int8_t *mat, const int16_t *vec, const int32_t *bias,
                        int32_t rows, int32_t cols, int32_t acc_shift, int32_t *out);

/** out[r] = scale[r] * sum_c (float)w[r][c] vec[c] + bias[r] (bias may be NULL). */
void edgernn_matvec_w8f32(const edgernn_matrix_w8 *mat, const float *vec, const float *bias,
                          int32_t rows, int32_t cols, float *out);

/** out[r] += scale[r] * sum_c (float)w[r][c] vec[c]. */
void edgernn_matvec_acc_w8f32(const edgernn_matrix_w8 *mat, const float *vec, int32_t rows,
                              int32_t cols, float *out);

/* ---- gates -------------------------------------------------------------------------------- */

/** out[r] = sat16(requantize(W vec + bias)) for rows [0, rows) of proj;
 * acc: EDGERNN_S8_ACC_WORDS(rows) words. */
void edgernn_project_s8(const edgernn_projection_params *proj, const int16_t *vec, int32_t rows,
                        int32_t cols, int32_t *acc, int16_t *out);

/** edgernn_project_s8 of two interleaved vectors (edgernn_widen2_s8) into out0 and out1;
 * acc: 2 * EDGERNN_S8_ACC_WORDS(rows) words. */
void edgernn_project2_s8(const edgernn_projection_params *proj, const int16_t *vec2,
                         int32_t rows, int32_t cols, int32_t *acc, int16_t *out0,
                         int16_t *out1);

/** edgernn_project_s8 with the 64-bit accumulation of edgernn_matvec_s16. */
void edgernn_project_s16(const edgernn_projection_params *proj, const int16_t *vec,
                         int32_t rows, int32_t cols, int32_t *acc, int16_t *out);

/**
 * out = act(sat16(project(x) + project(h))): stacked Q3.12 gate pre-activations, each gate of
 * gate_rows rows mapped to Q0.15 by its table (edgernn_sigmoid_table_s16 or
 * edgernn_tanh_table_s16) or left in Q3.12 (NULL; tables NULL: every gate);
 * acc: EDGERNN_S8_ACC_WORDS(rows) words.
 */
void edgernn_gates_s8(const edgernn_projection_params *x_proj, const int16_t *x,
                      int32_t input_size, const edgernn_projection_params *h_proj,
                      const int16_t *h, int32_t hidden_size, int32_t rows,
                      const int16_t *const *tables, int32_t gate_rows, int32_t *acc,
                      int16_t *out);

/** edgernn_gates_s8 with the 64-bit accumulation of edgernn_matvec_s16. */
void edgernn_gates_s16(const edgernn_projection_params *x_proj, const int16_t *x,
                       int32_t input_size, const edgernn_projection_params *h_proj,
                       const int16_t *h, int32_t hidden_size, int32_t rows, int32_t *acc,
                       int16_t *out);

/** out = (W_x x + W_h h) * scales + b, float32, int8 matrices. */
void edgernn_gates_w8f32(const edgernn_matrix_w8 *w_x, const float *input, int32_t input_size,
                         const edgernn_matrix_w8 *w_h, const float *hidden, int32_t hidden_size,
                         const float *bias, int32_t rows, float *out);

/* ---- activations and helpers ------------------------------------------------------------ */

/** out = sigmoid(in), Q3.12 -> Q0.15 by table (in and out may alias). */
void edgernn_sigmoid_s16(const int16_t *in, int16_t *out, int32_t size);

/** out = tanh(in), Q3.12 -> Q0.15 by table (in and out may alias). */
void edgernn_tanh_s16(const int16_t *in, int16_t *out, int32_t size);

/** The 257-entry Q0.15 tables of edgernn_sigmoid_s16 / edgernn_tanh_s16 (edgernn_lut_q15), for
 * kernels that apply the activation inside their own element loop. */
extern const int16_t edgernn_sigmoid_table_s16[257];
extern const int16_t edgernn_tanh_table_s16[257];
/** The 257-entry Q0.15 exp table of edgernn_exp_s32 (edgernn_exp_q15). */
extern const uint16_t edgernn_exp_table_s32[257];

/** exp(d) in Q0.15 of a non-positive Q.11 difference d (0 below -16). */
int32_t edgernn_exp_s32(int32_t d);

/** int8 softmax of int32 Q.11 logits (overwritten with the exps): scale 1/256, zp -128. */
void edgernn_softmax_s8(int32_t *logits, int32_t size, int8_t *out);
/** edgernn_softmax_s8 given max_value, the largest of the logits (overwritten with the exps). */
void edgernn_softmax_max_s8(int32_t *logits, int32_t size, int32_t max_value, int8_t *out);

/** int16 softmax of int32 Q.11 logits (overwritten with the exps): scale 2^-15, zp 0. */
void edgernn_softmax_s16(int32_t *logits, int32_t size, int16_t *out);

/** out[i] = in[i], int8 sign-extended to int16. */
void edgernn_widen_s8(const int8_t *in, int16_t *out, int32_t size);

/** out[4k .. 4k+3] = (a[2k], a[2k+1], b[2k], b[2k+1]) as int16 (odd size: zero padded). */
void edgernn_widen2_s8(const int8_t *a, const int8_t *b, int32_t size, int16_t *out);

/** A cell of the int8 time loop: one step of a recurrent layer given its input part xq. */
typedef void (*edgernn_cell_s8_fn)(const void *params, void *state, const int16_t *xq,
                                   int32_t *scratch);

/** What edgernn_cell_steps_s8 needs to know of a layer besides its cell. */
typedef struct {
    const edgernn_projection_params *x; /**< the input projection (gate rows) */
    int32_t input_size;
    int32_t rows;                       /**< gate rows: units, 3 units, 4 units */
    int32_t units;
    const int8_t *h;                    /**< the layer's int8 output, written by the cell */
} edgernn_cell_steps_s8_shape;

/** `count` steps of a recurrent layer, the input parts two at a time; scratch:
 * EDGERNN_CELL_STEPS_S8_BUFFER_SIZE(input_size, rows) words. */
void edgernn_cell_steps_s8(edgernn_cell_s8_fn cell, const void *params, void *state,
                           const edgernn_cell_steps_s8_shape *shape, const int8_t *inputs,
                           int32_t count, int8_t *outputs, int32_t *scratch);

/* ---- layers and cells ------------------------------------------------------------------- */

edgernn_status edgernn_embedding_s8(const edgernn_embedding_params_q *params, int32_t token,
                                    int8_t *output);
edgernn_status edgernn_embedding_s16(const edgernn_embedding_params_q *params, int32_t token,
                                     int16_t *output);
edgernn_status edgernn_embedding_w8f32(const edgernn_embedding_params_w8f32 *params,
                                       int32_t token, float *output);

/** scratch: EDGERNN_DENSE_S8_BUFFER_SIZE words. */
void edgernn_dense_s8(const edgernn_dense_params_q *params, const int8_t *input, int8_t *output,
                      int32_t *scratch);
/** scratch: EDGERNN_DENSE_S16_BUFFER_SIZE words. */
/** The int8 output of a dense layer from its int32 sums W x + b' (acc is overwritten). */
void edgernn_dense_output_s8(const edgernn_dense_params_q *params, int32_t *acc,
                             int8_t *output);
/** edgernn_dense_output_s8 of a linear head only (params->activation is linear). */
void edgernn_dense_output_linear_s8(const edgernn_dense_params_q *params, int32_t *acc,
                                    int8_t *output);
/** `count` steps (inputs and outputs step-major); scratch:
 * EDGERNN_DENSE_STEPS_S8_BUFFER_SIZE words. */
void edgernn_dense_steps_s8(const edgernn_dense_params_q *params, const int8_t *inputs,
                            int32_t count, int8_t *outputs, int32_t *scratch);
void edgernn_dense_s16(const edgernn_dense_params_q *params, const int16_t *input,
                       int16_t *output, int32_t *scratch);
void edgernn_dense_w8f32(const edgernn_dense_params_w8f32 *params, const float *input,
                         float *output);

void edgernn_rnn_step_s8(const edgernn_rnn_params_q *params, edgernn_rnn_state_s8 *state,
                         const int8_t *input, int32_t *scratch);
/** The recurrent half of a step given the input part xq (Q3.12, as the step kernel
 * projects it); scratch: the gate rows' int32 sums (one word per row). */
void edgernn_rnn_cell_s8(const edgernn_rnn_params_q *params, edgernn_rnn_state_s8 *state,
                         const int16_t *xq, int32_t *scratch);
/** `count` steps (inputs and outputs step-major), the input parts two steps at a time;
 * scratch: EDGERNN_RNN_STEPS_S8_BUFFER_SIZE words. */
void edgernn_rnn_steps_s8(const edgernn_rnn_params_q *params,
                          edgernn_rnn_state_s8 *state, const int8_t *inputs, int32_t count,
                          int8_t *outputs, int32_t *scratch);
void edgernn_rnn_step_s16(const edgernn_rnn_params_q *params, edgernn_rnn_state_s16 *state,
                          const int16_t *input, int32_t *scratch);
void edgernn_rnn_step_w8f32(const edgernn_rnn_params_w8f32 *params, edgernn_rnn_state_f32 *state,
                            const float *input, float *scratch);

void edgernn_lstm_step_s8(const edgernn_lstm_params_q *params, edgernn_lstm_state_s8 *state,
                          const int8_t *input, int32_t *scratch);
/** The recurrent half of a step given the input part xq (Q3.12, as the step kernel
 * projects it); scratch: the gate rows' int32 sums (one word per row). */
void edgernn_lstm_cell_s8(const edgernn_lstm_params_q *params, edgernn_lstm_state_s8 *state,
                         const int16_t *xq, int32_t *scratch);
/** `count` steps (inputs and outputs step-major), the input parts two steps at a time;
 * scratch: EDGERNN_LSTM_STEPS_S8_BUFFER_SIZE words. */
void edgernn_lstm_steps_s8(const edgernn_lstm_params_q *params,
                          edgernn_lstm_state_s8 *state, const int8_t *inputs, int32_t count,
                          int8_t *outputs, int32_t *scratch);
void edgernn_lstm_step_s16(const edgernn_lstm_params_q *params, edgernn_lstm_state_s16 *state,
                           const int16_t *input, int32_t *scratch);
void edgernn_lstm_step_w8f32(const edgernn_lstm_params_w8f32 *params,
                             edgernn_lstm_state_f32 *state, const float *input, float *scratch);

/** LSTM with peepholes and/or a projection; state h has proj_size (or units) values. */
void edgernn_lstmp_step_s8(const edgernn_lstmp_params_q *params, edgernn_lstm_state_s8 *state,
                           const int8_t *input, int32_t *scratch);
void edgernn_lstmp_step_s16(const edgernn_lstmp_params_q *params, edgernn_lstm_state_s16 *state,
                            const int16_t *input, int32_t *scratch);

void edgernn_gru_step_s8(const edgernn_gru_params_q *params, edgernn_gru_state_s8 *state,
                         const int8_t *input, int32_t *scratch);
/** The recurrent half of a step given the input part xq (Q3.12, as the step kernel
 * projects it); scratch: the gate rows' int32 sums (one word per row). */
void edgernn_gru_cell_s8(const edgernn_gru_params_q *params, edgernn_gru_state_s8 *state,
                         const int16_t *xq, int32_t *scratch);
/** `count` steps (inputs and outputs step-major), the input parts two steps at a time;
 * scratch: EDGERNN_GRU_STEPS_S8_BUFFER_SIZE words. */
void edgernn_gru_steps_s8(const edgernn_gru_params_q *params,
                          edgernn_gru_state_s8 *state, const int8_t *inputs, int32_t count,
                          int8_t *outputs, int32_t *scratch);
void edgernn_gru_step_s16(const edgernn_gru_params_q *params, edgernn_gru_state_s16 *state,
                          const int16_t *input, int32_t *scratch);
void edgernn_gru_step_w8f32(const edgernn_gru_params_w8f32 *params, edgernn_gru_state_f32 *state,
                            const float *input, float *scratch);

#ifdef __cplusplus
}
#endif

#endif /* EDGERNN_FUNCTIONS_INT_H */
