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

/** Clamp a 64-bit value to int32. */
static inline int32_t edgernn_sat32(int64_t x)
{
    return x < INT32_MIN ? INT32_MIN : (x > INT32_MAX ? INT32_MAX : (int32_t)x);
}

/**
 * Requantize: sat32((acc * multiplier + 2^(30 + shift)) >> (31 + shift)), round half up.
 * multiplier is Q31 in [2^30, 2^31), shift in [-30, 31], so the product needs 62 bits.
 */
static inline int32_t edgernn_requantize(int32_t acc, int32_t multiplier, int32_t shift)
{
    const int32_t total = 31 + shift;
    const int64_t rounded = (int64_t)acc * (int64_t)multiplier + ((int64_t)1 << (total - 1));
    return edgernn_sat32(rounded >> total);
}

/** (x + 2^(n-1)) >> n for n >= 1 (round half up); x for n == 0. */
static inline int32_t edgernn_rshift_round(int32_t x, int32_t n)
{
    if (n <= 0) {
        return x;
    }
    return (int32_t)(((int64_t)x + ((int64_t)1 << (n - 1))) >> n);
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
static inline int16_t edgernn_lut_q15(const int16_t *table, int16_t x)
{
    const int32_t u = (int32_t)x + 32768;
    const int32_t i = u >> 8;
    const int32_t f = u & 255;
    const int32_t t0 = table[i];
    const int32_t t1 = table[i + 1];
    return (int16_t)(t0 + (((t1 - t0) * f + 128) >> 8));
}

#endif /* EDGERNN_FIXED_POINT_H */
