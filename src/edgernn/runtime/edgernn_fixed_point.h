/*
 * edgernn_fixed_point.h - fixed-point helpers of the integer kernels (static inline).
 *
 * These are the C twins of edgernn/quant/fixed_point.py; docs/quantization.md states the exact
 * semantics. The clamps compile to SSAT on Arm cores with saturation instructions (GCC and
 * Clang recognise the pattern; GCC 12's __ssat macro trips -Wsign-conversion). All right shifts of signed values are arithmetic (flooring), as on GCC, Clang and
 * the Arm compilers; edgernn_types_int.h refuses to compile otherwise.
 */
#ifndef EDGERNN_FIXED_POINT_H
#define EDGERNN_FIXED_POINT_H

#include <stdint.h>

#if defined(__ARM_FEATURE_SAT) && defined(__GNUC__) && !defined(EDGERNN_NO_DSP)
/* One SSAT each (GCC turns the C clamps into compare-and-move sequences). */
static inline int32_t edgernn_sat8(int32_t x)
{
    int32_t y;
    __asm__("ssat %0, #8, %1" : "=r"(y) : "r"(x));
    return y;
}

static inline int32_t edgernn_sat16(int32_t x)
{
    int32_t y;
    __asm__("ssat %0, #16, %1" : "=r"(y) : "r"(x));
    return y;
}
#else
/** Clamp to int8. */
static inline int32_t edgernn_sat8(int32_t x)
{
    return x < -128 ? -128 : (x > 127 ? 127 : x);
}

/** Clamp to int16. */
static inline int32_t edgernn_sat16(int32_t x)
{
    return x < -32768 ? -32768 : (x > 32767 ? 32767 : x);
}
#endif

/** Clamp a 64-bit value to int32. */
static inline int32_t edgernn_sat32(int64_t x)
{
    return x < INT32_MIN ? INT32_MIN : (x > INT32_MAX ? INT32_MAX : (int32_t)x);
}

/**
 * Requantize: sat32((acc * multiplier + 2^(30 + shift)) >> (31 + shift)), round half up.
 * multiplier is Q31 in [1, 2^31) (normalised to [2^30, 2^31) for the row with the smallest
 * shift of a matrix; all rows of a matrix share its shift), shift in [-30, 31], so the product
 * needs 62 bits.
 *
 * For shift >= 1 (every gate and output multiplier below 1/2) the result comes from the
 * product's high bits without a 64-bit shift or any saturation: with p = acc * multiplier,
 * floor((p + 2^(30+s)) / 2^(31+s)) = ((p >> 31) >> (s - 1)) + 1) >> 1, where p >> 31 fits
 * 32 bits because |p| < 2^62 (identity floor((floor(a/b) + 1) / 2) = floor((a + b) / 2b)).
 * For shift >= 2 the same is ((p >> 32) >> (s - 2) + 1) >> 1, the high word of SMULL
 * directly: on a Cortex-M4 SMULL, ASR, ADD, ASR.
 */
#if defined(__GNUC__)
#define EDGERNN_ALWAYS_INLINE __attribute__((always_inline)) inline
#define EDGERNN_NOINLINE __attribute__((noinline, unused))
#define EDGERNN_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define EDGERNN_ALWAYS_INLINE inline
#define EDGERNN_NOINLINE
#define EDGERNN_LIKELY(x) (x)
#endif

/** edgernn_requantize for shift <= 0 (multipliers of 1/2 and more), kept out of the loops. */
static EDGERNN_NOINLINE int32_t edgernn_requantize_wide(int32_t acc, int32_t multiplier,
                                                        int32_t shift)
{
    const int64_t product = (int64_t)acc * (int64_t)multiplier;
    return edgernn_sat32((product + ((int64_t)1 << (30 + shift))) >> (31 + shift));
}

/** edgernn_requantize for shift >= 2 only (the caller has checked): SMULL, ASR, ADD, ASR. */
static inline int32_t edgernn_requantize_s2(int32_t acc, int32_t multiplier, int32_t shift)
{
    /* p >> (30 + s) == (p >> 32) >> (s - 2): the high word of SMULL, no LSL/ORR. */
    const int32_t high32 = (int32_t)(((int64_t)acc * (int64_t)multiplier) >> 32);
    return ((high32 >> (shift - 2)) + 1) >> 1;
}

static inline int32_t edgernn_requantize(int32_t acc, int32_t multiplier, int32_t shift)
{
    if (EDGERNN_LIKELY(shift >= 2)) {
        return edgernn_requantize_s2(acc, multiplier, shift);
    }
    if (shift == 1) {
        const int64_t product = (int64_t)acc * (int64_t)multiplier;
        const int32_t high = (int32_t)(product >> 31);
        return (high + 1) >> 1;
    }
    return edgernn_requantize_wide(acc, multiplier, shift);
}

