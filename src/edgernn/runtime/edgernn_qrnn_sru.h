/*
 * edgernn_qrnn_sru.h - types, buffer sizes and kernels of the QRNN and SRU layers, float32
 * (survey Section III-B6; edgernn.ir.kinds_qrnn_sru gives the weight layout).
 *
 * Neither layer multiplies a matrix by h(t-1): every matrix product sees only inputs. So a
 * window of n time steps can share one matrix-matrix product (edgernn_matmul_f32, each weight
 * loaded once per group of steps): edgernn_<kind>_window_f32 fills state->proj with the input
 * side of the next n steps, and edgernn_<kind>_step_f32 then runs one step's elementwise
 * recurrence from row `slot` of it. A step given no precomputed row (proj NULL: the streaming
 * NAME_step API, window 1) computes its own with the same kernel, so results are identical.
 * Weights are row-major (outputs, inputs), not in the row-block layout.
 */
#ifndef EDGERNN_QRNN_SRU_H
#define EDGERNN_QRNN_SRU_H

#include "edgernn_functions.h"

#ifdef __cplusplus
extern "C" {
#endif

/** QRNN with fo-pooling: w_x (3 units, taps * input_size), gates z, f, o; taps oldest first. */
typedef struct {
    int32_t input_size;
    int32_t units;
    int32_t taps;      /* filter width k */
    int32_t window;    /* rows of state->proj (1: none) */
    const float *w_x;
} edgernn_qrnn_params_f32;

/** h, c (units); x: the last taps-1 inputs, oldest first (NULL for k = 1); proj (window x 3 units). */
typedef struct {
    float *h;
    float *c;
    float *x;
    float *proj;
} edgernn_qrnn_state_f32;

/**
 * SRU (survey form): w_x (EDGERNN_SRU_ROWS, input_size) blocks x~, f, r and, when input_size !=
 * units, the projected highway W_hw (no bias); v = v_f, v_r; b = b_f, b_r.
 */
typedef struct {
    int32_t input_size; /* == units: the highway adds x; else W_hw x */
    int32_t units;
    int32_t window;
    const float *w_x;
    const float *v;
    const float *b;
} edgernn_sru_params_f32;

/** h, c (units); proj (window x EDGERNN_SRU_ROWS, NULL for window 1). */
typedef struct {
    float *h;
    float *c;
    float *proj;
} edgernn_sru_state_f32;

/** Rows of an SRU's input side: x~, f, r and, when the sizes differ, the highway W_hw x. */
#define EDGERNN_SRU_ROWS(input_size, units) (((input_size) == (units) ? 3 : 4) * (units))

/** Scratch floats of edgernn_qrnn_step_f32 and edgernn_qrnn_window_f32: the taps of the window. */
#define EDGERNN_QRNN_F32_BUFFER_SIZE(input_size, units, taps, window) \
    (((taps) - 1 + (window)) * (input_size) + 3 * (units))
/** Scratch floats of edgernn_sru_step_f32: one step's input side. */
#define EDGERNN_SRU_F32_BUFFER_SIZE(input_size, units) EDGERNN_SRU_ROWS(input_size, units)

/**
 * out[s][r] = sum_c mat[r][c] * vecs[s * stride + c] for s < count: row-major mat (rows, cols),
 * each row's weights read once per group of up to 4 vectors, sums in column order from zero.
 */
void edgernn_matmul_f32(const float *mat, int32_t rows, int32_t cols, const float *vecs,
                        int32_t stride, int32_t count, float *out);

/** Input side of the next count (<= window) steps into state->proj; inputs step-major. */
void edgernn_qrnn_window_f32(const edgernn_qrnn_params_f32 *params,
                             const edgernn_qrnn_state_f32 *state, const float *inputs,
                             int32_t count, float *scratch);

/** One step: proj is this step's row of state->proj, or NULL to compute it (window 1). */
void edgernn_qrnn_step_f32(const edgernn_qrnn_params_f32 *params, edgernn_qrnn_state_f32 *state,
                           const float *input, float *proj, float *scratch);

/** Input side of the next count (<= window) steps into state->proj; inputs step-major. */
void edgernn_sru_window_f32(const edgernn_sru_params_f32 *params,
                            const edgernn_sru_state_f32 *state, const float *inputs,
                            int32_t count);

/** One step: proj is this step's row of state->proj, or NULL to compute it (window 1). */
void edgernn_sru_step_f32(const edgernn_sru_params_f32 *params, edgernn_sru_state_f32 *state,
                          const float *input, float *proj, float *scratch);

#ifdef __cplusplus
}
#endif

#endif /* EDGERNN_QRNN_SRU_H */
