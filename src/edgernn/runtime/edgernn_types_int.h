/*
 * edgernn_types_int.h - parameter and state structs of the integer kernels (int8, int16x8,
 * int8-weights).
 *
 * Suffixes: _s8 kernels take int8 activations, _s16 int16 activations (both with int8 weights
 * and the shared _q parameter structs), _w8f32 int8 weights with float32 scales and float32
 * arithmetic. Integer matrices are stored in the DSP layout of edgernn/quant/layout.py: within
 * each group of four columns the bytes are (w0, w2, w1, w3); trailing columns stay in order.
 * docs/quantization.md states every formula.
 *
 * *_BUFFER_SIZE macros give the scratch each step kernel needs, in int32_t words.
 */
#ifndef EDGERNN_TYPES_INT_H
#define EDGERNN_TYPES_INT_H

#include <stdint.h>

#include "edgernn_types.h"

#if ((-1) >> 1) != -1
#error "the edgernn integer kernels need arithmetic right shifts of negative values"
#endif

#if defined(__GNUC__) || defined(__clang__)
#define EDGERNN_ALIGN4 __attribute__((aligned(4)))
/* The int8 weight matrices: one flash cache line (edgernn/codegen/integer.py, MATRIX_ALIGN). */
#define EDGERNN_ALIGN32 __attribute__((aligned(32)))
#else
#define EDGERNN_ALIGN4
#define EDGERNN_ALIGN32
#endif

/** One requantized matrix-vector product: requantize(W x + bias, multiplier[r], shift[r]). */
typedef struct {
    const int8_t *w;            /**< (rows, cols), DSP layout */
    const int32_t *bias;        /**< rows, input zero point folded in; NULL for none */
    const int32_t *multiplier;  /**< rows, Q31 in [2^30, 2^31) */
    const int8_t *shift;        /**< rows, in [-30, 31] */
    int32_t acc_shift;          /**< int16x8: rounding right shift of the 64-bit sum (usually 0) */
} edgernn_projection_params;

/**
 * Rows [first, ...) of a projection whose matrix has `cols` columns, as a projection of its own.
 * int8 (row-pair) layout only, and `first` a multiple of four (a block boundary): the blocks of
 * four rows are stored one after the other, 2 * ceil(cols / 2) bytes per row.
 */
static inline edgernn_projection_params edgernn_projection_rows_s8(
    const edgernn_projection_params *proj, int32_t first, int32_t cols)
{
    edgernn_projection_params sub = *proj;
    sub.w = proj->w + first * 2 * ((cols + 1) / 2);
    sub.bias = (proj->bias != 0) ? proj->bias + first : proj->bias;
    sub.multiplier = proj->multiplier + first;
    sub.shift = proj->shift + first;
    return sub;
}

/**
 * The odd row of a row pair of the int8 pair layout from its packed sums (edgernn_matvec_s8.c):
 * s1 = sum SMLAD(word, x) = 256 * odd + even and s2 = sum SMLAD(SXTB16(word), x) = even, so
 * odd = (s1 - s2) >> 8, computed modulo 2^32 (exact while |odd| < 2^23).
 */
static inline int32_t edgernn_pair_odd_row(int32_t s1, int32_t s2)
{
    return (int32_t)((uint32_t)s1 - (uint32_t)s2) >> 8;
}

/** bias[r] for r < rows (a padding row of the pair layout gets 0), 0 without a bias. */
static inline int32_t edgernn_bias_at(const int32_t *bias, int32_t r, int32_t rows)
{
    return (bias != 0 && r < rows) ? bias[r] : 0;
}

/** Embedding: int8 table (vocabulary, dim); it is the output activation. */
typedef struct {
    int32_t vocabulary;
    int32_t dim;
    const int8_t *table;
} edgernn_embedding_params_q;

/**
 * Dense: y = act(W x + b). linear/relu: w requantizes to the output scale; sigmoid/tanh: to
 * Q3.12, then the table gives Q0.15 and output_multiplier/shift maps it to the output; softmax:
 * to Q.11 logits (int32), then the integer softmax.
 */
