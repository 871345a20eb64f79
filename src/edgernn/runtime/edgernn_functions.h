/*
 * edgernn_functions.h - prototypes of the edgernn runtime kernels.
 *
 * Naming follows edgernn_<op>_<dtype>(); each function lives in the .c file of the same name.
 * Layering: the generated model's time loop calls one step kernel per layer
 * (edgernn_*_step_f32, edgernn_dense_f32, edgernn_embedding_f32), step kernels call
 * edgernn_gates_f32 and the activation kernels, and those call the matrix-vector kernels.
 * Vector activations work in place. No kernel allocates memory.
 */
#ifndef EDGERNN_FUNCTIONS_H
#define EDGERNN_FUNCTIONS_H

#include "edgernn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- matrix-vector ---------------------------------------------------------------------- */

/** out[r] = sum_c mat[r][c] * vec[c] (+ bias[r] when bias is not NULL); mat is (rows, cols). */
void edgernn_matvec_f32(const float *mat, const float *vec, const float *bias, int32_t rows,
                        int32_t cols, float *out);

/** out[r] = out[r] + sum_c mat[r][c] * vec[c]; mat is (rows, cols). */
void edgernn_matvec_acc_f32(const float *mat, const float *vec, int32_t rows, int32_t cols,
                            float *out);

/** out = (W_x x + W_h h) + b: the stacked gate pre-activations of a recurrent cell. */
void edgernn_gates_f32(const float *w_x, const float *input, int32_t input_size,
                       const float *w_h, const float *hidden, int32_t hidden_size,
                       const float *bias, int32_t rows, float *out);

/* ---- activations (in place) ------------------------------------------------------------- */

/** Identity (nothing to do; present so every activation has a kernel). */
void edgernn_linear_f32(float *data, int32_t size);

/** data = max(data, 0). */
void edgernn_relu_f32(float *data, int32_t size);

/** data = 1 / (1 + exp(-data)). */
void edgernn_sigmoid_f32(float *data, int32_t size);

/** data = tanh(data). */
void edgernn_tanh_f32(float *data, int32_t size);

/** data = exp(data - max) / sum(exp(data - max)) over the whole vector. */
void edgernn_softmax_f32(float *data, int32_t size);

/** Apply activation act in place (dispatch table over the kernels above). */
void edgernn_activation_f32(edgernn_activation act, float *data, int32_t size);

/* ---- layers and cells ------------------------------------------------------------------- */

/** output = table[token] (dim values); EDGERNN_ARG_ERROR and zeros for a token out of range. */
edgernn_status edgernn_embedding_f32(const edgernn_embedding_params_f32 *params, int32_t token,
                                     float *output);

/** output = act(W input + b) (units values). */
void edgernn_dense_f32(const edgernn_dense_params_f32 *params, const float *input, float *output);

/** One Elman RNN step; the new h (the step output) is left in state->h. */
void edgernn_rnn_step_f32(const edgernn_rnn_params_f32 *params, edgernn_rnn_state_f32 *state,
                          const float *input, float *scratch);

/** One LSTM step; the new h (the step output) and c are left in the state. */
void edgernn_lstm_step_f32(const edgernn_lstm_params_f32 *params, edgernn_lstm_state_f32 *state,
                           const float *input, float *scratch);

/** One GRU step (either reset mode, see edgernn_gru_params_f32); new h left in state->h. */
void edgernn_gru_step_f32(const edgernn_gru_params_f32 *params, edgernn_gru_state_f32 *state,
                          const float *input, float *scratch);

#ifdef __cplusplus
}
#endif

#endif /* EDGERNN_FUNCTIONS_H */