/** sat16(x >> n) of a 64-bit value (equal to sat16(sat32(x >> n))). */
static inline int32_t edgernn_sat16_64(int64_t x, int32_t n)
{
    const int64_t y = x >> n;
    return y < -32768 ? -32768 : (y > 32767 ? 32767 : (int32_t)y);
}

/** (x + 2^(n-1)) >> n for n >= 1 (round half up); x for n == 0. */
static inline int32_t edgernn_rshift_round(int32_t x, int32_t n)
{
    if (n <= 0) {
        return x;
    }
    return (int32_t)(((int64_t)x + ((int64_t)1 << (n - 1))) >> n);
}

/** edgernn_rshift_round in 32 bits, for n >= 1 and x + 2^(n-1) known to fit int32. */
static inline int32_t edgernn_rshift_round32(int32_t x, int32_t n)
{
    return (x + (1 << (n - 1))) >> n;
}

/** 64-bit (x + 2^(n-1)) >> n for n >= 1, x for n == 0, saturated to int32. */
static inline int32_t edgernn_rshift_round64(int64_t x, int32_t n)
{
    if (n <= 0) {
        return edgernn_sat32(x);
    }
    return edgernn_sat32((x + ((int64_t)1 << (n - 1))) >> n);
}

/**
 * Interpolated look-up of a 257-entry Q0.15 table over [-8, 8] at a Q3.12 input:
 * u = x + 32768, i = u >> 8, f = u & 255, y = T[i] + (((T[i+1] - T[i]) * f + 128) >> 8).
 */
static inline int16_t edgernn_lut_q15(const int16_t *table, int32_t x)
{
    const int32_t u = x + 32768; /* x in [-32768, 32767] */
    const int32_t i = u >> 8;
    const int32_t f = u & 255;
    const int32_t t0 = table[i];
    const int32_t t1 = table[i + 1];
    return (int16_t)(t0 + (((t1 - t0) * f + 128) >> 8));
}

/**
 * The same look-up through a packed table (edgernn_sigmoid_packed_s8, edgernn_tanh_packed_s8):
 * word (x >> 8) + 128 holds d = T[i+1] - T[i] (low half) and b = T[i] - d (i - 128) (high
 * half), and b + ((d x + 128) >> 8) equals edgernn_lut_q15 on every input (256 T[i] + d f =
 * 256 b + d x; edgernn/quant/lut.py, packed_table). One load instead of two; on the Arm paths
 * it is SMLABB, ASR, SXTAH.
 */
static inline int32_t edgernn_lut_q15_packed(const uint32_t *table, int32_t x)
{
    const uint32_t w = table[(x >> 8) + 128]; /* x in [-32768, 32767] */
    const int32_t d = (int32_t)(w & 0xFFFFu) - (int32_t)((w & 0x8000u) << 1);
    const int32_t b = (int32_t)(w >> 16) - (int32_t)((w >> 15) & 0x10000u);
    return b + ((d * x + 128) >> 8);
}

/** The packed tables (256 words each; edgernn_*_packed_s8.c). */
extern const uint32_t edgernn_sigmoid_packed_s8[256];
extern const uint32_t edgernn_tanh_packed_s8[256];

/**
 * One gate value of the int8 cells in Q0.15: table(sat16(xq + sat16(requantize(sum, multiplier,
 * shift)))), where xq is the input part (Q3.12) and sum the recurrent part's int32 sum.
 */
static inline int32_t edgernn_gate_q15(int32_t sum, int32_t multiplier, int32_t shift,
                                       int32_t xq, const int16_t *table)
{
    const int32_t part = edgernn_sat16(edgernn_requantize(sum, multiplier, shift));
    return edgernn_lut_q15(table, edgernn_sat16(xq + part));
}

/** edgernn_gate_q15 with shift >= 2 known (edgernn_requantize_s2). */
static inline int32_t edgernn_gate_q15_s2(int32_t sum, int32_t multiplier, int32_t shift,
                                          int32_t xq, const int16_t *table)
{
    const int32_t part = edgernn_sat16(edgernn_requantize_s2(sum, multiplier, shift));
    return edgernn_lut_q15(table, edgernn_sat16(xq + part));
}

#if defined(__ARM_FEATURE_DSP) && defined(__GNUC__) && !defined(EDGERNN_NO_DSP)
/**
 * SMMLA: round + high32(a b), one instruction. With round = 2^(s-2), then an arithmetic shift
 * by s - 1, it is edgernn_requantize_s2(a, b, s) for 2 <= s <= 31 (floor((floor(p / 2^(s-2))
 * + 1) / 2) = floor((floor(p / 2^32) + 2^(s-2)) / 2^(s-1)) with p = a b; |high32| < 2^30 so
 * the sum fits int32); with round from edgernn_out_round_s2 it also adds a zero point.
 */
