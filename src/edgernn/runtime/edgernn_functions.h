/*
 * edgernn_functions.h - prototypes of the edgernn runtime kernels.
 *
 * Naming follows edgernn_<op>_<dtype>(); each function lives in the .c file of the same name.
 * Layering: the generated model's time loop calls one step kernel per layer
 * (edgernn_*_step_f32, edgernn_dense_f32, edgernn_embedding_f32), step kernels call
 * edgernn_gates_f32 (or edgernn_matvec_f32) and the activation kernels, and those call the one
 * matrix-vector kernel, edgernn_matvec_pair_f32.
 * Vector activations work in place. No kernel allocates memory.
 */
#ifndef EDGERNN_FUNCTIONS_H
#define EDGERNN_FUNCTIONS_H

#include "edgernn_types.h"

#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- matrix-vector (weights in the row-block layout, EDGERNN_F32_ROW_BLOCK) ------------ */

/**
 * out = (A a + B b) + bias: A (rows, cols_a), B (rows, cols_b), each row one float32 sum over
 * A's then B's columns in order. cols_b may be 0 (B, b unused) and bias NULL.
 */
void edgernn_matvec_pair_f32(const float *mat_a, const float *vec_a, int32_t cols_a,
                             const float *mat_b, const float *vec_b, int32_t cols_b,
                             const float *bias, int32_t rows, float *out);

/** out[r] = sum_c mat[r][c] * vec[c] (+ bias[r] when bias is not NULL); mat is (rows, cols). */
void edgernn_matvec_f32(const float *mat, const float *vec, const float *bias, int32_t rows,
                        int32_t cols, float *out);

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

/** One step of an LSTM with peepholes and/or a projection; new h and c left in the state. */
void edgernn_lstmp_step_f32(const edgernn_lstmp_params_f32 *params,
                            edgernn_lstmp_state_f32 *state, const float *input, float *scratch);

/** One GRU step (either reset mode, see edgernn_gru_params_f32); new h left in state->h. */
void edgernn_gru_step_f32(const edgernn_gru_params_f32 *params, edgernn_gru_state_f32 *state,
                          const float *input, float *scratch);

/* ---- inline helpers of the float32 activations ------------------------------------------
 *
 * edgernn_exp2_inline_f32(&a, &b) replaces a and b by exp(a) and exp(b). It stands in for
 * newlib's expf (about 150 cycles each on the Cortex-M4F in the simulator, more for tanhf):
 * about 25 FPU and integer instructions per value, no table, no library call, one
 * data-dependent choice (a conditional move), and the two values' instructions interleaved so
 * no FP instruction consumes the result of the one just before it (the FPU's result hazard).
 *
 *   u = max(x, -100) (exp(-100) is 0 in float32 anyway; it keeps r below finite);
 *   n = round(u log2 e) by adding 1.5 * 2^23 (the "magic number": n is then the low bits of
 *   t = u log2 e + 1.5 * 2^23, no float-to-int conversion);
 *   r = u - n ln2 with Cody and Waite's two-part ln2 (n * ln2_hi is exact), |r| <= ln2 / 2;
 *   exp(r) = 1 + r + r^2 q(r), q of degree 4 fitted (iteratively reweighted least squares,
 *   close to minimax) to the relative error of exp on [-ln2/2, ln2/2]: 3e-9 in exact
 *   arithmetic;
 *   2^n = the float with biased exponent n + 127 saturated to [0, 255] (USAT): 0 below the
 *   normal range (true value < 1.2e-38) and +inf above (true value > 1.7e38, overflow).
 *
 * Measured maximum relative error for x in [-87, 88] (dense grid, against float64): 8.0e-8,
 * under one float32 ulp (tests/runtime/test_fast_activations.py). x = +inf or NaN gives NaN.
 * Every float operation is a plain IEEE single-precision add or multiply in a fixed order, so
 * the Cortex-M4F and an x86-64 host compute identical bits (as long as the compiler does not
 * contract a * b + c into a fused multiply-add: -std=c99 implies -ffp-contract=off in GCC).
 *
 * These helpers live here, not in a header of their own, because this header is copied next to
 * every generated model, whichever variant calls the float32 activation kernels.
 */

/*
 * EDGERNN_F32_KEEP(v): an empty assembler statement that claims to modify float v in its
 * register. On the Cortex-M4F it stops GCC from merging a product and a sum into VMLA (3 cycles
 * in the TRM where VMUL + VADD take 2; same result, VMLA rounds twice) and from specialising
 * code for a clamped constant (branches, literal-pool reloads). It changes no value; elsewhere
 * it is nothing.
 */