typedef struct edgernn_dense_params_q_ edgernn_dense_params_q;

/** The int8 dense output stage: int32 sums (overwritten) -> int8 outputs. */
typedef void (*edgernn_dense_output_s8_fn)(const edgernn_dense_params_q *params, int32_t *acc,
                                           int8_t *output);

struct edgernn_dense_params_q_ {
    int32_t input_size;
    int32_t units;
    edgernn_activation activation;
    edgernn_projection_params w;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t output_zero_point;
    /* int8 only (NULL for int16x8): edgernn_dense_output_linear_s8 for a linear head, else
     * edgernn_dense_output_s8. Chosen by the code generator so that a linear head's firmware
     * links neither the softmax nor the activation tables it cannot use. */
    edgernn_dense_output_s8_fn output_s8;
};

/** Elman RNN: gates in Q3.12, h = requantize(tanh(.), output_multiplier, output_shift) + zp. */
typedef struct {
    int32_t input_size;
    int32_t units;
    edgernn_projection_params x;
    edgernn_projection_params h;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t h_zero_point;
} edgernn_rnn_params_q;

/** LSTM: gates i, f, g, o in Q3.12; cell int16 with scale 2^-cell_frac_bits; h from Q0.30. */
typedef struct {
    int32_t input_size;
    int32_t units;
    edgernn_projection_params x;
    edgernn_projection_params h;
    int32_t cell_frac_bits;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t h_zero_point;
} edgernn_lstm_params_q;

/**
 * GRU: gates z, r, n in Q3.12; h converted to Q0.15 (state_multiplier/shift) for
 * h = z h + (1 - z) n and back (output_multiplier/shift). reset_after != 0: x carries b_x and h
 * (3 units rows) carries b_h, hn is unused; otherwise x carries b, h holds the z and r rows
 * (2 units) and hn the n rows of W_h, which act on r * h.
 */
typedef struct {
    int32_t input_size;
    int32_t units;
    int32_t reset_after;
    edgernn_projection_params x;
    edgernn_projection_params h;
    edgernn_projection_params hn;
    int32_t state_multiplier;
    int32_t state_shift;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t h_zero_point;
} edgernn_gru_params_q;

/**
 * Recurrent state, int8 variant: h is the layer's int8 output; h16 the same values as int16,
 * the state the next step reads. It starts at the zero point (real 0), which may lie outside
 * int8 when h's calibrated range stays away from 0 (docs/quantization.md, "Accuracy").
 */
typedef struct {
    int8_t *h;
    int16_t *h16;
} edgernn_rnn_state_s8;

typedef struct {
    int8_t *h;
    int16_t *c;
    int16_t *h16;
} edgernn_lstm_state_s8;

typedef struct {
    int8_t *h;
    int16_t *h16;
} edgernn_gru_state_s8;

/** Recurrent state, int16x8 variant. */
typedef struct {
    int16_t *h;
} edgernn_rnn_state_s16;

typedef struct {
    int16_t *h;
    int16_t *c;
} edgernn_lstm_state_s16;

typedef struct {
    int16_t *h;
} edgernn_gru_state_s16;

/* ---- int8-weights (float32 arithmetic) ------------------------------------------------------ */

/** An int8 matrix (natural layout) with a float32 scale per row: W = w * scale[r]. */
typedef struct {
    const int8_t *w;
    const float *scale;
} edgernn_matrix_w8;

typedef struct {
    int32_t vocabulary;
    int32_t dim;
    edgernn_matrix_w8 table;
} edgernn_embedding_params_w8f32;

typedef struct {
    int32_t input_size;
    int32_t units;
    edgernn_activation activation;
    edgernn_matrix_w8 w;
    const float *b;
} edgernn_dense_params_w8f32;

typedef struct {
    int32_t input_size;
    int32_t units;
    edgernn_matrix_w8 w_x;
    edgernn_matrix_w8 w_h;
    const float *b;
} edgernn_rnn_params_w8f32;

