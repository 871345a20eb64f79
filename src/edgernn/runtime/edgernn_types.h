/*
 * edgernn_types.h - types shared by the edgernn runtime kernels and the generated models.
 *
 * Every layer has a const parameter struct (sizes and pointers to weights, placed in flash by
 * the generated code) separate from its mutable state struct (pointers to RAM buffers that are
 * carried across time steps). Gate blocks are stacked along the output axis as in the edgernn
 * IR, LSTM i, f, g, o and GRU z, r, n; every matrix is stored in the row-block layout below
 * (EDGERNN_F32_ROW_BLOCK), the GRU's (see edgernn_gru_params_f32) as two parts.
 *
 * The *_BUFFER_SIZE macros give the scratch (in elements) each step kernel needs. They are
 * macros rather than functions so that static buffers can be sized at compile time.
 */
#ifndef EDGERNN_TYPES_H
#define EDGERNN_TYPES_H

#include <stdint.h>

/** Result of a kernel or model call. */
typedef enum {
    EDGERNN_OK = 0,          /**< success */
    EDGERNN_ARG_ERROR = -1,  /**< an argument is out of range (e.g. a token id) */
    EDGERNN_NEEDS_SEQUENCE = -2 /**< NAME_step of a model with a bidirectional layer: use NAME_run */
} edgernn_status;

/** Elementwise activation applied by a dense layer (values match the codegen registry). */
typedef enum {
    EDGERNN_ACT_LINEAR = 0,
    EDGERNN_ACT_RELU = 1,
    EDGERNN_ACT_SIGMOID = 2,
    EDGERNN_ACT_TANH = 3,
    EDGERNN_ACT_SOFTMAX = 4
} edgernn_activation;

/** Embedding lookup table, shape (vocabulary, dim). */
typedef struct {
    int32_t vocabulary;
    int32_t dim;
    const float *table;
} edgernn_embedding_params_f32;

/** Fully connected layer: y = act(W x + b); W (units, input_size). */
typedef struct {
    int32_t input_size;
    int32_t units;
    edgernn_activation activation;
    const float *w;
    const float *b;
} edgernn_dense_params_f32;

/**
 * Elman RNN: h = tanh(W_x x + W_h h + b); W_x (units, input_size), W_h (units, units).
 *
 * Projected input (the IR's input_projected, edgernn.passes.fold_embedding_projection): w_x and
 * b are NULL, input_size is units and each step's input is W_x x + b, precomputed (a row of
 * the folded embedding table); h = tanh(W_h h + input). The LSTM and GRU params below follow
 * the same convention (w_x NULL: the input is the projection, gates * units values).
 */
typedef struct {
    int32_t input_size;
    int32_t units;
    const float *w_x;
    const float *w_h;
    const float *b;
} edgernn_rnn_params_f32;

/** Recurrent state of an RNN layer: h (units). */
typedef struct {
    float *h;
} edgernn_rnn_state_f32;

/**
 * LSTM: gates i, f, g, o stacked; W_x (4 units, input_size), W_h (4 units, units), b (4 units).
 * Projected input: w_x and b NULL, the input is W_x x + b (4 units values).
 */
typedef struct {
    int32_t input_size;
    int32_t units;
    const float *w_x;
    const float *w_h;
    const float *b;
} edgernn_lstm_params_f32;

/** Recurrent state of an LSTM layer: h and c (units each). */
typedef struct {
    float *h;
    float *c;
} edgernn_lstm_state_f32;

/** Peephole connections of an LSTMP layer (edgernn_lstmp_params_f32). */
typedef enum {
    EDGERNN_PEEPHOLE_NONE = 0,     /**< no peephole: p_i, p_f, p_o NULL */
    EDGERNN_PEEPHOLE_DIAGONAL = 1, /**< p_i, p_f, p_o are vectors (units) */
    EDGERNN_PEEPHOLE_FULL = 2      /**< p_i, p_f, p_o are matrices (units, units), row blocks */
} edgernn_peephole;