#if defined(__GNUC__) && defined(__ARM_FP) && defined(__thumb2__)
#define EDGERNN_F32_KEEP(v) __asm__("" : "+t"(v))
#else
#define EDGERNN_F32_KEEP(v) ((void)0)
#endif

/** Float bits as an integer (memcpy: the defined way; compiles to one VMOV). */
static inline int32_t edgernn_bits_f32(float value)
{
    int32_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}

/** 2^(e - 127) for a biased exponent e, saturated: 0 for e <= 0, +inf for e >= 255. */
static inline float edgernn_pow2_biased_f32(int32_t e)
{
    const int32_t sat = (e < 0) ? 0 : ((e > 255) ? 255 : e); /* USAT #8 on Arm */
    const int32_t bits = (int32_t)((uint32_t)sat << 23);
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

/** *a = exp(*a), *b = exp(*b): see the section comment for the method and its accuracy. */
static inline void edgernn_exp2_inline_f32(float *a, float *b)
{
    const float magic = 12582912.0f; /* 1.5 * 2^23: adding it rounds to an integer */
    const float log2e = 1.442695f;
    const float ln2_hi = 0.693359375f;   /* 0x3f318000, 10 significant bits: n * ln2_hi exact */
    const float ln2_lo = -2.1219444e-4f; /* ln2 - ln2_hi */
    /* (bits of t) - (bits of magic) is n; + 127 biases it. */
    const int32_t bias = 127 - 0x4b400000;
    float ua = *a;
    float ub = *b;
    float ta, tb, na, nb, ra, rb, r2a, r2b, qa, qb, pa, pb, sa, sb;

    ua = (ua < -100.0f) ? -100.0f : ua;
    ub = (ub < -100.0f) ? -100.0f : ub;
    EDGERNN_F32_KEEP(ua);
    EDGERNN_F32_KEEP(ub);
    ta = ua * log2e;
    tb = ub * log2e;
    EDGERNN_F32_KEEP(ta);
    EDGERNN_F32_KEEP(tb);
    ta = ta + magic;
    tb = tb + magic;
    na = ta - magic;
    nb = tb - magic;
    sa = edgernn_pow2_biased_f32(edgernn_bits_f32(ta) + bias);
    sb = edgernn_pow2_biased_f32(edgernn_bits_f32(tb) + bias);
    qa = na * ln2_hi;
    qb = nb * ln2_hi;
    EDGERNN_F32_KEEP(qa);
    EDGERNN_F32_KEEP(qb);
    ra = ua - qa;
    rb = ub - qb;
    qa = na * ln2_lo;
    qb = nb * ln2_lo;
    EDGERNN_F32_KEEP(qa);
    EDGERNN_F32_KEEP(qb);
    ra = ra - qa;
    rb = rb - qb;
    qa = 1.3814596e-3f * ra;
    qb = 1.3814596e-3f * rb;
    EDGERNN_F32_KEEP(qa);
    EDGERNN_F32_KEEP(qb);
    r2a = ra * ra;
    r2b = rb * rb;
    qa = qa + 8.3687175e-3f;
    qb = qb + 8.3687175e-3f;
    qa = qa * ra;
    qb = qb * rb;
    EDGERNN_F32_KEEP(qa);
    EDGERNN_F32_KEEP(qb);
    qa = qa + 4.166839e-2f;
    qb = qb + 4.166839e-2f;
    qa = qa * ra;
    qb = qb * rb;
    EDGERNN_F32_KEEP(qa);
    EDGERNN_F32_KEEP(qb);
    qa = qa + 1.6666521e-1f;
    qb = qb + 1.6666521e-1f;
    qa = qa * ra;
    qb = qb * rb;
    EDGERNN_F32_KEEP(qa);
    EDGERNN_F32_KEEP(qb);
    qa = qa + 4.9999994e-1f;
    qb = qb + 4.9999994e-1f;
    pa = r2a * qa;
    pb = r2b * qb;
    EDGERNN_F32_KEEP(pa);
    EDGERNN_F32_KEEP(pb);
    pa = pa + ra;
    pb = pb + rb;
    pa = pa + 1.0f;
    pb = pb + 1.0f;
    *a = pa * sa;
    *b = pb * sb;
}

#ifdef __cplusplus
}
#endif

#endif /* EDGERNN_FUNCTIONS_H */