typedef edgernn_rnn_params_w8f32 edgernn_lstm_params_w8f32;

/** GRU as edgernn_gru_params_f32: reset_after selects b_x/b_h or the single bias in b_x. */
typedef struct {
    int32_t input_size;
    int32_t units;
    int32_t reset_after;
    edgernn_matrix_w8 w_x;
    edgernn_matrix_w8 w_h;
    const float *b_x;
    const float *b_h;
} edgernn_gru_params_w8f32;

/* ---- scratch, in int32_t words ---------------------------------------------------------------- */

/** Words holding n int16 values. */
#define EDGERNN_I16_WORDS(n) (((n) + 1) / 2)

/** Rows per chunk of edgernn_project_s8/edgernn_gates_s8 (a multiple of four: whole blocks). */
#define EDGERNN_S8_CHUNK_ROWS 64
/** int32 sums those kernels keep for `rows` rows: one chunk. */
#define EDGERNN_S8_ACC_WORDS(rows) \
    ((rows) < EDGERNN_S8_CHUNK_ROWS ? (rows) : EDGERNN_S8_CHUNK_ROWS)

#define EDGERNN_RNN_STEP_S8_BUFFER_SIZE(input_size, units) \
    ((units) + EDGERNN_I16_WORDS(input_size) + EDGERNN_I16_WORDS(units))
#define EDGERNN_LSTM_STEP_S8_BUFFER_SIZE(input_size, units) \
    (4 * (units) + EDGERNN_I16_WORDS(input_size) + EDGERNN_I16_WORDS(4 * (units)))
#define EDGERNN_GRU_STEP_S8_BUFFER_SIZE(input_size, units) \
    (3 * (units) + EDGERNN_I16_WORDS(input_size) + EDGERNN_I16_WORDS(units) + \
     2 * EDGERNN_I16_WORDS(3 * (units)))
#define EDGERNN_DENSE_S8_BUFFER_SIZE(input_size, units) \
    ((units) + EDGERNN_I16_WORDS(input_size))

/*
 * Scratch of the *_steps_s8 kernels (whole-sequence calls, two steps at a time). First words:
 * the cell's int32 sums (one per gate row) or edgernn_project2_s8's, whichever is larger; then
 * the pair of inputs as interleaved int16, then the input parts of both steps.
 */
#define EDGERNN_MAX_WORDS(a, b) ((a) > (b) ? (a) : (b))
#define EDGERNN_STEPS_S8_FIRST_WORDS(rows) \
    EDGERNN_MAX_WORDS((rows), 2 * EDGERNN_S8_ACC_WORDS(rows))
#define EDGERNN_CELL_STEPS_S8_BUFFER_SIZE(input_size, rows) \
    (EDGERNN_STEPS_S8_FIRST_WORDS(rows) + 2 * EDGERNN_I16_WORDS(input_size) + \
     2 * EDGERNN_I16_WORDS(rows))
#define EDGERNN_RNN_STEPS_S8_BUFFER_SIZE(input_size, units) \
    EDGERNN_CELL_STEPS_S8_BUFFER_SIZE(input_size, units)
#define EDGERNN_LSTM_STEPS_S8_BUFFER_SIZE(input_size, units) \
    EDGERNN_CELL_STEPS_S8_BUFFER_SIZE(input_size, 4 * (units))
/* a GRU with the reset gate before W_h runs edgernn_gru_step_s8 step by step */
#define EDGERNN_GRU_STEPS_S8_BUFFER_SIZE(input_size, units) \
    EDGERNN_MAX_WORDS(EDGERNN_CELL_STEPS_S8_BUFFER_SIZE(input_size, 3 * (units)), \
                      EDGERNN_GRU_STEP_S8_BUFFER_SIZE(input_size, units))
#define EDGERNN_DENSE_STEPS_S8_BUFFER_SIZE(input_size, units) \
    EDGERNN_MAX_WORDS(2 * (units) + 2 * EDGERNN_I16_WORDS(input_size), \
                      EDGERNN_DENSE_S8_BUFFER_SIZE(input_size, units))