static inline int32_t edgernn_smmla(int32_t a, int32_t b, int32_t round)
{
    int32_t y;
    __asm__("smmla %0, %1, %2, %3" : "=r"(y) : "r"(a), "r"(b), "r"(round));
    return y;
}
#endif

/**
 * The output rounding of the Arm cell loops with the zero point folded in:
 * sat8(requantize_s2(v, M, s) + zp) = sat8((high32(v M) + round) >> (s - 1)) with
 * round = 2^(s-2) + zp 2^(s-1) (adding a multiple of 2^(s-1) before a flooring shift).
 * Returns 0 (use the C loop) unless 2 <= s <= 30 and |zp| < 2^(30-s), which keeps
 * |round| < 2^29 + 2^28: with |high32(v M)| < 2^29 (|v| <= 2^30) the SMMLA sum fits int32.
 */
static inline int32_t edgernn_out_round_s2(int32_t zp, int32_t shift, int32_t *round)
{
    if (shift < 2 || shift > 30 || zp <= -(1 << (30 - shift)) || zp >= (1 << (30 - shift))) {
        return 0;
    }
    *round = (1 << (shift - 2)) + zp * (1 << (shift - 1));
    return 1;
}

/**
 * A GRU's old int8 state in Q0.15: sat16(requantize(centred, multiplier, shift)), centred =
 * h - zp. The state multiplier is usually above 1/2 (shift <= 0): requantize's 64-bit path
 * inline, with round = 2^(30 + shift) hoisted by the caller; sat16(sat32(v)) = sat16(v).
 */
static inline int32_t edgernn_state_q15(int32_t centred, int32_t multiplier, int32_t shift,
                                        int64_t round)
{
    return shift >= 1 ? edgernn_sat16(edgernn_requantize(centred, multiplier, shift))
                      : edgernn_sat16_64((int64_t)centred * multiplier + round, 31 + shift);
}

/**
 * exp of a non-positive Q.11 difference d to Q0.15 from edgernn_exp_table_s32 (edgernn_exp_s32,
 * inline for the softmax loops): 0 below -16; u = d + 32768, i = u >> 7, f = u & 127,
 * e = T[256] if i == 256 else T[i] + (((T[i+1] - T[i]) * f + 64) >> 7).
 */
static inline int32_t edgernn_exp_q15(const uint16_t *table, int32_t d)
{
    int32_t u;
    int32_t i;
    int32_t t0;
    if (d < -32768) {
        return 0;
    }
    u = (d > 0 ? 0 : d) + 32768;
    i = u >> 7;
    if (i >= 256) {
        return table[256];
    }
    t0 = table[i];
    return t0 + ((((int32_t)table[i + 1] - t0) * (u & 127) + 64) >> 7);
}

/**
 * The exp stage of the integer softmax given max_value, the largest logit: every Q.11 logit
 * is replaced by e_i = exp(l_i - max) in Q0.15 and the int32 sum of the e_i is returned. The
 * differences are taken in 32 bits: a logit at or below max - 32769 counts as d = -32769
 * (exp 0), so no subtraction overflows.
 */
static inline int32_t edgernn_softmax_exps_max_q15(const uint16_t *table, int32_t *logits,
                                                   int32_t size, int32_t max_value)
{
    const int32_t low = (max_value < INT32_MIN + 32769) ? INT32_MIN : max_value - 32769;
    int32_t sum = 0;
    int32_t i;
    for (i = 0; i < size; ++i) {
        const int32_t d = (logits[i] > low) ? logits[i] - max_value : -32769;
        logits[i] = edgernn_exp_q15(table, d);
        sum += logits[i];
    }
    return sum;
}

/**
 * The first two stages of the integer softmax (edgernn_softmax_s16): the maximum logit, then
 * edgernn_softmax_exps_max_q15; returns the sum of the exps (at least 32768 when size > 0, 0
 * when size <= 0).
 */
static inline int32_t edgernn_softmax_exps_q15(const uint16_t *table, int32_t *logits,
                                               int32_t size)
{
    int32_t i;
    int32_t max_value;
    if (size <= 0) {
        return 0;
    }
    max_value = logits[0];
    for (i = 1; i < size; ++i) {
        if (logits[i] > max_value) {
            max_value = logits[i];
        }
    }
    return edgernn_softmax_exps_max_q15(table, logits, size, max_value);
}

#endif /* EDGERNN_FIXED_POINT_H */