/**
 * LSTM with peepholes and/or a projection layer (the IR kind lstmp): gates i, f, g, o stacked
 * as for the LSTM; W_x (4 units, input_size), W_h (4 units, width), b (4 units), where width
 * is proj_size with a projection (w_p (proj_size, units) not NULL) and units without one.
 * p_i, p_f see c(t-1), p_o sees c(t). The state h has width values, c has units.
 */
typedef struct {
    int32_t input_size;
    int32_t units;
    int32_t proj_size;
    edgernn_peephole peephole;
    const float *w_x;
    const float *w_h;
    const float *b;
    const float *p_i;
    const float *p_f;
    const float *p_o;
    const float *w_p;
} edgernn_lstmp_params_f32;

/** Recurrent state of an LSTMP layer: h (proj_size, or units) and c (units). */
typedef struct {
    float *h;
    float *c;
} edgernn_lstmp_state_f32;

/**
 * GRU: gates z, r, n stacked; W_x (3 units, input_size), W_h (3 units, units). Each matrix is
 * stored as two row-block matrices (EDGERNN_F32_ROW_BLOCK): rows z, r (2 units) then rows n
 * (units), so the n rows start at element 2 * units * cols whatever units is.
 *
 * reset_after != 0 (Keras default, PyTorch): b_x and b_h are the input and recurrent biases,
 * n = tanh(W_xn x + b_xn + r * (W_hn h + b_hn)).
 * reset_after == 0 (original GRU): b_x is the single bias b, b_h is NULL,
 * n = tanh(W_xn x + b_n + W_hn (r * h)).
 * Projected input: w_x NULL and the input is W_x x + b_x (reset_after; b_x NULL, b_h kept) or
 * W_x x + b (reset before; b_x and b_h NULL), 3 units values.
 */
typedef struct {
    int32_t input_size;
    int32_t units;
    int32_t reset_after;
    const float *w_x;
    const float *w_h;
    const float *b_x;
    const float *b_h;
} edgernn_gru_params_f32;

/** Recurrent state of a GRU layer: h (units). */
typedef struct {
    float *h;
} edgernn_gru_state_f32;

/**
 * Weight layout of the float32 matrix-vector kernel (edgernn_matvec_pair_f32): rows in blocks
 * of EDGERNN_F32_ROW_BLOCK; within a block the weights are stored column by column (the 8
 * weights of column 0, then of column 1, ...); rows past the last full block follow row-major.
 * Same number of elements as the canonical layout; edgernn.codegen.float32.to_row_blocks
 * converts.
 */
#define EDGERNN_F32_ROW_BLOCK 8

/**
 * Attribute of the generated float32 weight matrices: start on a 32-byte boundary, so each
 * column of a row block (8 floats) is exactly one flash cache line of the STM32L4+ ART
 * accelerator (a misaligned matrix costs about 25% more cycles from flash). Only a speed
 * matter: any 4-byte-aligned array gives the same results. The code generator sets it where it
 * costs no padding (edgernn.codegen.float32.aligned_matrices).
 */
#if defined(__GNUC__)
#define EDGERNN_F32_WEIGHTS_ALIGNED __attribute__((aligned(32)))
#else
#define EDGERNN_F32_WEIGHTS_ALIGNED
#endif

/** Scratch elements of edgernn_rnn_step_f32: the pre-activation of h. */
#define EDGERNN_RNN_STEP_F32_BUFFER_SIZE(units) (units)
/** Scratch elements of edgernn_lstm_step_f32: the four stacked gates. */
#define EDGERNN_LSTM_STEP_F32_BUFFER_SIZE(units) (4 * (units))
/** Scratch elements of edgernn_lstmp_step_f32: the four gates and a full peephole's product. */
#define EDGERNN_LSTMP_STEP_F32_BUFFER_SIZE(units) (5 * (units))
/** Scratch elements of edgernn_gru_step_f32 (both reset modes): z, r, n, then hn or r h. */
#define EDGERNN_GRU_STEP_F32_BUFFER_SIZE(units) (4 * (units))

#endif /* EDGERNN_TYPES_H */