#define EDGERNN_RNN_STEP_S16_BUFFER_SIZE(input_size, units) \
    ((units) + EDGERNN_I16_WORDS(units))
#define EDGERNN_LSTM_STEP_S16_BUFFER_SIZE(input_size, units) \
    (4 * (units) + EDGERNN_I16_WORDS(4 * (units)) + EDGERNN_I16_WORDS(units))
#define EDGERNN_GRU_STEP_S16_BUFFER_SIZE(input_size, units) \
    (3 * (units) + 2 * EDGERNN_I16_WORDS(3 * (units)) + EDGERNN_I16_WORDS(units))
#define EDGERNN_DENSE_S16_BUFFER_SIZE(input_size, units) \
    ((units) + EDGERNN_I16_WORDS(units))

/* int8-weights: float scratch, as the float32 kernels (in float elements = words). */
#define EDGERNN_RNN_STEP_W8F32_BUFFER_SIZE(input_size, units) (units)
#define EDGERNN_LSTM_STEP_W8F32_BUFFER_SIZE(input_size, units) (4 * (units))
#define EDGERNN_GRU_STEP_W8F32_BUFFER_SIZE(input_size, units) (6 * (units))

/* ---- LSTM with peepholes and/or a projection (kind lstmp), int8 and int16x8 ------------------ */

/**
 * LSTMP: gates i, f, g, o in Q3.12 as the LSTM (x: W_x with b; h: W_h, (4 units, width) where
 * width is proj_size with a projection, units without). peephole DIAGONAL: p_diag[g] (units
 * int16) and the term sat16(requantize(p c, p_multiplier[g], p_shift[g])); FULL: p_full[g], a
 * (units, units) matrix on the int16 cell (64-bit sums, DSP 2-row layout), requantized to Q3.12;
 * g = 0, 1, 2 for i, f (c(t-1)) and o (c(t)). output_multiplier/shift map o tanh(c) (Q0.30) to
 * h without a projection; with one (proj_size > 0) to m (zero point 0), and h = sat(w_p m + zp)
 * (int8: w_p in the row-pair layout on m widened; int16x8: the DSP 2-row layout).
 */
typedef struct {
    int32_t input_size;
    int32_t units;
    int32_t proj_size;
    edgernn_peephole peephole;
    edgernn_projection_params x;
    edgernn_projection_params h;
    const int16_t *p_diag[3];
    int32_t p_multiplier[3];
    int32_t p_shift[3];
    edgernn_projection_params p_full[3];
    edgernn_projection_params w_p;
    int32_t cell_frac_bits;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t h_zero_point;
} edgernn_lstmp_params_q;

/** Largest of two sizes (scratch macros). */
#define EDGERNN_MAX_WORDS(a, b) ((a) > (b) ? (a) : (b))
/** int32 sums of edgernn_lstmp_step_s8: the gate chunk, and a full peephole or the projection. */
#define EDGERNN_LSTMP_S8_ACC_WORDS(units) \
    EDGERNN_MAX_WORDS(EDGERNN_S8_ACC_WORDS(4 * (units)), (units))
/** width: proj_size with a projection, else units. */
#define EDGERNN_LSTMP_STEP_S8_BUFFER_SIZE(input_size, units, width) \
    (EDGERNN_LSTMP_S8_ACC_WORDS(units) + EDGERNN_I16_WORDS(input_size) + \
     EDGERNN_I16_WORDS(width) + EDGERNN_I16_WORDS(4 * (units)) + \
     EDGERNN_I16_WORDS((units) + 1))
#define EDGERNN_LSTMP_STEP_S16_BUFFER_SIZE(input_size, units, width) \
    (4 * (units) + EDGERNN_I16_WORDS(4 * (units)) + EDGERNN_I16_WORDS((units) + 1))

#endif /* EDGERNN_TYPES_INT_H */
