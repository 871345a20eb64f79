/*
 * edgernn_qrnn_sru_int.h - types, buffer sizes and kernels of the int8 QRNN and SRU layers
 * (docs/quantization.md, "QRNN and SRU"; the integer golden cells are
 * edgernn.reference.integer.cells_qrnn_sru).
 *
 * As in float32 (edgernn_qrnn_sru.h), edgernn_<kind>_window_s8 fills state->proj with the Q3.12
 * input side of the next count steps and edgernn_<kind>_step_s8 runs one step from its row, or
 * computes the row itself when given NULL. The window projects its steps two at a time
 * (edgernn_project2_s8: one pass over the weights for two steps, an odd last step alone), the
 * same integers as one edgernn_project_s8 per step.
 */
#ifndef EDGERNN_QRNN_SRU_INT_H
#define EDGERNN_QRNN_SRU_INT_H

#include "edgernn_functions_int.h"
#include "edgernn_qrnn_sru.h" /* EDGERNN_SRU_ROWS */

#ifdef __cplusplus
extern "C" {
#endif

/** int8 QRNN: x projects [history, input - zp] (3 units, taps * input_size) to Q3.12, no bias. */
typedef struct {
    int32_t input_size;
    int32_t units;
    int32_t taps;
    int32_t window;
    edgernn_projection_params x;
    int32_t input_zero_point;
    int32_t cell_frac_bits;   /* c has scale 2^-k */
    int32_t output_multiplier; /* o c (2^-(15+k)) to h */
    int32_t output_shift;
    int32_t h_zero_point;
} edgernn_qrnn_params_s8;

/** h (int8), c (int16), x: the last taps-1 inputs minus zp, oldest first (int16), proj (int16). */
typedef struct {
    int8_t *h;
    int16_t *c;
    int16_t *x;
    int16_t *proj;
} edgernn_qrnn_state_s8;

/**
 * int8 SRU: x projects the input (zp folded in the bias) to Q3.12, EDGERNN_SRU_ROWS rows (the
 * fourth block W_hw when input_size != units); v, b are Q3.12 values.
 */
typedef struct {
    int32_t input_size;
    int32_t units;
    int32_t window;
    edgernn_projection_params x;
    const int32_t *v;
    const int32_t *b;
    int32_t input_zero_point;
    int32_t cell_frac_bits;
    int32_t highway_multiplier; /* x - zp to the cell's scale 2^-k (unused: W_hw x) */
    int32_t highway_shift;
    int32_t output_multiplier;  /* 2^-k to h */
    int32_t output_shift;
    int32_t h_zero_point;
} edgernn_sru_params_s8;

/** h (int8), c (int16), proj (int16, window x EDGERNN_SRU_ROWS; NULL for window 1). */
typedef struct {
    int8_t *h;
    int16_t *c;
    int16_t *proj;
} edgernn_sru_state_s8;

/* Scratch words of the steps (acc | window inputs | taps | gates) and, with a window, of the
 * window kernel (project2's acc | history + window inputs | the taps pair), which runs first. */
#define EDGERNN_QRNN_S8_STEP_WORDS(input_size, units, taps)                             \
    (EDGERNN_S8_ACC_WORDS(3 * (units)) + EDGERNN_I16_WORDS((taps) * (input_size) + 1) +  \
     EDGERNN_I16_WORDS(3 * (units)))
#define EDGERNN_QRNN_S8_WINDOW_WORDS(input_size, units, taps)                           \
    (2 * EDGERNN_S8_ACC_WORDS(3 * (units)) + 2 * EDGERNN_I16_WORDS((taps) * (input_size)))
/** Scratch words of edgernn_qrnn_step_s8 and edgernn_qrnn_window_s8. */
#define EDGERNN_QRNN_S8_BUFFER_SIZE(input_size, units, taps, window)                     \
    (EDGERNN_I16_WORDS(((taps) - 1 + (window)) * (input_size)) +                        \
     ((window) > 1 ? EDGERNN_MAX_WORDS(EDGERNN_QRNN_S8_STEP_WORDS(input_size, units, taps), \
                                       EDGERNN_QRNN_S8_WINDOW_WORDS(input_size, units, taps)) \
                   : EDGERNN_QRNN_S8_STEP_WORDS(input_size, units, taps)))
/* The step's (acc | x as int16 | gates) and the window's (project2's acc | the input pair). */
#define EDGERNN_SRU_S8_STEP_WORDS(input_size, units)                                    \
    (EDGERNN_S8_ACC_WORDS(EDGERNN_SRU_ROWS(input_size, units)) +                        \
     EDGERNN_I16_WORDS(input_size) + EDGERNN_I16_WORDS(EDGERNN_SRU_ROWS(input_size, units)))
#define EDGERNN_SRU_S8_WINDOW_WORDS(input_size, units)                                  \
    (2 * EDGERNN_S8_ACC_WORDS(EDGERNN_SRU_ROWS(input_size, units)) +                    \
     2 * EDGERNN_I16_WORDS(input_size))
/** Scratch words of edgernn_sru_step_s8 and edgernn_sru_window_s8. */
#define EDGERNN_SRU_S8_BUFFER_SIZE(input_size, units, window)                           \
    ((window) > 1 ? EDGERNN_MAX_WORDS(EDGERNN_SRU_S8_STEP_WORDS(input_size, units),       \
                                      EDGERNN_SRU_S8_WINDOW_WORDS(input_size, units))     \
                  : EDGERNN_SRU_S8_STEP_WORDS(input_size, units))

void edgernn_qrnn_window_s8(const edgernn_qrnn_params_s8 *params,
                            const edgernn_qrnn_state_s8 *state, const int8_t *inputs,
                            int32_t count, int32_t *scratch);
void edgernn_qrnn_step_s8(const edgernn_qrnn_params_s8 *params, edgernn_qrnn_state_s8 *state,
                          const int8_t *input, const int16_t *proj, int32_t *scratch);
void edgernn_sru_window_s8(const edgernn_sru_params_s8 *params,
                           const edgernn_sru_state_s8 *state, const int8_t *inputs,
                           int32_t count, int32_t *scratch);
void edgernn_sru_step_s8(const edgernn_sru_params_s8 *params, edgernn_sru_state_s8 *state,
                         const int8_t *input, const int16_t *proj, int32_t *scratch);

#ifdef __cplusplus
}
#endif

#endif /* EDGERNN_QRNN_SRU_INT_H */
